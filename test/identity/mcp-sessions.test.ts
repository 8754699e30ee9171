import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, tempHome } from '../support/cli.js';
import { http, type Installation, installation, mcpClient, type Served } from './support.js';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** Opens a session with plain HTTP (no GET stream): what a careless or hostile client does. */
async function rawSession(base: string, token: string): Promise<{ status: number; id: string | null }> {
  const r = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
    body: JSON.stringify(INIT),
  });
  await r.text();
  return { status: r.status, id: r.headers.get('mcp-session-id') };
}

async function rawCall(base: string, token: string, sid: string, method: string, params: object = {}) {
  const r = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      ...JSON_HEADERS,
      authorization: `Bearer ${token}`,
      'mcp-session-id': sid,
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method, params }),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

async function sessionsGauge(base: string): Promise<number> {
  const m = (await http(base, 'GET', '/metrics')).text;
  return Number(/^arbiter_mcp_sessions (\d+)/m.exec(m)?.[1] ?? Number.NaN);
}

const connect = (base: string, token: string) => mcpClient(base, token, 'budget');

describe('MCP over HTTP: one budget per agent across all its sessions, counting every request', () => {
  let inst: Installation;
  let server: Served;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    inst = await installation({ agents: ['alice', 'bob'], env: { ARBITER_MCP_CALLS: '1000,12' } });
    server = inst.server;
    alice = inst.tokens.alice!;
    bob = inst.tokens.bob!;
  });
  afterAll(async () => inst?.close());

  it('three sessions of one agent share 12 requests a minute; resources, prompts and lists count too', async () => {
    const sessions = [
      await connect(server.base, alice),
      await connect(server.base, alice),
      await connect(server.base, alice),
    ];
    const calls: (() => Promise<unknown>)[] = [
      () => sessions[0]!.callTool({ name: 'get_ticker', arguments: { symbol: 'BTC/USDT' } }),
      () => sessions[1]!.readResource({ uri: 'arbiter://ledger/head' }),
      () => sessions[2]!.getPrompt({ name: 'house_rules' }),
      () => sessions[0]!.listTools(),
      () => sessions[1]!.listResources(),
    ];
    let accepted = 3; // the three initialize requests
    const refusals: string[] = [];
    for (let i = 0; i < 15; i++) {
      try {
        const r = (await calls[i % calls.length]!()) as CallToolResult;
        if (r?.isError) refusals.push(JSON.stringify(r.content));
        else accepted += 1;
      } catch (e) {
        refusals.push((e as Error).message);
      }
    }
    expect(accepted, 'requests served across all three sessions').toBe(12);
    expect(refusals.length).toBe(6);
    for (const r of refusals) expect(r).toContain('THROTTLE_MCP_CALLS');
    await expect(
      sessions[1]!.readResource({ uri: 'arbiter://mandate' }),
      'resources/read is refused too',
    ).rejects.toThrow(/THROTTLE_MCP_CALLS/);
    const fresh = await rawSession(server.base, alice);
    expect(fresh.status, 'a new session does not get a new budget').toBe(429);
    const other = await connect(server.base, bob);
    const ok = (await other.callTool({ name: 'get_ticker', arguments: { symbol: 'BTC/USDT' } })) as CallToolResult;
    expect(ok.isError, 'another agent has its own budget').toBeFalsy();
    for (const s of [...sessions, other]) await s.close();
  });
});

describe('MCP over HTTP: sessions expire when idle and an agent holds a bounded number', () => {
  let inst: Installation;
  let server: Served;
  let alice: string;
  beforeAll(async () => {
    inst = await installation({
      agents: ['alice'],
      env: { ARBITER_MCP_SESSION_IDLE_MS: '1500', ARBITER_MCP_SESSIONS_PER_AGENT: '3' },
    });
    server = inst.server;
    alice = inst.tokens.alice!;
  });
  afterAll(async () => inst?.close());

  it('a fourth session closes the least recently used one (its id then answers 404), never a fifth alive', async () => {
    const a = await rawSession(server.base, alice);
    const b = await rawSession(server.base, alice);
    const c = await rawSession(server.base, alice);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect((await rawCall(server.base, alice, a.id!, 'tools/list')).status).toBe(200); // a is now the most recent
    const d = await rawSession(server.base, alice);
    expect(d.status).toBe(200);
    expect((await rawCall(server.base, alice, b.id!, 'tools/list')).status, 'b was the least recently used').toBe(404);
    for (const s of [a, c, d]) expect((await rawCall(server.base, alice, s.id!, 'tools/list')).status).toBe(200);
    expect(await sessionsGauge(server.base)).toBe(3);
  });

  it('closes a session idle longer than ARBITER_MCP_SESSION_IDLE_MS and frees it', async () => {
    const s = await rawSession(server.base, alice);
    expect(s.status).toBe(200);
    await new Promise((r) => setTimeout(r, 3_500));
    expect((await rawCall(server.base, alice, s.id!, 'tools/list')).status, 'expired').toBe(404);
    expect(await sessionsGauge(server.base), 'no session is left in memory').toBe(0);
  });

  it('refuses invalid session settings at start-up, naming them', () => {
    const r = cli(inst.home, ['serve', '--port', '0'], {
      ARBITER_MCP_SESSION_IDLE_MS: 'soon',
      ARBITER_MCP_SESSIONS_PER_AGENT: '0',
    });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('ARBITER_MCP_SESSION_IDLE_MS');
    expect(r.err).toContain('ARBITER_MCP_SESSIONS_PER_AGENT');
  });
});

describe('MCP over stdio: the budget counts every request too', () => {
  it('refuses resources/read once the budget is spent', async () => {
    const home = tempHome();
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    const c = new Client({ name: 'stdio-budget', version: '1' });
    await c.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', '--agent', 'alice'],
        env: { ...process.env, ARBITER_HOME: home, ARBITER_MCP_CALLS: '1000,4' } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
    try {
      await c.readResource({ uri: 'arbiter://ledger/head' });
      await c.listTools();
      await c.getPrompt({ name: 'house_rules' });
      await expect(c.readResource({ uri: 'arbiter://ledger/head' })).rejects.toThrow(/THROTTLE_MCP_CALLS/);
      const tool = (await c.callTool({ name: 'get_ticker', arguments: { symbol: 'BTC/USDT' } })) as CallToolResult;
      expect(tool.isError).toBe(true);
      expect(JSON.stringify(tool.content)).toContain('THROTTLE_MCP_CALLS');
    } finally {
      await c.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
