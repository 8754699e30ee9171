import { createHash } from 'node:crypto';
import ccxt from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VenueError } from '../../src/ports/venue.js';
import { failure, order } from './harness.js';
import { HL_BTC, type HyperliquidRig, hyperliquidRig } from './hyperliquid-harness.js';
import type { RecordedRequest } from './server.js';

type Action = Record<string, unknown> & { type: string };
interface HlApi {
  readonly public: { post: { info: { cost: number; byType: Record<string, number> } } };
  readonly private: { post: { exchange: { cost: number } } };
}

/** The L1 actions the adapter sent, in order. */
function actions(r: HyperliquidRig): Action[] {
  return r.emu.requests.filter((q: RecordedRequest) => q.path === '/exchange').map((q) => q.params.action as Action);
}

function lastOrderWire(r: HyperliquidRig): Record<string, unknown> {
  const a = actions(r)
    .filter((x) => x.type === 'order')
    .at(-1)!;
  return (a.orders as Record<string, unknown>[])[0]!;
}

describe('Hyperliquid adapter against the emulator', () => {
  let r: HyperliquidRig;
  beforeEach(async () => {
    r = await hyperliquidRig();
  });
  afterEach(async () => r.close());

  it('sends a market order as an IOC limit at the current mid plus ccxt’s 5% slippage bound, and fills it as taker', async () => {
    const o = await r.venue.placeOrder(order({ symbol: HL_BTC, quantity: 0.01 }));
    const wire = lastOrderWire(r);
    expect(wire.t).toEqual({ limit: { tif: 'Ioc' } });
    expect(Number(wire.p)).toBe(63_000);
    const sent = r.emu.requests.filter((q) => q.path === '/info').map((q) => q.params.type);
    expect(sent, 'the mid comes from the book').toContain('l2Book');
    expect(o.status).toBe('filled');
    expect(o, 'read back from the venue, it is the IOC limit order it was sent as').toMatchObject({
      type: 'limit',
      limitPrice: 63_000,
    });
    expect(o.avgFillPrice).toBe(60_000);
    expect(o.fills).toHaveLength(1);
    expect(o.fills[0]!.liquidity, 'from the account’s fills (userFills: crossed)').toBe('taker');
    expect(o.fills[0]!.fee).toBeGreaterThan(0);
    await r.venue.placeOrder(order({ symbol: HL_BTC, side: 'sell', quantity: 0.01, reduceOnly: true }));
    const sell = lastOrderWire(r);
    expect(Number(sell.p), 'a sell is bounded 5% below the mid').toBe(57_000);
    expect(sell.r).toBe(true);
  });

  it('places a market order with four requests weighing 25 (book 2, order 1, status 2, fills 20)', async () => {
    await r.venue.placeOrder(order({ symbol: HL_BTC }));
    const from = r.emu.requests.length;
    await r.venue.placeOrder(order({ symbol: HL_BTC, side: 'sell', reduceOnly: true }));
    const kinds = r.emu.requests
      .slice(from)
      .map((q) => (q.path === '/exchange' ? (q.params.action as Action).type : String(q.params.type)));
    expect(kinds).toEqual(['l2Book', 'order', 'orderStatus', 'userFills']);
    // The weights ccxt's rate limiter spends, from its own table.
    const api = (new ccxt.hyperliquid() as unknown as { api: HlApi }).api;
    const weight = (k: string) =>
      k === 'order' ? api.private.post.exchange.cost : (api.public.post.info.byType[k] ?? api.public.post.info.cost);
    expect(kinds.reduce((t, k) => t + weight(k), 0)).toBe(25);
  });

  it('derives the venue client order id (0x + 32 hex) from Arbiter’s, and finds the order by it after a restart', async () => {
    const req = order({ symbol: HL_BTC, type: 'limit', limitPrice: 50_000 });
    const placed = await r.venue.placeOrder(req);
    const cloid = `0x${createHash('sha256').update(req.clientOrderId).digest('hex').slice(0, 32)}`;
    expect(lastOrderWire(r).c).toBe(cloid);
    expect(placed.clientOrderId).toBe(req.clientOrderId);
    const restarted = r.fresh();
    const listed = await restarted.openOrders('acct-1');
    expect(
      listed.map((o) => o.clientOrderId),
      'a restarted process lists the venue’s form',
    ).toEqual([cloid]);
    const found = await restarted.orderByClientId('acct-1', req.clientOrderId);
    expect(found?.orderId).toBe(placed.orderId);
    expect(found?.clientOrderId).toBe(req.clientOrderId);
    const again = await restarted.placeOrder(req);
    expect(again.orderId, 'a resend after a restart returns the same order').toBe(placed.orderId);
    expect(r.emu.engine.allOrders()).toHaveLength(1);
  });

  it('sets leverage with the mandate’s margin mode before an order that names it, and shows it on the position', async () => {
    await r.close();
    r = await hyperliquidRig({ marginMode: 'isolated' });
    await r.venue.placeOrder(order({ symbol: HL_BTC, leverage: 5 }));
    expect(actions(r).find((a) => a.type === 'updateLeverage')).toEqual({
      type: 'updateLeverage',
      asset: 0,
      isCross: false,
      leverage: 5,
    });
    const [p] = await r.venue.positions('acct-1');
    expect(p).toMatchObject({ symbol: HL_BTC, leverage: 5, entryPrice: 60_000 });
    expect(p!.quantity).toBeCloseTo(0.01, 12);
    await r.venue.placeOrder(order({ symbol: HL_BTC, leverage: 5 }));
    expect(
      actions(r).filter((a) => a.type === 'updateLeverage'),
      'the same leverage is not sent twice',
    ).toHaveLength(1);
  });

  it('reads positions, balance and equity from the clearinghouse state', async () => {
    const before = await r.venue.balance('acct-1');
    expect(before).toMatchObject({ currency: 'USDC', total: 10_000, equity: 10_000, free: 10_000, used: 0 });
    await r.venue.placeOrder(order({ symbol: HL_BTC, quantity: 0.1 }));
    r.emu.setPrice(HL_BTC, 61_000);
    const [p] = await r.venue.positions('acct-1');
    expect(p!.unrealizedPnl).toBeCloseTo(100, 6);
    expect(p!.markPrice, 'the mark implied by the position value').toBeCloseTo(61_000, 6);
    const b = await r.venue.balance('acct-1');
    expect(b.equity).toBeCloseTo(b.total + 100, 6);
    expect(b.free, 'account value less the margin in use (0.1 BTC at 60,000 / 10x)').toBeCloseTo(b.equity - 600, 6);
    expect(b.free + b.used).toBeCloseTo(b.total, 6);
  });

  it('lists the history with each filled order’s own fills, reading the account’s fills once per listing', async () => {
    for (let i = 0; i < 3; i++) await r.venue.placeOrder(order({ symbol: HL_BTC }));
    const reads = () => r.emu.requests.filter((q) => q.params.type === 'userFills').length;
    const before = reads();
    const history = await r.venue.orderHistory('acct-1', 10);
    expect(history).toHaveLength(3);
    for (const o of history) {
      expect(o.fills).toHaveLength(1);
      expect(o.fills[0]).toMatchObject({ orderId: o.orderId, liquidity: 'taker', price: 60_000 });
    }
    expect(reads() - before).toBe(1);
  });

  it('views the account with its in-flight orders, reading the account’s fills once for them all', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await r.venue.placeOrder(order({ symbol: HL_BTC }))).clientOrderId);
    const reads = () => r.emu.requests.filter((q) => q.params.type === 'userFills').length;
    const before = reads();
    const view = await r.fresh().accountSnapshot('acct-1', ids);
    expect(view.orders.map((o) => o.clientOrderId)).toEqual(ids);
    expect(view.orders.every((o) => o.fills[0]?.liquidity === 'taker')).toBe(true);
    expect(view.positions[0]?.quantity).toBeCloseTo(0.03, 12);
    expect(reads() - before).toBe(1);
  });

  it('cancels a resting order by its venue id', async () => {
    const o = await r.venue.placeOrder(order({ symbol: HL_BTC, type: 'limit', limitPrice: 50_000 }));
    const c = await r.venue.cancelOrder('acct-1', o.orderId);
    expect(c.status).toBe('cancelled');
    expect(actions(r).at(-1)).toMatchObject({ type: 'cancel', cancels: [{ a: 0, o: Number(o.orderId) }] });
  });

  it('maps the venue’s order errors to VenueError codes', async () => {
    const rich = await failure(
      r.venue.placeOrder(order({ symbol: HL_BTC, type: 'limit', limitPrice: 50_000, quantity: 100 })),
    );
    expect((rich as VenueError).code).toBe('INSUFFICIENT_BALANCE');
    const flat = await failure(r.venue.placeOrder(order({ symbol: HL_BTC, side: 'sell', reduceOnly: true })));
    expect((flat as VenueError).code, (flat as Error).message).toBe('INVALID_ORDER');
    expect((flat as Error).message).toContain('Reduce only order would increase position');
    r.emu.inject('rate-limit');
    const limited = await failure(r.venue.balance('acct-1'));
    expect((limited as VenueError).code).toBe('RATE_LIMITED');
  });

  it('rests a post-only order (ALO); one that would cross, or an IOC with nothing to match, comes back rejected', async () => {
    const limit = (limitPrice: number, timeInForce: 'PO' | 'IOC') =>
      r.venue.placeOrder(order({ symbol: HL_BTC, type: 'limit', limitPrice, timeInForce }));
    const rests = await limit(59_000, 'PO');
    expect(lastOrderWire(r).t).toEqual({ limit: { tif: 'Alo' } });
    expect(rests.status).toBe('open');
    const crossing = await limit(61_000, 'PO');
    expect(crossing).toMatchObject({ status: 'rejected', filledQuantity: 0 });
    const ioc = await limit(59_000, 'IOC');
    expect(lastOrderWire(r).t).toEqual({ limit: { tif: 'Ioc' } });
    expect(ioc).toMatchObject({ status: 'rejected', filledQuantity: 0 });
    expect(r.emu.engine.positions()).toEqual([]);
  });

  it('refuses take-profit / stop-loss (not offered on Hyperliquid yet) before sending anything', async () => {
    await r.venue.placeOrder(order({ symbol: HL_BTC }));
    const n = actions(r).length;
    const err = await failure(r.venue.setTradingStop('acct-1', HL_BTC, { takeProfit: 70_000 }));
    expect((err as VenueError).code).toBe('INVALID_ORDER');
    expect(err.message).toMatch(/take-profit \/ stop-loss are not offered on hyperliquid/);
    expect(actions(r)).toHaveLength(n);
  });

  it('signs only what the caller asked for: no builder-fee approval, no referral code', async () => {
    await r.venue.placeOrder(order({ symbol: HL_BTC, leverage: 3 }));
    await r.venue.placeOrder(order({ symbol: HL_BTC, side: 'sell', reduceOnly: true }));
    expect(new Set(actions(r).map((a) => a.type))).toEqual(new Set(['updateLeverage', 'order']));
    expect(actions(r).some((a) => 'builder' in a)).toBe(false);
  });
});

