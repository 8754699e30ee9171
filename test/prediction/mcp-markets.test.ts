import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, tempHome } from '../support/cli.js';
import { admitPredictionMarkets } from '../support/mcp.js';

type Sc = Record<string, any>;
const sc = (r: unknown) => (r as CallToolResult).structuredContent as Sc;
const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;

describe('prediction markets over MCP (stdio, built CLI, ARBITER_MODE=shadow)', () => {
  let home: string;
  let client: Client;

  beforeAll(async () => {
    home = tempHome('arbiter-pm-mcp-');
    cli(home, ['mandate', 'init']);
    // Admit outcome tokens beside what the default mandate trades, with a per-market cost-basis cap.
    admitPredictionMarkets(home, { collar_cents: 5, max_cost_basis_per_market_usd: 100 });
    client = new Client({ name: 'pm-agent', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', '--agent', 'alice'],
        env: { ...process.env, ARBITER_HOME: home, ARBITER_MODE: 'shadow' } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
  });
  afterAll(async () => {
    await client.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('lists list_markets and get_market as read-only tools', async () => {
    const { tools } = await client.listTools();
    for (const n of ['list_markets', 'get_market']) {
      const t = tools.find((x) => x.name === n);
      expect(t, n).toBeDefined();
      expect(t!.annotations?.readOnlyHint).toBe(true);
    }
  });

  it('lists open and resolved markets with YES and NO prices that sum to 1', async () => {
    const r = await client.callTool({ name: 'list_markets', arguments: {} });
    expect(r.isError).toBeFalsy();
    const ms = sc(r).markets as Sc[];
    expect(ms.length).toBe(12);
    const open = ms.filter((m) => m.status === 'open');
    const resolved = ms.filter((m) => m.status === 'resolved');
    expect(open.length).toBeGreaterThan(0);
    expect(resolved.length).toBeGreaterThan(0);
    for (const m of open) {
      expect(m.question).toMatch(/\?$/);
      expect(Date.parse(m.resolves_at)).toBeGreaterThan(Date.now());
      expect(m.outcome).toBeNull();
      expect(m.prices.YES).toBeGreaterThan(0);
      expect(m.prices.YES).toBeLessThan(1);
      expect(m.prices.YES + m.prices.NO).toBeCloseTo(1, 9);
      expect(m.tokens.YES).toBe(`${m.market_id}-YES/USDC`);
    }
    for (const m of resolved) {
      expect(['YES', 'NO']).toContain(m.outcome);
      expect(m.prices[m.outcome]).toBe(1);
      expect(Date.parse(m.resolves_at)).toBeLessThanOrEqual(Date.now());
    }
    const onlyOpen = sc(await client.callTool({ name: 'list_markets', arguments: { status: 'open' } })).markets;
    expect(onlyOpen.map((m: Sc) => m.market_id)).toEqual(open.map((m) => m.market_id));
  });

  it('gets one market by id (any case) and names the known ids for an unknown one', async () => {
    const [first] = sc(await client.callTool({ name: 'list_markets', arguments: { status: 'open' } })).markets;
    const r = await client.callTool({ name: 'get_market', arguments: { market_id: first.market_id.toLowerCase() } });
    expect(r.isError).toBeFalsy();
    expect(sc(r).market_id).toBe(first.market_id);
    expect(sc(r).resolution_source).toBe(first.resolution_source);

    const bad = await client.callTool({ name: 'get_market', arguments: { market_id: 'NOPE-1' } });
    expect(bad.isError).toBe(true);
    expect(JSON.parse(text(bad)).error).toBe('UNKNOWN_MARKET');
    expect(text(bad)).toContain(first.market_id);
  });

  it('refuses an argument the tool does not take, naming the accepted ones', async () => {
    const r = await client.callTool({ name: 'list_markets', arguments: { state: 'open' } });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('"state"');
    expect(text(r)).toContain('accepted: status');
  });

  it('vets buying YES by market id and outcome through the firewall: a signed verdict binding the market state', async () => {
    const [m] = sc(await client.callTool({ name: 'list_markets', arguments: { status: 'open' } })).markets;
    const r = await client.callTool({
      name: 'vet_trade',
      arguments: { market_id: m.market_id, outcome: 'YES', side: 'buy', notional: 20, include_certificate: true },
    });
    expect(r.isError, text(r)).toBeFalsy();
    expect(sc(r).decision).toBe('ALLOW');
    expect(sc(r).dry_run).toBe(true);
    const payload = sc(r).certificate.payload;
    expect(payload.intent.symbol).toBe(`${m.market_id}-YES/USDC`);
    expect(payload.context.instrument.kind).toBe('prediction');
    expect(payload.context.prediction).toMatchObject({
      market_id: m.market_id,
      outcome: 'YES',
      status: 'open',
      resolves_at: Date.parse(m.resolves_at),
      cost_basis_market: 0,
    });
    expect(payload.context.prediction.liquidity_usd).toBeGreaterThan(0);
    const q = payload.context.quote;
    expect(q.bid).toBeLessThan(q.ask);
    expect(q.ask).toBeLessThan(1);
    // No crash-breaker window is kept for outcome tokens: the window high is the quote's mid.
    expect(payload.context.market.window_high).toBeCloseTo((q.bid + q.ask) / 2, 9);

    const v = await client.callTool({ name: 'verify_certificate', arguments: { certificate: sc(r).certificate } });
    expect(v.isError, text(v)).toBeFalsy();
    expect(sc(v).ok).toBe(true);
  });

  it('caps a buy at the per-market cost basis and refuses a resolved market, with reason codes', async () => {
    const ms = sc(await client.callTool({ name: 'list_markets', arguments: {} })).markets as Sc[];
    const open = ms.find((m) => m.status === 'open')!;
    const big = await client.callTool({
      name: 'vet_trade',
      arguments: { market_id: open.market_id, outcome: 'NO', side: 'buy', notional: 400 },
    });
    expect(['ALLOW_CAPPED', 'PAUSE_FOR_REAUTH']).toContain(sc(big).decision);
    if (sc(big).decision === 'ALLOW_CAPPED') expect(sc(big).effective_notional).toBeLessThanOrEqual(100);

    const done = ms.find((m) => m.status === 'resolved')!;
    const r = await client.callTool({
      name: 'vet_trade',
      arguments: { market_id: done.market_id, outcome: 'YES', side: 'buy', notional: 20 },
    });
    expect(r.isError).toBe(true);
    expect(sc(r).decision).toBe('REJECT');
    expect(sc(r).reasons).toContain('PREDICTION_MARKET_RESOLVED');
  });

  it('names what is wrong with a half-given prediction order, to vet_trade and place_order alike', async () => {
    const [m] = sc(await client.callTool({ name: 'list_markets', arguments: { status: 'open' } })).markets;
    for (const name of ['vet_trade', 'place_order']) {
      const half = await client.callTool({ name, arguments: { market_id: m.market_id, side: 'buy', notional: 20 } });
      expect(half.isError, name).toBe(true);
      expect(JSON.parse(text(half))).toMatchObject({ error: 'INVALID_ARGUMENT' });
      expect(text(half)).toContain('outcome');
    }
  });

  it('places outcome-token orders by symbol too: buys NO, sells part of it, never more than held, closes the rest; orders are final at once', async () => {
    const [m] = sc(await client.callTool({ name: 'list_markets', arguments: { status: 'open' } })).markets;
    const symbol = `${m.market_id}-NO/USDC`;
    const buy = await client.callTool({
      name: 'place_order',
      arguments: { symbol, side: 'buy', notional: 10, client_order_id: 'pm-no-1' },
    });
    expect(buy.isError, text(buy)).toBeFalsy();
    const shares = sc(buy).order.filledQuantity as number;
    expect(sc(buy).order.status).toBe('filled');
    expect(shares).toBeGreaterThan(0);

    // Final at once: not open, in the history, not cancellable.
    expect(sc(await client.callTool({ name: 'get_open_orders', arguments: {} })).orders).toEqual([]);
    const history = sc(await client.callTool({ name: 'get_order_history', arguments: {} })).orders as Sc[];
    expect(history.find((o) => o.clientOrderId === 'pm-no-1')).toMatchObject({ symbol, status: 'filled' });
    const cancel = await client.callTool({ name: 'cancel_order', arguments: { order_id: 'pm-no-1' } });
    expect(cancel.isError).toBe(true);

    // A third (what is left then differs from it: close_position's sale is not a duplicate of this one).
    const half = Math.floor((shares / 3) * 100) / 100;
    const sell = await client.callTool({
      name: 'place_order',
      arguments: { symbol, side: 'sell', quantity: half, reduce_only: true },
    });
    expect(sell.isError, text(sell)).toBeFalsy();
    expect(sc(sell).order).toMatchObject({ side: 'sell', status: 'filled', filledQuantity: half });
    const positions = sc(await client.callTool({ name: 'get_positions', arguments: {} })).positions as Sc[];
    expect(positions.find((p) => p.symbol === symbol)?.quantity).toBeCloseTo(shares - half, 8);

    // No shorting: a sale beyond the shares held is refused by the firewall from the venue's position, signed.
    const over = await client.callTool({
      name: 'place_order',
      arguments: { symbol, side: 'sell', quantity: Math.ceil(shares) + 5 },
    });
    expect(over.isError).toBe(true);
    expect(sc(over).decision).toBe('REJECT');
    expect(sc(over).reasons).toEqual(['INSUFFICIENT_POSITION']);

    // The token is a market like any other to the market-data tools.
    const ticker = await client.callTool({ name: 'get_ticker', arguments: { symbol } });
    expect(ticker.isError, text(ticker)).toBeFalsy();
    expect(sc(ticker).symbol).toBe(symbol);
    expect(sc(ticker).bid).toBeLessThan(sc(ticker).ask);
    expect(sc(ticker).ask).toBeLessThan(1);
    const book = await client.callTool({ name: 'get_orderbook', arguments: { symbol } });
    expect(book.isError, text(book)).toBeFalsy();
    expect(sc(book).asks[0].price).toBe(sc(ticker).ask);

    // close_position sells what is left, through the firewall like any order.
    const close = await client.callTool({ name: 'close_position', arguments: { symbol } });
    expect(close.isError, text(close)).toBeFalsy();
    expect(sc(close).order).toMatchObject({ side: 'sell', status: 'filled' });
    const left = sc(await client.callTool({ name: 'get_positions', arguments: {} })).positions as Sc[];
    expect(left.find((p) => p.symbol === symbol)).toBeUndefined();
  });
});

describe('prediction markets over MCP in readonly mode', () => {
  it('offers list_markets, get_market and vet_trade, and no place_order', async () => {
    const home = tempHome('arbiter-pm-ro-');
    cli(home, ['mandate', 'init']);
    const client = new Client({ name: 'pm-reader', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', '--agent', 'bob'],
        env: { ...process.env, ARBITER_HOME: home, ARBITER_MODE: 'readonly' } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['list_markets', 'get_market', 'vet_trade']));
      expect(names).not.toContain('place_order');
      const [m] = sc(await client.callTool({ name: 'list_markets', arguments: { status: 'open' } })).markets;
      // The default mandate admits no outcome tokens: refused, with the reason named.
      const r = await client.callTool({
        name: 'vet_trade',
        arguments: { market_id: m.market_id, outcome: 'NO', side: 'buy', notional: 10 },
      });
      expect(sc(r).decision).toBe('REJECT');
      expect(sc(r).reasons).toContain('INSTRUMENT_NOT_ALLOWED');
    } finally {
      await client.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
