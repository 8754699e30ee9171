import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BTC_PERP, CREATE_PATH, order, type Rig, rig, VENUES } from './harness.js';
import type { VenueEmulator } from './server.js';

/** Where each venue carries the client order id on order placement. */
const CLIENT_ID_FIELD = {
  bybit: 'orderLinkId',
  binance: 'newClientOrderId',
  okx: 'clOrdId',
  bitget: 'clientOid',
} as const;

/** The TP / SL levels the emulator holds for the BTC perp, whichever way the venue represents them. */
function stops(emu: VenueEmulator): { tp: number | null; sl: number | null } {
  const p = emu.engine.position(BTC_PERP);
  const live = emu.engine.liveStops(BTC_PERP);
  return {
    tp: p.tp ?? live.find((s) => s.kind === 'tp')?.trigger ?? null,
    sl: p.sl ?? live.find((s) => s.kind === 'sl')?.trigger ?? null,
  };
}

describe.each(VENUES)('ccxt venue through the %s emulator', (name) => {
  let r: Rig;
  beforeEach(async () => {
    r = await rig(name);
  });
  afterEach(async () => {
    await r.close();
  });

  it('fills a market order, sends the client id in the venue field, and shows position and balance', async () => {
    const req = order({ quantity: 0.02 });
    const o = await r.venue.placeOrder(req);
    expect(o).toMatchObject({ status: 'filled', symbol: BTC_PERP, side: 'buy', clientOrderId: req.clientOrderId });
    expect(o.filledQuantity).toBeCloseTo(0.02, 12);
    expect(o.avgFillPrice).toBe(60_000);
    expect(o.fills.reduce((s, f) => s + f.quantity, 0)).toBeCloseTo(0.02, 12);
    const sent = r.emu.requests.find((q) => q.path === CREATE_PATH[name] && q.method === 'POST');
    expect(sent?.params[CLIENT_ID_FIELD[name]], `${name} carries the client id in ${CLIENT_ID_FIELD[name]}`).toBe(
      req.clientOrderId,
    );
    const [pos] = await r.venue.positions('acct-1');
    expect(pos).toMatchObject({ symbol: BTC_PERP, entryPrice: 60_000 });
    expect(pos!.quantity).toBeCloseTo(0.02, 12);
    r.emu.setPrice(BTC_PERP, 61_000);
    const b = await r.venue.balance('acct-1');
    const [moved] = await r.venue.positions('acct-1');
    expect(moved!.unrealizedPnl).toBeCloseTo(20, 6);
    expect(b.currency).toBe('USDT');
    expect(b.total, 'wallet less the taker fee').toBeCloseTo(10_000 - 0.02 * 60_000 * 0.0006, 6);
    expect(b.equity).toBeCloseTo(b.total + 20, 6);
    expect(b.free + b.used).toBeCloseTo(b.total, 9);
    expect(b.free).toBeLessThan(b.total);
  });

  it('rests a limit order, amends price and size, fills it when the price comes down, and cancels another', async () => {
    const resting = await r.venue.placeOrder(order({ type: 'limit', limitPrice: 59_000 }));
    expect(resting.status).toBe('open');
    const amended = await r.venue.amendOrder('acct-1', resting.orderId, { limitPrice: 59_100, quantity: 0.02 });
    expect(amended).toMatchObject({ status: 'open', limitPrice: 59_100 });
    expect(amended.quantity).toBeCloseTo(0.02, 12);
    r.emu.setPrice(BTC_PERP, 59_050);
    const filled = await r.venue.orderByClientId('acct-1', resting.clientOrderId);
    expect(filled).toMatchObject({ status: 'filled', avgFillPrice: 59_100 });
    expect(filled!.fills.at(-1)!.liquidity).toBe('maker');
    const other = await r.venue.placeOrder(order({ type: 'limit', limitPrice: 50_000 }));
    expect((await r.venue.openOrders('acct-1', BTC_PERP)).map((x) => x.orderId)).toEqual([other.orderId]);
    const cancelled = await r.venue.cancelOrder('acct-1', other.orderId);
    expect(cancelled.status).toBe('cancelled');
    expect(await r.venue.openOrders('acct-1')).toEqual([]);
    const history = await r.venue.orderHistory('acct-1', 10);
    expect(history[0]!.orderId, 'newest first').toBe(other.orderId);
  });

  it('cancels a post-only order that would take liquidity instead of filling it', async () => {
    const po = await r.venue.placeOrder(order({ type: 'limit', limitPrice: 60_100, timeInForce: 'PO' }));
    expect(['cancelled', 'expired']).toContain(po.status);
    expect(await r.venue.positions('acct-1')).toEqual([]);
  });

  it('finds an order by client order id, also from a fresh adapter with an empty local index', async () => {
    const o = await r.venue.placeOrder(order());
    expect((await r.venue.orderByClientId('acct-1', o.clientOrderId))?.orderId).toBe(o.orderId);
    const restarted = r.fresh();
    expect((await restarted.orderByClientId('acct-1', o.clientOrderId))?.orderId).toBe(o.orderId);
    expect(await restarted.orderByClientId('acct-1', 'never-sent')).toBeNull();
  });

  it('never creates a second order for a repeated client order id, even after a restart', async () => {
    const req = order();
    const first = await r.venue.placeOrder(req);
    expect((await r.venue.placeOrder(req)).orderId).toBe(first.orderId);
    // A fresh adapter has no local memory: the venue rejects the duplicate and the adapter returns the original.
    expect((await r.fresh().placeOrder(req)).orderId).toBe(first.orderId);
    expect(r.emu.engine.allOrders().filter((o) => o.clientId === req.clientOrderId)).toHaveLength(1);
    expect(r.emu.engine.position(BTC_PERP).qty).toBeCloseTo(0.01, 12);
  });

  it('sets leverage, treats an unchanged value as done, and applies a per-order leverage', async () => {
    await r.venue.setLeverage('acct-1', BTC_PERP, 5);
    expect(r.emu.engine.ledger.leverage(BTC_PERP)).toBe(5);
    await r.venue.setLeverage('acct-1', BTC_PERP, 5);
    await r.venue.placeOrder(order({ leverage: 7 }));
    expect(r.emu.engine.ledger.leverage(BTC_PERP)).toBe(7);
    expect((await r.venue.positions('acct-1'))[0]!.leverage).toBe(7);
  });

  it('sets, replaces and clears take-profit / stop-loss, and the take-profit closes the position', async () => {
    await r.venue.placeOrder(order());
    await r.venue.setTradingStop('acct-1', BTC_PERP, { takeProfit: 65_000, stopLoss: 55_000 });
    expect(stops(r.emu)).toEqual({ tp: 65_000, sl: 55_000 });
    await r.venue.setTradingStop('acct-1', BTC_PERP, { takeProfit: 66_000 });
    expect(stops(r.emu), 'an omitted level is kept').toEqual({ tp: 66_000, sl: 55_000 });
    await r.venue.setTradingStop('acct-1', BTC_PERP, { stopLoss: null });
    expect(stops(r.emu), 'null clears a level').toEqual({ tp: 66_000, sl: null });
    r.emu.setPrice(BTC_PERP, 66_100);
    expect(await r.venue.positions('acct-1')).toEqual([]);
  });

  it('closes a position with a reduce-only market order for its whole size', async () => {
    await r.venue.placeOrder(order({ quantity: 0.02 }));
    const close = await r.venue.closePosition('acct-1', BTC_PERP, 'close-1');
    expect(close).toMatchObject({ side: 'sell', reduceOnly: true, status: 'filled' });
    expect(close!.filledQuantity).toBeCloseTo(0.02, 12);
    expect(await r.venue.positions('acct-1')).toEqual([]);
    expect(await r.venue.closePosition('acct-1', BTC_PERP, 'close-2'), 'flat: nothing to close').toBeNull();
  });

  it('cancels every open order', async () => {
    await r.venue.placeOrder(order({ type: 'limit', limitPrice: 50_000 }));
    await r.venue.placeOrder(order({ type: 'limit', limitPrice: 51_000 }));
    expect(await r.venue.openOrders('acct-1')).toHaveLength(2);
    await r.venue.cancelAllOrders('acct-1');
    expect(await r.venue.openOrders('acct-1')).toEqual([]);
  });
});
