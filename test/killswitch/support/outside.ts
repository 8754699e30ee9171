import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RuntimeLayout } from '../../../src/adapters/runtime/layout.js';
import { BIN, cli } from '../../support/cli.js';
import { freePort } from '../../support/mcp.js';

/** A 32+ character admin token every kill-switch test server uses (ARBITER_ADMIN_TOKEN). */
export const ADMIN = 'killswitch-admin-token-0123456789abcdef';

export interface Served {
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the server wrote to stderr so far (quoted when a test fails). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `arbiter serve` as a real OS process and waits until /health answers. */
export async function serve(home: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...args], {
    env: { ...process.env, ARBITER_HOME: home, ARBITER_ADMIN_TOKEN: ADMIN, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}): ${err}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await sleep(100);
  }
  return {
    port,
    url,
    child,
    log: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined), or fails naming what was awaited. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await sleep(200);
  }
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: any;
}

/** One HTTP call as any client makes it. */
export async function http(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await r.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: r.status, body };
}

/** Registers an agent with the CLI and returns its bearer token. */
export function agent(home: string, name: string, env: NodeJS.ProcessEnv = {}): string {
  const r = cli(home, ['agents', 'add', name], env);
  if (r.code !== 0) throw new Error(r.err);
  return JSON.parse(r.out).token as string;
}

/** Writes `live/<broker>/mandate.json` after `patch` (the CLI's default mandate as the starting point). */
export function mandate(home: string, broker: string, patch: (m: Record<string, any>) => void): void {
  const layout = new RuntimeLayout(home);
  const base = JSON.parse(readFileSync(layout.mandate('paper'), 'utf8'));
  base.consent.broker = broker;
  patch(base);
  mkdirSync(dirname(layout.mandate(broker)), { recursive: true, mode: 0o700 });
  writeFileSync(layout.mandate(broker), JSON.stringify(base, null, 2));
}

export const sc = (r: unknown) => (r as CallToolResult).structuredContent as Record<string, any>;
export const text = (r: unknown) => JSON.stringify((r as CallToolResult).content);

/** An MCP client over Streamable HTTP, as an agent with a token connects. */
export async function mcpHttp(base: string, token: string): Promise<Client> {
  const c = new Client({ name: 'killswitch-test', version: '1' });
  await c.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return c;
}

/** `arbiter mcp` over stdio as a separate process, as Claude Desktop starts it. */
export async function mcpStdio(home: string, agentId: string, account: string): Promise<Client> {
  const c = new Client({ name: 'killswitch-stdio', version: '1' });
  await c.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--agent', agentId],
      env: { ...process.env, ARBITER_HOME: home, ARBITER_ACCOUNT: account } as Record<string, string>,
      stderr: 'pipe',
    }),
  );
  return c;
}

/**
 * Vibe-Trading's halt code, re-written from reading HKUDS/Vibe-Trading `agent/src/live/halt.py` (not copied):
 * trip writes {tripped_at, by, reason} atomically (temp file + replace), clear unlinks, halted checks existence,
 * read parses the body (empty dict when unreadable).
 */
export const VIBE_HALT = join(import.meta.dirname, 'vibe-halt.py');

export function vibe(home: string, args: readonly string[]): { code: number; out: string; err: string } {
  const r = spawnSync('python3', [VIBE_HALT, '--root', home, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr };
}
