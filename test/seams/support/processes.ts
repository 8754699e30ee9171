import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN } from '../../support/cli.js';

/**
 * Every child process a seams test starts, so `killAll` (in each file's afterAll) ends them even when a test failed
 * half-way. Children are ended by their own pid, never by name.
 */
const live = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

const cleanups: (() => Promise<unknown>)[] = [];

/** Something to close in `killAll` (an MCP client, which owns its stdio child process). */
export function onCleanup(fn: () => Promise<unknown>): void {
  cleanups.push(fn);
}

/** Closes what was registered with `onCleanup`, then SIGKILLs every child still running and waits for each. */
export async function killAll(): Promise<void> {
  await Promise.all(cleanups.splice(0).map((fn) => fn().catch(() => undefined)));
  await Promise.all([...live].map((c) => kill(c, 'SIGKILL')));
}

/** Sends `signal` and resolves when the process has exited (at once if it already had). */
export function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/**
 * The environment of an Arbiter child: the parent's without any ARBITER_* variable (Arbiter refuses unknown ones,
 * and ARBITER_SEAMS is the battery's own), plus `extra`.
 */
export function childEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('ARBITER_')) env[k] = v;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

/** Runs the built CLI (`bin/arbiter.js`) as its own OS process; never throws on a non-zero exit. */
export function runCli(env: Record<string, string>, args: readonly string[], timeoutMs = 180_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

/** Runs the CLI and parses its stdout as JSON; fails with the process's own words when it did not succeed. */
export async function cliJson<T = any>(env: Record<string, string>, args: readonly string[]): Promise<T> {
  const r = await runCli(env, args);
  if (r.code !== 0) throw new Error(`arbiter ${args.join(' ')} exited ${r.code ?? r.signal}: ${r.err || r.out}`);
  return JSON.parse(r.out) as T;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no free port'))));
    });
  });
}

export interface Serve {
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** What the server wrote to stderr so far (quoted when something fails). */
  stderr(): string;
}

/** Starts `arbiter serve` as its own process on a free port and waits until /health answers. */
export async function startServe(env: Record<string, string>): Promise<Serve> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = track(
      spawn(process.execPath, [BIN, 'serve', '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] }),
    );
    let err = '';
    child.stderr?.on('data', (d) => {
      err += d;
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && child.exitCode === null) {
      const up = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return { port, url, child, stderr: () => err };
      await sleep(100);
    }
    await kill(child, 'SIGKILL');
    // Another process may have taken the port between the probe and the bind: try once more on a new one.
    if (attempt < 3 && /EADDRINUSE/.test(err)) continue;
    throw new Error(`arbiter serve did not start on port ${port}: ${err}`);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` saying `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
