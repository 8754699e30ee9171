import { describe, expect, it } from 'vitest';
import { venueContract } from '../../../../test/contract/venue-contract.js';
import { loadShippedMarketData } from '../../market-data/csv-market-data.js';
import { ManualClock } from '../../market-data/manual-clock.js';
import { createSyntheticMarketData } from '../../market-data/synthetic-market-data.js';
import { MemoryDocStore } from './memory-doc-store.js';
import { PaperVenue } from './paper-venue.js';

const START = Date.UTC(2025, 0, 1);

function setup(store = new MemoryDocStore(), clock = new ManualClock(START)) {
  const market = createSyntheticMarketData({ clock, seed: 2024 });
  const venue = new PaperVenue({ store, market });
  return { store, clock, market, venue };
}

venueContract('paper exchange on a synthetic market', async () => {
  const { venue, clock } = setup();
  return {
    venue,
    accountId: 'contract',
    advance: async () => {
      clock.advance(60_000);
      await venue.tick();
    },
    cleanup: async () => {},
  };
});

venueContract('paper exchange, spot', async () => {
  const { venue, clock } = setup();
  return {
    venue,
    accountId: 'contract-spot',
    symbol: 'ETH/USDT',
    quantity: 0.1,
    advance: async () => {
      clock.advance(60_000);
      await venue.tick();
    },
    cleanup: async () => {},
  };
});

venueContract('paper exchange on the 2024 hourly BTC replay', async () => {
  const clock = new ManualClock(Date.UTC(2024, 5, 1));
  const venue = new PaperVenue({ store: new MemoryDocStore(), market: await loadShippedMarketData(clock) });
  return {
    venue,
    accountId: 'contract-csv',
    maxSteps: 100,
    advance: async () => {
      clock.advance(3_600_000);
      await venue.tick();
    },
    cleanup: async () => {},
  };
});

const buy = (over: Record<string, unknown> = {}) => ({
  accountId: 'a',
  clientOrderId: 'c1',
  symbol: 'BTC/USDT:USDT',
  side: 'buy' as const,
  type: 'market' as const,
  quantity: 0.05,
  limitPrice: null,
  timeInForce: 'GTC' as const,
  reduceOnly: false,
  leverage: null,
  ...over,
});

