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
    const r = await c.callTool({
      name: 'vet_trade',
      arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50, include_certificate: true },
    });
    expect(sc(r).certificate.payload.agent_id).toBe('alice');
    const spoof = await c.callTool({
      name: 'vet_trade',
      arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50, agent_id: 'bob', include_certificate: true },
    });
    // The argument is refused or ignored; either way the verdict is alice's.
    if (spoof.isError) expect(JSON.stringify(spoof.content)).toMatch(/agent_id/);
    else expect(sc(spoof).certificate.payload.agent_id, 'an argument never names the agent').toBe('alice');
    await c.close();
  });

  it("lets an agent read its own verdicts' certificates from any of its sessions, and no other agent's", async () => {
    const a = await connect(alice);
    const r = await a.callTool({
      name: 'place_order',
      arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 60, client_order_id: 'cert-own-1' },
    });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    const uri = sc(r).certificate_uri as string;
    expect(uri).toBe(`arbiter://certificates/${sc(r).verdict_id}`);
    const vet = await a.callTool({ name: 'vet_trade', arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50 } });
    await a.close();
    // A new session of the same agent reads the recorded verdict (a dry run lived only in its own session).
    const a2 = await connect(alice);
    const read = await a2.readResource({ uri });
    const cert = JSON.parse((read.contents[0] as { text: string }).text);
    expect(cert.payload).toMatchObject({ id: sc(r).verdict_id, agent_id: 'alice', decision: 'ALLOW' });
    await expect(a2.readResource({ uri: sc(vet).certificate_uri })).rejects.toMatchObject({ code: -32002 });
    await a2.close();
    const b = await connect(bob);
    await expect(b.readResource({ uri }), "bob never reads alice's certificate").rejects.toMatchObject({
      code: -32002,
      message: expect.stringContaining('VERDICT_NOT_FOUND'),
    });
    await b.close();
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
