import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { BIN, cli } from './cli.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Edits the mandate of the runtime root in place. */
export function patchMandate(home: string, patch: (m: Record<string, any>) => void): void {
  const path = new RuntimeLayout(home).mandate('paper');
  const m = JSON.parse(readFileSync(path, 'utf8'));
  patch(m);
  writeFileSync(path, JSON.stringify(m, null, 2));
}

/** Admits prediction-market outcome tokens in the paper mandate, with optional `arbiter.prediction` limits. */
export function admitPredictionMarkets(home: string, limits?: Record<string, number>): void {
  patchMandate(home, (m) => {
    m.hard_caps.allowed_instruments.push('prediction');
    m.universe.asset_classes.push('prediction');
    m.arbiter.market_kinds = [...(m.arbiter.market_kinds ?? []), 'prediction'];
    if (limits) m.arbiter.prediction = limits;
  });
}

/** Starts `arbiter serve` and waits until /health answers. */
export async function startServe(home: string, port: number, extra: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...extra], {
    env: { ...process.env, ARBITER_HOME: home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/health`);
      if (r.ok) return child;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`serve exited: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`serve did not start: ${err}`);
}

export function addAgent(home: string, name: string, account?: string): string {
  const r = cli(home, ['agents', 'add', name, ...(account ? ['--account', account] : [])]);
  if (r.code !== 0) throw new Error(r.err);
  return JSON.parse(r.out).token as string;
}

/** Stops a server and waits for it to exit (it writes a final checkpoint on SIGTERM). */
export function stopServe(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** `arbiter mcp` (built CLI) over stdio as agent alice in shadow mode, the clock moved by `offsetMs`. */
export async function shadowAgent(home: string, offsetMs: number): Promise<Client> {
  const client = new Client({ name: 'pm-shadow-agent', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--agent', 'alice'],
      env: {
        ...process.env,
        ARBITER_HOME: home,
        ARBITER_MODE: 'shadow',
        ARBITER_CLOCK_OFFSET_MS: String(offsetMs),
      } as Record<string, string>,
      stderr: 'pipe',
    }),
  );
  return client;
}