describe('PaperVenue', () => {
  it('resumes after a restart: a new venue on the same store sees the same orders and positions', async () => {
    const first = setup();
    await first.venue.placeOrder(buy());
    await first.venue.placeOrder(buy({ clientOrderId: 'c2', type: 'limit', limitPrice: 30_000, timeInForce: 'GTC' }));
    const second = setup(first.store, first.clock);
    expect(await second.venue.positions('a')).toEqual(await first.venue.positions('a'));
    expect(await second.venue.openOrders('a')).toEqual(await first.venue.openOrders('a'));
    expect((await second.venue.placeOrder(buy())).orderId).toBe('a-o1');
  });

  it('processes the same bar only once, however often it ticks', async () => {
    const { venue, clock } = setup();
    await venue.placeOrder(buy({ leverage: 20 }));
    clock.advance(9 * 3_600_000);
    await venue.tick();
    const once = await venue.account('a');
    await venue.tick();
    await venue.tick();
    expect(await venue.account('a')).toEqual(once);
    expect(once.totals.funding).not.toBe(0);
  });

  it('serialises concurrent orders on one account so both are booked', async () => {
    const { venue } = setup();
    await Promise.all(Array.from({ length: 8 }, (_, i) => venue.placeOrder(buy({ clientOrderId: `p${i}` }))));
    const pos = await venue.positions('a');
    expect(pos[0]!.quantity).toBeCloseTo(0.4, 12);
    expect((await venue.account('a')).orders).toHaveLength(8);
  });

  it('books one order when the same clientOrderId races itself', async () => {
    const { venue } = setup();
    const [x, y] = await Promise.all([venue.placeOrder(buy()), venue.placeOrder(buy())]);
    expect(x.orderId).toBe(y.orderId);
    expect((await venue.positions('a'))[0]!.quantity).toBeCloseTo(0.05, 12);
  });

  it('finds every order it was sent by client order id, however many came after, and never books one twice', async () => {
    const { venue, store } = setup();
    for (let i = 0; i < 130; i++)
      await venue.placeOrder(buy({ clientOrderId: `h${i}`, quantity: 0.001, side: i % 2 ? 'sell' : 'buy' }));
    expect((await venue.account('a')).orders.length, 'the account document stays bounded').toBe(100);
    expect((await store.listDocs('paper-orders')).length, 'the rest is archived').toBe(30);
    const first = await venue.orderByClientId('a', 'h0');
    expect(first).toMatchObject({ clientOrderId: 'h0', status: 'filled' });
    const again = await venue.placeOrder(buy({ clientOrderId: 'h0', quantity: 0.001 }));
    expect(again.orderId, 'an archived client order id returns its order').toBe(first!.orderId);
    expect((await venue.positions('a')).find((p) => p.symbol === 'BTC/USDT:USDT')?.quantity ?? 0).toBeCloseTo(0, 12);
    expect(await venue.orderByClientId('a', 'never')).toBeNull();
  });

  it('with a latency, has the order booked while its answer is still travelling (half the round trip after)', async () => {
    const clock = new ManualClock(START);
    const store = new MemoryDocStore();
    const venue = new PaperVenue({ store, market: createSyntheticMarketData({ clock, seed: 2024 }), latencyMs: 600 });
    let answered = false;
    const placing = venue.placeOrder(buy({ clientOrderId: 'slow' })).then((o) => {
      answered = true;
      return o;
    });
    expect(await store.getDoc('paper', 'a'), 'nothing at the exchange while the request travels').toBeNull();
    while ((await store.getDoc('paper', 'a')) === null) await new Promise((r) => setTimeout(r, 5));
    expect(answered, 'booked at the exchange, not yet answered').toBe(false);
    expect(JSON.parse((await store.getDoc('paper', 'a'))!).orders[0].clientOrderId).toBe('slow');
    expect((await placing).status).toBe('filled');
  });

  it('gives a new account the configured starting cash', async () => {
    const { market } = setup();
    const venue = new PaperVenue({
      store: new MemoryDocStore(),
      market,
      startingCash: (id) => (id === 'rich' ? 1e6 : 500),
    });
    expect((await venue.balance('rich')).total).toBe(1e6);
    expect((await venue.balance('poor')).equity).toBe(500);
  });

  it('maps engine failures to VenueError codes', async () => {
    const { venue } = setup();
    await expect(venue.placeOrder(buy({ quantity: -1 }))).rejects.toMatchObject({ code: 'INVALID_ORDER' });
    await expect(venue.setLeverage('a', 'BTC/USDT:USDT', 500)).rejects.toMatchObject({ code: 'INVALID_ORDER' });
    await expect(venue.amendOrder('a', 'nope', { quantity: 1 })).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
  });

  it('rejects a stored document that does not fit the account schema', async () => {
    const { venue, store } = setup();
    await store.putDoc('paper', 'broken', '{"version":1}', 0);
    await expect(venue.balance('broken')).rejects.toThrow(/stored document is invalid/);
  });

  it('reports positions with mark, leverage, margin and a liquidation price', async () => {
    const { venue } = setup();
    await venue.setLeverage('a', 'BTC/USDT:USDT', 20);
    await venue.placeOrder(buy({ quantity: 1 }));
    const [p] = await venue.positions('a');
    expect(p).toMatchObject({ symbol: 'BTC/USDT:USDT', quantity: 1, leverage: 20 });
    expect(p!.margin).toBeCloseTo(p!.entryPrice / 20, 6);
    // Cross margin: the whole wallet backs the position; at the liquidation price equity meets maintenance.
    const { total } = await venue.balance('a');
    const liq = p!.liquidationPrice!;
    expect(liq).toBeLessThan(p!.entryPrice);
    expect(total + (liq - p!.entryPrice)).toBeCloseTo(liq * 0.005, 6);
  });
});
