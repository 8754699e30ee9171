import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, tempHome } from './support/cli.js';
import { patchMandate } from './support/mcp.js';

type Sc = Record<string, any>;
const sc = (r: unknown) => (r as CallToolResult).structuredContent as Sc;

describe('MCP over stdio with the SDK client', () => {
  let home: string;
  let client: Client;
  const listChanged: number[] = [];

  beforeAll(async () => {
    home = tempHome();
    cli(home, ['mandate', 'init']);
    patchMandate(home, (m) => {
      m.arbiter = { ...m.arbiter, approval_threshold_usd: 300 };
    });
    client = new Client({ name: 'test', version: '1.0.0' });
    client.setNotificationHandler(
      (await import('@modelcontextprotocol/sdk/types.js')).ToolListChangedNotificationSchema,
      async () => {
        listChanged.push(Date.now());
      },
    );
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', '--agent', 'alice'],
        env: { ...process.env, ARBITER_HOME: home } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
  });
  afterAll(async () => {
    await client.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('lists market, account, firewall and trading tools with schemas and annotations', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const n of [
      'get_ticker',
      'get_candles',
      'vet_trade',
      'place_order',
      'amend_order',
      'cancel_order',
      'set_leverage',
      'close_position',
      'get_approval_status',
    ])
      expect(names).toContain(n);
    const place = tools.find((t) => t.name === 'place_order')!;
    expect(place.outputSchema).toBeDefined();
    expect(place.annotations?.readOnlyHint).toBe(false);
    expect(tools.find((t) => t.name === 'get_ticker')!.annotations?.readOnlyHint).toBe(true);
  });

  it('vets without trading and returns a compact verdict whose certificate is behind a resource link', async () => {
    const r = (await client.callTool({
      name: 'vet_trade',
      arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50 },
    })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(sc(r).decision).toBe('ALLOW');
    expect(sc(r).effective_notional).toBeGreaterThan(0);
    expect(sc(r).dry_run).toBe(true);
    expect(sc(r).certificate, 'the certificate is not inline unless asked for').toBeUndefined();
    expect(sc(r).certificate_sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Date.parse(sc(r).expires_at)).toBeGreaterThan(Date.now() - 60_000);
    const size = Buffer.byteLength(JSON.stringify(r), 'utf8');
    expect(size, 'a default vet_trade result costs at most 1,500 bytes').toBeLessThanOrEqual(1_500);
    // The text block is the same JSON as the structured content (for clients that read only text).
    const text = (r.content as { type: string; text: string }[])[0]!.text;
    expect(JSON.parse(text)).toEqual(sc(r));
    const link = r.content.find((c) => c.type === 'resource_link');
    expect(link).toMatchObject({ uri: `arbiter://certificates/${sc(r).verdict_id}`, mimeType: 'application/json' });
    expect(sc(r).certificate_uri).toBe((link as { uri: string }).uri);
    // The dry run's certificate is readable in this session: signed, the verdict's hash, and it verifies.
    const read = await client.readResource({ uri: sc(r).certificate_uri });
    const json = (read.contents[0] as { text: string }).text;
    expect(`sha256:${createHash('sha256').update(json).digest('hex')}`).toBe(sc(r).certificate_sha256);
    const cert = JSON.parse(json);
    expect(cert.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(cert.payload).toMatchObject({ id: sc(r).verdict_id, agent_id: 'alice', dry_run: true, decision: 'ALLOW' });
    const v = await client.callTool({ name: 'verify_certificate', arguments: { certificate: cert } });
    expect(sc(v).ok, JSON.stringify(v.content)).toBe(true);
    const orders = await client.callTool({ name: 'get_order_history', arguments: {} });
    expect(sc(orders).orders).toEqual([]);
  });

  it('returns the full signed certificate inline when asked with include_certificate: true', async () => {
    const r = await client.callTool({
      name: 'vet_trade',
      arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50, include_certificate: true },
    });
    expect(sc(r).certificate.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(sc(r).certificate.payload.id).toBe(sc(r).verdict_id);
    expect(sc(r).certificate.payload.intent, 'include_certificate is not part of the signed intent').toEqual({
      symbol: 'BTC/USDT',
      side: 'buy',
      notional: 50,
    });
    const text = (r.content as { type: string; text: string }[])[0]!.text;
    expect(JSON.parse(text)).toEqual(sc(r));
  });

  it('answers an unknown certificate id with resource-not-found', async () => {
    await expect(client.readResource({ uri: 'arbiter://certificates/vdt_nope' })).rejects.toMatchObject({
      code: -32002,
      message: expect.stringContaining('VERDICT_NOT_FOUND'),
    });
  });

  it('places a market order that fills, with the certificate beside the order', async () => {
    const r = await client.callTool({
      name: 'place_order',
      arguments: { symbol: 'BTC/USDT:USDT', side: 'buy', notional: 120, client_order_id: 'm-1' },
    });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    expect(sc(r).order.status).toBe('filled');
    const again = await client.callTool({
      name: 'place_order',
      arguments: { symbol: 'BTC/USDT:USDT', side: 'buy', notional: 120, client_order_id: 'm-1' },
    });
    expect(sc(again).replayed).toBe(true);
    expect(sc(again).verdict_id).toBe(sc(r).verdict_id);
    expect(sc(again).certificate_sha256, 'the original certificate, byte for byte').toBe(sc(r).certificate_sha256);
    const pos = await client.callTool({ name: 'get_positions', arguments: {} });
    expect(sc(pos).positions.find((p: Sc) => p.symbol === 'BTC/USDT:USDT').quantity).toBeGreaterThan(0);
    // Numbers at the edges carry no binary noise (77.552504, never 77.55250399999932): at most 12 significant digits.
    const bal = await client.callTool({ name: 'get_balance', arguments: {} });
    const numbers = [...Object.values(sc(bal)), ...sc(pos).positions.flatMap((p: Sc) => Object.values(p))].filter(
      (x): x is number => typeof x === 'number',
    );
    for (const x of numbers)
      expect(x.toExponential().split('e')[0]!.replace(/[-.]/g, '').length, `${x} is free of noise`).toBeLessThanOrEqual(
        12,
      );
  });

  it('rests a limit order and cancels it', async () => {
    const t = sc(await client.callTool({ name: 'get_ticker', arguments: { symbol: 'BTCUSDT' } }));
    const limit = Math.round(t.bid * 0.97);
    const r = await client.callTool({
      name: 'place_order',
      arguments: { symbol: 'BTC/USDT', side: 'buy', quantity: 0.001, limit_price: limit, client_order_id: 'l-1' },
    });
    expect(sc(r).order.status).toBe('open');
    const c = await client.callTool({ name: 'cancel_order', arguments: { order_id: 'l-1' } });
    expect(sc(c).order.status).toBe('cancelled');
  });

  it('returns a denial as an isError result with reason codes', async () => {
    const r = await client.callTool({
      name: 'place_order',
      arguments: { symbol: 'BTC/USDT', side: 'buy', notional: -5 },
    });
    expect(r.isError).toBe(true);
    expect(sc(r).reasons).toEqual(['INTENT_MALFORMED']);
    expect(sc(r).messages[0]).toContain('field=notional');
  });

  it('gives clear errors for bad arguments and changes nothing', async () => {
    const before = sc(await client.callTool({ name: 'get_order_history', arguments: {} })).orders.length;
    const wrongType = await client.callTool({
      name: 'place_order',
      arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 'lots' },
    });
    expect(wrongType.isError).toBe(true);
    expect(JSON.stringify(wrongType.content)).toMatch(/notional/);
    const unknown = await client.callTool({ name: 'get_ticker', arguments: { symbol: 'NOPE/USDT' } });
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toContain('known: ');
    const huge = await client.callTool({
      name: 'place_order',
      arguments: { symbol: 'x'.repeat(10_000), side: 'buy', notional: 5 },
    });
    expect(huge.isError).toBe(true);
    const after = sc(await client.callTool({ name: 'get_order_history', arguments: {} })).orders.length;
    expect(after).toBe(before);
  });

  it('refuses unknown arguments, naming each and listing the accepted ones, and sends nothing', async () => {
    const before = sc(await client.callTool({ name: 'get_order_history', arguments: {} })).orders.length;
    for (const extra of [{ amount: 5 }, { notional_usd: 50 }, { rationale: 'looks cheap' }]) {
      const r = await client.callTool({
        name: 'place_order',
        arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50, ...extra },
      });
      const text = JSON.stringify(r.content);
      expect(r.isError, text).toBe(true);
      expect(text).toContain(`unknown argument \\"${Object.keys(extra)[0]}\\"`);
      expect(text).toContain('accepted: symbol, side, quantity, notional, limit_price');
      expect(text).toContain('-32602');
    }
    const none = await client.callTool({ name: 'get_balance', arguments: { account_id: 'someone-else' } });
    expect(JSON.stringify(none.content)).toContain('accepted: none');
    const after = sc(await client.callTool({ name: 'get_order_history', arguments: {} })).orders.length;
    expect(after, 'nothing was sent').toBe(before);
  });

  it('answers a request whose params do not fit the method with JSON-RPC -32602 naming the field', async () => {
    const malformed = [
      { method: 'tools/call', params: { arguments: {} }, field: 'params.name' },
      { method: 'resources/read', params: {}, field: 'params.uri' },
    ];
    for (const m of malformed)
      await expect(
        client.request({ method: m.method, params: m.params } as never, CallToolResultSchema),
        m.method,
      ).rejects.toMatchObject({ code: -32602, message: expect.stringContaining(m.field) });
  });

  it('holds a large order for a human, who approves it out of band; the order then executes', async () => {
    const r = await client.callTool({
      name: 'place_order',
      arguments: { symbol: 'BTC/USDT:USDT', side: 'buy', notional: 400, client_order_id: 'big-1' },
    });
    expect(r.isError).toBe(true);
    expect(sc(r).decision).toBe('PENDING_APPROVAL');
    const id = sc(r).approval_id as string;
    const status = await client.callTool({ name: 'get_approval_status', arguments: { approval_id: id } });
    expect(sc(status).status).toBe('pending');
    const { tools } = await client.listTools();
    expect(tools.some((t) => /approve/.test(t.name) && t.name !== 'get_approval_status')).toBe(false);
    // The CLI spells an approval as HTTP and MCP do: snake_case, the intent as the object the agent sent.
    const list = cli(home, ['approvals', 'list']);
    const row = (JSON.parse(list.out).approvals as Sc[]).find((a) => a.approval_id === id);
    expect(row, list.out.slice(0, 400)).toMatchObject({
      approval_id: id,
      agent_id: 'alice',
      status: 'pending',
      intent: { symbol: 'BTC/USDT:USDT', side: 'buy', notional: 400, client_order_id: 'big-1' },
    });
    expect(
      Object.keys(row!).filter((k) => /[A-Z]/.test(k)),
      'no camelCase field',
    ).toEqual([]);
    const approve = cli(home, ['approvals', 'approve', id]);
    expect(approve.code, approve.err + approve.out).toBe(0);
    expect(JSON.parse(approve.out).approval).toMatchObject({ approval_id: id, status: 'executed' });
    expect(JSON.parse(approve.out).order?.status, approve.out.slice(0, 400)).toBe('filled');
    const done = await client.callTool({ name: 'get_approval_status', arguments: { approval_id: id } });
    expect(sc(done).status).toBe('executed');
  });

  it('drops the tools that only add risk while halted, keeps cancels and reductions, refuses new exposure, restores on resume', async () => {
    expect(cli(home, ['halt', '--reason', 'test']).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1_500));
    const halted = (await client.listTools()).tools.map((t) => t.name);
    expect(halted, 'amend_order and set_leverage can only add risk').not.toContain('amend_order');
    expect(halted).not.toContain('set_leverage');
    for (const n of ['get_ticker', 'place_order', 'cancel_order', 'cancel_all_orders', 'close_position'])
      expect(halted, `${n} stays: de-risking is never blocked`).toContain(n);
    const refused = await client.callTool({
      name: 'place_order',
      arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50 },
    });
    expect(refused.isError).toBe(true);
    expect(listChanged.length).toBeGreaterThan(0);
    expect(cli(home, ['resume']).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('amend_order');
  });

  it('serves resources and the house-rules prompt', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(['arbiter://mandate', 'arbiter://limits', 'arbiter://positions', 'arbiter://ledger/head']),
    );
    const head = await client.readResource({ uri: 'arbiter://ledger/head' });
    expect(JSON.parse((head.contents[0] as { text: string }).text).count).toBeGreaterThan(0);
    const candles = await client.readResource({ uri: 'arbiter://candles/BTCUSDT/1h' });
    expect(JSON.parse((candles.contents[0] as { text: string }).text).length).toBeGreaterThan(0);
    const prompt = await client.getPrompt({ name: 'house_rules' });
    expect(JSON.stringify(prompt.messages)).toContain('PENDING_APPROVAL');
  });

  it('reads candles with the symbol as an agent types it, encoded or native, and names what is accepted', async () => {
    const bars = async (uri: string) =>
      JSON.parse(((await client.readResource({ uri })).contents[0] as { text: string }).text) as unknown[];
    const typed = await bars('arbiter://candles/BTC/USDT/1h');
    expect(typed.length).toBeGreaterThan(0);
    expect(await bars('arbiter://candles/BTC%2FUSDT/1h')).toEqual(typed);
    expect(await bars('arbiter://candles/BTCUSDT/1h')).toEqual(typed);
    expect((await bars('arbiter://candles/BTC/USDT:USDT/4h')).length).toBeGreaterThan(0);
    const { resourceTemplates } = await client.listResourceTemplates();
    const t = resourceTemplates.find((x) => x.name === 'candles')!;
    expect(t.description).toContain('arbiter://candles/BTC/USDT/1h');
    await expect(client.readResource({ uri: 'arbiter://candles/NOPE/USDT/1h' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/unknown symbol "NOPE\/USDT".*known: .*BTC\/USDT/),
    });
    await expect(client.readResource({ uri: 'arbiter://candles/BTC/USDT/2h' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('accepted: 1m, 5m, 15m, 1h, 4h, 1d'),
    });
  });

  it('serves the house-rules prompt', async () => {
    const prompt = await client.getPrompt({ name: 'house_rules' });
    expect(JSON.stringify(prompt.messages)).toContain('PENDING_APPROVAL');
  });
});
