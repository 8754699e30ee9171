import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BTC_PERP, type Rig, rig, VENUES } from './harness.js';

describe.each(VENUES)('ccxt market data through the %s emulator', (name) => {
  let r: Rig;
  beforeEach(async () => {
    r = await rig(name);
  });
  afterEach(async () => {
    await r.close();
  });

  it('maps markets to instruments with tick, step, minimum size in base units and leverage', async () => {
    const perp = (await r.marketData.instruments()).find((i) => i.symbol === BTC_PERP);
    expect(perp, 'the BTC linear perpetual is listed').toMatchObject({ kind: 'perp', base: 'BTC', quote: 'USDT' });
    expect(perp!.tickSize).toBeCloseTo(0.1, 12);
    expect(perp!.stepSize, 'contract venues are converted to base units').toBeCloseTo(0.001, 12);
    expect(perp!.minQty).toBeCloseTo(0.001, 12);
    // Binance publishes leverage brackets only on a signed endpoint: public data reports the safe 1x.
    expect(perp!.maxLeverage).toBe(name === 'binance' ? 1 : 100);
    expect((await r.marketData.instrument('BTCUSDT.P'))?.symbol, 'native names map to unified').toBe(BTC_PERP);
    expect((await r.marketData.instrument('BTC/USDT'))?.kind).toBe('spot');
    expect(await r.marketData.instrument('NOPE/USDT')).toBeNull();
  });

  it('reads a two-sided quote, falling back to the book where the ticker has none', async () => {
    const q = await r.marketData.quote(BTC_PERP);
    expect(q).toMatchObject({ symbol: BTC_PERP, bid: 59_999.9, ask: 60_000.1 });
    expect(q!.ts).toBeGreaterThan(Date.now() - 60_000);
    expect(await r.marketData.quote('NOPE/USDT:USDT')).toBeNull();
  });

  it('returns closed candles oldest first and the window high including the bar in progress', async () => {
    const now = Date.now();
    const bars = await r.marketData.candles(BTC_PERP, '1m', 5);
    expect(bars).toHaveLength(5);
    expect(
      bars.every((b, i) => i === 0 || b.ts - bars[i - 1]!.ts === 60_000),
      'consecutive minutes',
    ).toBe(true);
    expect(bars.at(-1)!.ts + 60_000, 'the bar in progress is not closed').toBeLessThanOrEqual(now);
    const high = await r.marketData.windowHigh(BTC_PERP, 3_600_000);
    expect(high).toBeGreaterThanOrEqual(Math.max(...bars.map((b) => b.high)));
    r.emu.setPrice(BTC_PERP, 70_000);
    expect(await r.marketData.windowHigh(BTC_PERP, 120_000)).toBeGreaterThanOrEqual(70_000);
  });

  it('reads the order book in base units, trimmed to the requested depth', async () => {
    const book = await r.marketData.orderBook(BTC_PERP, 3);
    expect(book!.bids.map((l) => l.price)).toEqual([59_999.9, 59_999.8, 59_999.7]);
    expect(book!.asks[0]).toEqual({ price: 60_000.1, size: 0.5 });
  });

  it('reads funding history oldest first, open interest as notional and recent trades', async () => {
    const funding = await r.marketData.fundingHistory(BTC_PERP, 3);
    expect(funding).toHaveLength(3);
    expect(funding[2]!.ts - funding[1]!.ts).toBe(8 * 3_600_000);
    expect(funding[2]!.rate).toBeCloseTo(0.0001, 10);
    expect(await r.marketData.fundingHistory('BTC/USDT', 3), 'spot has no funding').toEqual([]);
    const oi = await r.marketData.openInterest(BTC_PERP);
    expect(oi!.value / (52_000 * 60_000)).toBeCloseTo(1, 3);
    expect(await r.marketData.openInterest('BTC/USDT')).toBeNull();
    const trades = await r.marketData.recentTrades(BTC_PERP, 4);
    expect(trades).toHaveLength(4);
    expect(trades[3]!.ts).toBeGreaterThanOrEqual(trades[0]!.ts);
    expect(trades.map((t) => t.size).sort(), 'sizes in base units').toEqual([0.01, 0.01, 0.02, 0.03]);
  });
});
