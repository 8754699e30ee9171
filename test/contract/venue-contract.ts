import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Venue, VenueOrder, VenueOrderRequest } from '../../src/ports/venue.js';
import { VenueError } from '../../src/ports/venue.js';

export interface VenueHarness {
  readonly venue: Venue;
  /** A funded account (at least ~2,000 USDT of free margin) with no orders and no positions. */
  readonly accountId: string;
  /** Moves the market forward one step and lets the venue process it. */
  readonly advance: () => Promise<void>;
  readonly cleanup: () => Promise<void>;
  /** Symbol to trade (default the BTC linear perpetual) and a small order size for it (default 0.01). */
  readonly symbol?: string;
  readonly quantity?: number;
  /** How many `advance` steps a limit order just below the market may need before it fills (default 500). */
  readonly maxSteps?: number;
}

async function expectVenueError(p: Promise<unknown>, code: VenueError['code']): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected VenueError ${code}`).toBeInstanceOf(VenueError);
  expect((err as VenueError).code).toBe(code);
}

/** The behaviour every Venue must have: run it against the paper exchange and each live venue's emulator. */
export function venueContract(name: string, make: () => Promise<VenueHarness>): void {
  describe(`Venue contract: ${name}`, () => {
    let h: VenueHarness;
    let n = 0;
    let symbol = 'BTC/USDT:USDT';
    let qty = 0.01;
    beforeEach(async () => {
      h = await make();
      symbol = h.symbol ?? symbol;
      qty = h.quantity ?? qty;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    const order = (over: Partial<VenueOrderRequest> = {}): VenueOrderRequest => ({
      accountId: h.accountId,
      clientOrderId: `contract-${Date.now().toString(36)}-${++n}`,
      symbol,
      side: 'buy',
      type: 'market',
      quantity: qty,
      limitPrice: null,
      timeInForce: 'GTC',
      reduceOnly: false,
      leverage: null,
      ...over,
    });

    /** A price reference from a round trip that leaves the account flat. */
    async function referencePrice(): Promise<number> {
      const buy = await h.venue.placeOrder(order());
      await h.venue.placeOrder(order({ side: 'sell', reduceOnly: true }));
      return buy.avgFillPrice!;
    }

    async function restingBuy(price: number): Promise<VenueOrder> {
      return h.venue.placeOrder(order({ type: 'limit', limitPrice: price }));
    }

    it('fills a market buy, shows the position and reduces free cash', async () => {
      const before = await h.venue.balance(h.accountId);
      const o = await h.venue.placeOrder(order());
      expect(o.status).toBe('filled');
      expect(o.filledQuantity).toBeCloseTo(qty, 12);
      expect(o.avgFillPrice).toBeGreaterThan(0);
      expect(o.fills.reduce((s, f) => s + f.quantity, 0)).toBeCloseTo(qty, 12);
      const pos = (await h.venue.positions(h.accountId)).find((p) => p.symbol === symbol);
      expect(pos?.quantity).toBeCloseTo(qty, 12);
      expect((await h.venue.balance(h.accountId)).free).toBeLessThan(before.free);
    });

    it('rests a limit buy below the market, then fills it as maker when the price comes down to it', async () => {
      const p = await referencePrice();
      const o = await restingBuy(p * 0.9995);
      expect(o.status).toBe('open');
      let now = o;
      for (let i = 0; i < (h.maxSteps ?? 500) && now.status !== 'filled'; i++) {
        await h.advance();
        now = (await h.venue.orderByClientId(h.accountId, o.clientOrderId))!;
      }
      expect(now.status).toBe('filled');
      expect(now.fills.at(-1)!.liquidity).toBe('maker');
      expect(now.avgFillPrice!).toBeLessThanOrEqual(o.limitPrice!);
    });

    it('cancels a resting order, which then leaves the open orders', async () => {
      const o = await restingBuy((await referencePrice()) * 0.8);
      const c = await h.venue.cancelOrder(h.accountId, o.orderId);
      expect(c.status).toBe('cancelled');
      expect((await h.venue.openOrders(h.accountId)).map((x) => x.orderId)).not.toContain(o.orderId);
    });

    it('refuses to cancel an order it does not know with ORDER_NOT_FOUND', async () => {
      await expectVenueError(h.venue.cancelOrder(h.accountId, 'no-such-order'), 'ORDER_NOT_FOUND');
    });

    it('amends a resting order’s price and quantity', async () => {
      const p = await referencePrice();
      const o = await restingBuy(p * 0.8);
      const a = await h.venue.amendOrder(h.accountId, o.orderId, { limitPrice: p * 0.79, quantity: qty * 2 });
      expect(a.limitPrice!).toBeCloseTo(p * 0.79, 0);
      expect(a.quantity).toBeCloseTo(qty * 2, 12);
      expect(['open', 'partially_filled']).toContain(a.status);
    });

    it('returns the same order for a repeated clientOrderId and never trades twice', async () => {
      const req = order();
      const first = await h.venue.placeOrder(req);
      const again = await h.venue.placeOrder(req);
      expect(again.orderId).toBe(first.orderId);
      const pos = (await h.venue.positions(h.accountId)).find((p) => p.symbol === symbol);
      expect(pos?.quantity).toBeCloseTo(qty, 12);
    });

    it('finds an order by its client order id, and answers null for an unknown one', async () => {
      const o = await h.venue.placeOrder(order());
      expect((await h.venue.orderByClientId(h.accountId, o.clientOrderId))?.orderId).toBe(o.orderId);
      expect(await h.venue.orderByClientId(h.accountId, 'never-sent')).toBeNull();
    });

    it('refuses an order the account cannot afford with INSUFFICIENT_BALANCE', async () => {
      const p = await referencePrice();
      const { equity } = await h.venue.balance(h.accountId);
      await expectVenueError(
        h.venue.placeOrder(order({ type: 'limit', limitPrice: p * 0.9, quantity: (equity / p) * 1_000 })),
        'INSUFFICIENT_BALANCE',
      );
      expect(await h.venue.openOrders(h.accountId)).toEqual([]);
    });

    it('lists open orders by symbol and keeps finished orders in the history, newest first', async () => {
      const p = await referencePrice();
      const resting = await restingBuy(p * 0.8);
      const open = await h.venue.openOrders(h.accountId, symbol);
      expect(open.map((o) => o.orderId)).toEqual([resting.orderId]);
      expect(await h.venue.openOrders(h.accountId, 'NOPE/USDT')).toEqual([]);
      const history = await h.venue.orderHistory(h.accountId, 10);
      expect(history[0]!.orderId).toBe(resting.orderId);
      expect(history.some((o) => o.status === 'filled')).toBe(true);
      expect(await h.venue.orderHistory(h.accountId, 1)).toHaveLength(1);
    });

    it('keeps the balance consistent: free + used = total and equity = total + unrealised P&L', async () => {
      await h.venue.placeOrder(order());
      await h.advance();
      const b = await h.venue.balance(h.accountId);
      const upnl = (await h.venue.positions(h.accountId)).reduce((s, p) => s + p.unrealizedPnl, 0);
      expect(b.free + b.used).toBeCloseTo(b.total, 6);
      expect(b.free).toBeGreaterThanOrEqual(0);
      expect(b.equity).toBeCloseTo(b.total + upnl, 6);
    });

    it('never flips a position with a reduce-only order', async () => {
      await h.venue.placeOrder(order());
      const r = await h.venue.placeOrder(order({ side: 'sell', quantity: qty * 3, reduceOnly: true }));
      expect(r.filledQuantity).toBeLessThanOrEqual(qty + 1e-12);
      const pos = (await h.venue.positions(h.accountId)).find((p) => p.symbol === symbol);
      expect(pos?.quantity ?? 0).toBeGreaterThanOrEqual(0);
    });
  });
}
