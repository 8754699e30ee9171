import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome } from './support/cli.js';
import { addAgent, freePort, startServe, stopServe } from './support/mcp.js';

const sc = (r: unknown) => (r as CallToolResult).structuredContent as Record<string, any>;
const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
};

describe('MCP over Streamable HTTP with the SDK client', () => {
  let home: string;
  let port: number;
  let serve: ChildProcess;
  let alice: string;
  let bob: string;
  const url = () => new URL(`http://127.0.0.1:${port}/mcp`);
  const connect = async (token: string) => {
    const c = new Client({ name: 'http-test', version: '1.0.0' });
    await c.connect(
      new StreamableHTTPClientTransport(url(), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
    );
    return c;
  };

  beforeAll(async () => {
    home = tempHome();
    cli(home, ['mandate', 'init']);
    alice = addAgent(home, 'alice');
    bob = addAgent(home, 'bob', 'bobs-account');
    port = await freePort();
    serve = await startServe(home, port);
  });
  afterAll(async () => {
    await stopServe(serve);
    rmSync(home, { recursive: true, force: true });
  });

  it('takes the agent identity from the bearer token, never from arguments', async () => {
    const c = await connect(alice);
    const r = await c.callTool({ name: 'vet_trade', arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50 } });
    expect(sc(r).certificate.payload.agent_id).toBe('alice');
    const spoof = await c.callTool({
      name: 'vet_trade',
      arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50, agent_id: 'bob' },
    });
    // The argument is refused or ignored; either way the verdict is alice's.
    if (spoof.isError) expect(JSON.stringify(spoof.content)).toMatch(/agent_id/);
    else expect(sc(spoof).certificate.payload.agent_id, 'an argument never names the agent').toBe('alice');
    await c.close();
  });

  it('places and fills an order, and lets each agent see only its own account', async () => {
    const a = await connect(alice);
    const r = await a.callTool({
      name: 'place_order',
      arguments: { symbol: 'ETH/USDT:USDT', side: 'buy', notional: 100, client_order_id: 'h-1' },
    });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    expect(sc(r).order.status).toBe('filled');
    const b = await connect(bob);
    const hist = await b.callTool({ name: 'get_order_history', arguments: {} });
    expect(sc(hist).orders.map((o: { clientOrderId: string }) => o.clientOrderId)).not.toContain('h-1');
    await a.close();
    await b.close();
  });

  it('answers 401 without a token, 400 without a session id, 404 for an unknown session', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const none = await fetch(url(), { method: 'POST', headers, body: JSON.stringify(INIT) });
    expect(none.status).toBe(401);
    const auth = { ...headers, authorization: `Bearer ${alice}` };
    const noSession = await fetch(url(), {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(noSession.status).toBe(400);
    const unknown = await fetch(url(), {
      method: 'POST',
      headers: { ...auth, 'mcp-session-id': 'no-such-session' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
    });
    expect(unknown.status).toBe(404);
  });

  it("refuses another agent's token on an existing session", async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(url(), {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${alice}` },
      body: JSON.stringify(INIT),
    });
    const sid = init.headers.get('mcp-session-id')!;
    expect(sid).toBeTruthy();
    const hijack = await fetch(url(), {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${bob}`, 'mcp-session-id': sid },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(hijack.status).toBe(403);
  });

  it('rejects a foreign Host or Origin (DNS-rebinding protection)', async () => {
    const h = { 'content-type': 'application/json', authorization: `Bearer ${alice}` };
    const { request } = await import('node:http');
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers }, (res) =>
          resolve(res.statusCode ?? 0),
        );
        req.end(JSON.stringify(INIT));
      });
    expect(await status({ ...h, host: 'evil.example:80' })).toBe(403);
    expect(await status({ ...h, host: `127.0.0.1:${port}`, origin: 'http://evil.example' })).toBe(403);
  });
});