describe('Hyperliquid market data through the profile', () => {
  let r: HyperliquidRig;
  beforeEach(async () => {
    r = await hyperliquidRig();
  });
  afterEach(async () => r.close());

  it('lists the USDC perpetuals with the venue’s tick, size step and leverage', async () => {
    const btc = await r.marketData.instrument(HL_BTC);
    expect(btc).toMatchObject({ symbol: HL_BTC, kind: 'perp', quote: 'USDC', stepSize: 0.00001, maxLeverage: 40 });
    expect(btc!.tickSize).toBe(1);
    expect((await r.marketData.instruments()).map((i) => i.symbol).sort()).toEqual(['BTC/USDC:USDC', 'ETH/USDC:USDC']);
  });

  it('quotes bid and ask around the price, and reads the book', async () => {
    r.emu.setPrice(HL_BTC, 61_234);
    const q = await r.marketData.quote(HL_BTC);
    expect(q).toMatchObject({ symbol: HL_BTC, bid: 61_233, ask: 61_235 });
    const book = await r.marketData.orderBook(HL_BTC, 5);
    expect(book!.bids[0]).toEqual({ price: 61_233, size: 0.5 });
    expect(book!.asks).toHaveLength(5);
  });

  it('reads the hourly funding history, oldest first', async () => {
    const f = await r.marketData.fundingHistory(HL_BTC, 24);
    expect(f).toHaveLength(24);
    for (let i = 1; i < f.length; i++) expect(f[i]!.ts - f[i - 1]!.ts).toBe(3_600_000);
    expect(f.every((p) => p.rate > 0)).toBe(true);
  });

  it('answers closed candles, oldest first, ending at the last closed bar', async () => {
    const bars = await r.marketData.candles(HL_BTC, '1h', 24);
    expect(bars).toHaveLength(24);
    const hour = 3_600_000;
    expect(bars.at(-1)!.ts).toBe(Math.floor(Date.now() / hour) * hour - hour);
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.ts - bars[i - 1]!.ts).toBe(hour);
    const req = r.emu.requests.find((q) => q.params.type === 'candleSnapshot');
    expect((req!.params.req as { coin: string; interval: string }).coin).toBe('BTC');
  });
});

describe('Hyperliquid configuration', () => {
  it('settles in USDC by default and rejects an unknown mode before any request', async () => {
    const { parseVenueConfig } = await import('../../src/adapters/venues/ccxt/config.js');
    expect(parseVenueConfig({ exchangeId: 'hyperliquid' }).settleCurrency).toBe('USDC');
    expect(parseVenueConfig({ exchangeId: 'bybit' }).settleCurrency).toBe('USDT');
    expect(() => parseVenueConfig({ exchangeId: 'hyperliquid', mode: 'mainnet' as never })).toThrow();
  });
});
