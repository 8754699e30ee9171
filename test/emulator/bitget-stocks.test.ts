import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionAt } from '../../src/core/market/calendar/index.js';
import { venueContract } from '../contract/venue-contract.js';
import { BTC_PERP, order, type Rig, rig } from './harness.js';

const STOCKS = ['AAPL', 'TSLA', 'NVDA', 'MSFT', 'GOOGL', 'META'] as const;
const AAPL = 'AAPL/USDT:USDT';

// Instants in New York time (EST, UTC-5, in January 2026).
const MONDAY_3AM_NY = Date.UTC(2026, 0, 5, 8, 0);
const FRIDAY_2359_NY = Date.UTC(2026, 0, 10, 4, 59);
const SATURDAY_NOON_NY = Date.UTC(2026, 0, 10, 17, 0);
const SUNDAY_2359_NY = Date.UTC(2026, 0, 12, 4, 59);
const NEXT_MONDAY_0000_NY = Date.UTC(2026, 0, 12, 5, 0);

describe('the six tokenized US stocks on the Bitget emulator, through ccxt', () => {
  let r: Rig;
  beforeEach(async () => {
    r = await rig('bitget', { symbols: [AAPL, BTC_PERP] });
  });
  afterEach(async () => {
    await r.close();
  });

  it('lists each as a US equity perpetual carrying the venue calendar; crypto keeps none', async () => {
    const all = await r.marketData.instruments();
    for (const base of STOCKS) {
      const i = all.find((x) => x.symbol === `${base}/USDT:USDT`);
      expect(i, `${base} is listed`).toMatchObject({
        kind: 'perp',
        base,
        quote: 'USDT',
        instrumentType: 'equity',
        assetClass: 'us_equity',
        calendar: { kind: 'venue', tz: 'America/New_York', days: [1, 2, 3, 4, 5], open: '00:00', close: '24:00' },
      });
      expect(i!.tickSize).toBeCloseTo(0.01, 12);
    }
    const btc = all.find((x) => x.symbol === BTC_PERP);
    expect(btc).toMatchObject({ instrumentType: 'crypto', assetClass: 'crypto' });
    expect(btc!.calendar, 'crypto trades around the clock').toBeUndefined();
    expect((await r.marketData.instrument('AAPLUSDT.P'))?.symbol, 'the native name maps to unified').toBe(AAPL);
  });

  it('the calendar opens Monday to Friday in New York and closes at the weekend', async () => {
    const cal = (await r.marketData.instrument(AAPL))!.calendar!;
    expect(sessionAt(cal, MONDAY_3AM_NY).phase).toBe('regular');
    expect(sessionAt(cal, FRIDAY_2359_NY).phase).toBe('regular');
    const sat = sessionAt(cal, SATURDAY_NOON_NY);
    expect(sat).toMatchObject({ phase: 'closed', date: '2026-01-10', next_open: NEXT_MONDAY_0000_NY });
    expect(sessionAt(cal, SUNDAY_2359_NY).phase).toBe('closed');
    expect(sessionAt(cal, NEXT_MONDAY_0000_NY).phase).toBe('regular');
  });

  it('reads a stock quote and candles, and fills a signed market order at the stock price', async () => {
    const q = await r.marketData.quote(AAPL);
    expect(q!.bid).toBeLessThan(q!.ask);
    expect(q!.ask).toBeGreaterThan(229);
    expect(q!.ask).toBeLessThan(231);
    expect(await r.marketData.candles(AAPL, '1m', 3)).toHaveLength(3);
    const placed = await r.venue.placeOrder(order({ symbol: AAPL, quantity: 0.5 }));
    expect(placed).toMatchObject({ symbol: AAPL, status: 'filled' });
    expect(placed.filledQuantity).toBeCloseTo(0.5, 12);
    expect(placed.avgFillPrice!).toBeGreaterThan(229);
    expect(placed.avgFillPrice!).toBeLessThan(231);
    const sent = r.emu.requests.filter((q) => q.path === '/api/v2/mix/order/place-order');
    expect(sent.at(-1), 'a signed request, under the native id').toMatchObject({
      private: true,
      status: 200,
      params: { symbol: 'AAPLUSDT' },
    });
  });
});

// The same Venue contract as the crypto perpetuals, on a tokenized stock.
venueContract('bitget-emulator tokenized stock (AAPL)', async () => {
  const r = await rig('bitget', { symbols: [AAPL] });
  return {
    venue: r.venue,
    accountId: 'acct-1',
    // The market ticks down 5 cents per step, so a resting buy just below it fills within a few steps.
    advance: async () => r.emu.setPrice(AAPL, r.emu.engine.price(AAPL) - 0.05),
    cleanup: r.close,
    symbol: AAPL,
    quantity: 0.5,
    maxSteps: 50,
  };
});
