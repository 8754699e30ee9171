import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
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

  it('vets without trading and returns a signed certificate', async () => {
    const r = await client.callTool({
      name: 'vet_trade',
      arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50 },
    });
    expect(r.isError).toBeFalsy();
    expect(sc(r).decision).toBe('ALLOW');
    expect(sc(r).certificate.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    // The text block is the same JSON as the structured content (for clients that read only text).
    const text = (r.content as { type: string; text: string }[])[0]!.text;
    expect(JSON.parse(text)).toEqual(sc(r));
    const orders = await client.callTool({ name: 'get_order_history', arguments: {} });
    expect(sc(orders).orders).toEqual([]);
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
    expect(sc(again).certificate).toEqual(sc(r).certificate);
    const pos = await client.callTool({ name: 'get_positions', arguments: {} });
    expect(sc(pos).positions.find((p: Sc) => p.symbol === 'BTC/USDT:USDT').quantity).toBeGreaterThan(0);
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
    const approve = cli(home, ['approvals', 'approve', id]);
    expect(approve.code, approve.err + approve.out).toBe(0);
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
});
