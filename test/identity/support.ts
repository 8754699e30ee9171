import { type ChildProcess, spawn } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { base64url, type Certificate, canonicalJson } from '../../src/core/cert/certificate.js';
import { BIN, cli, tempHome } from '../support/cli.js';
import { addAgent, freePort, patchMandate, stopServe } from '../support/mcp.js';

/**
 * Re-signs a certificate with the installation's own issuer key after `patch` changed its payload: what an
 * issuer bug (or a stolen key used carelessly) would produce. The verifier must judge the content, not only the
 * signature.
 */
export function resign(home: string, cert: Certificate, patch: (p: Record<string, any>) => void): Certificate {
  const payload = structuredClone(cert.payload) as unknown as Record<string, any>;
  patch(payload);
  const key = createPrivateKey(readFileSync(new RuntimeLayout(home).issuerKey(), 'utf8'));
  const signature = base64url(new Uint8Array(sign(null, Buffer.from(canonicalJson(payload), 'utf8'), key)));
  return { alg: cert.alg, payload: payload as unknown as Certificate['payload'], signature };
}

export interface Served {
  readonly child: ChildProcess;
  readonly base: string;
  stderr(): string;
}

/** Starts `arbiter serve` as an OS process with extra environment and waits for /health. */
export async function serve(
  home: string,
  port: number,
  opts: { env?: NodeJS.ProcessEnv; args?: readonly string[] } = {},
): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...(opts.args ?? [])], {
    env: { ...process.env, ARBITER_HOME: home, ...opts.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return { child, base, stderr: () => err };
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`serve exited: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`serve did not start: ${err}`);
}

/** One HTTP request with an optional bearer token; the body is parsed when it is JSON. */
export async function http(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: res.status, body, text, headers: res.headers };
}

export interface Installation {
  readonly home: string;
  readonly server: Served;
  /** Bearer tokens of the agents asked for, by name. */
  readonly tokens: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * A fresh installation as an operator sets one up: a home with the default mandate (patched if asked), agents
 * with their tokens, and `arbiter serve` running as an OS process with the given environment and arguments.
 */
export async function installation(
  opts: {
    agents?: readonly string[];
    env?: NodeJS.ProcessEnv;
    args?: readonly string[];
    mandate?: (m: Record<string, any>) => void;
  } = {},
): Promise<Installation> {
  const home = tempHome();
  const init = cli(home, ['mandate', 'init']);
  if (init.code !== 0) throw new Error(init.err);
  if (opts.mandate) patchMandate(home, opts.mandate);
  const tokens = Object.fromEntries((opts.agents ?? []).map((a) => [a, addAgent(home, a)]));
  const server = await serve(home, await freePort(), {
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.args ? { args: opts.args } : {}),
  });
  return {
    home,
    server,
    tokens,
    async close() {
      await stopServe(server.child);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** An MCP client over Streamable HTTP, as the agent whose token it sends. */
export async function mcpClient(base: string, token: string, name = 'identity-test'): Promise<Client> {
  const c = new Client({ name, version: '1' });
  await c.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return c;
}
