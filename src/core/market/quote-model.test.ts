import { describe, expect, it } from 'vitest';
import { cryptoInstrument, observedTick } from './instrument-spec.js';
import { barTrades, barVolatility, bookAround, halfSpread, quoteAround } from './quote-model.js';

const btc = cryptoInstrument('BTC', 'USDT', 'perp', 60_000);
const bar = { ts: 0, open: 60_000, high: 60_300, low: 59_800, close: 60_100, volume: 600 };

describe('quote model', () => {
  it('never quotes tighter than the floor of 1 bp, and widens the spread with volatility', () => {
    const calm = quoteAround(60_000, 0, btc.tickSize);
    expect(calm.ask - calm.bid).toBeGreaterThanOrEqual(6 - 1e-9);
    expect(halfSpread(60_000, 0.002, btc.tickSize)).toBeGreaterThan(halfSpread(60_000, 0.0001, btc.tickSize));
  });

  it('keeps bid below ask on the tick grid even when the spread is below one tick', () => {
    const q = quoteAround(1.00001, 0, 0.01);
    expect(q.ask).toBeGreaterThan(q.bid);
    expect(Number.isInteger(Math.round(q.bid * 100))).toBe(true);
  });

  it('measures volatility as the standard deviation of log returns', () => {
    expect(barVolatility([100, 100, 100])).toBe(0);
    expect(barVolatility([100, 110, 100, 110])).toBeCloseTo(0.11, 2);
  });

  it('builds a book whose level sizes scale with the bar volume', () => {
    const thin = bookAround(60_000, 0, 60, 3_600_000, btc, 10);
    const deep = bookAround(60_000, 0, 6_000, 3_600_000, btc, 10);
    expect(deep.bids[0]!.size).toBeCloseTo(thin.bids[0]!.size * 100, 6);
    expect(deep.asks).toHaveLength(10);
  });

  it('prints the same tape for the same bar, inside the bar range, only up to the given time', () => {
    const a = barTrades('BTC/USDT:USDT', bar, 600, 3_600_000, 1_800_000, 3, btc);
    expect(a).toEqual(barTrades('BTC/USDT:USDT', bar, 600, 3_600_000, 1_800_000, 3, btc));
    expect(a.length).toBeGreaterThan(0);
    for (const t of a) {
      expect(t.ts).toBeLessThanOrEqual(1_800_000);
      expect(t.price).toBeGreaterThanOrEqual(bar.low);
      expect(t.price).toBeLessThanOrEqual(bar.high);
    }
  });
});

describe('instrument spec', () => {
  it('derives ticks and lots from the price and reads the tick a data file uses', () => {
    expect(cryptoInstrument('ETH', 'USDT', 'spot', 3_000)).toMatchObject({
      tickSize: 0.01,
      stepSize: 0.0001,
      maxLeverage: 1,
    });
    expect(btc).toMatchObject({
      symbol: 'BTC/USDT:USDT',
      maxLeverage: 50,
      instrumentType: 'crypto',
      assetClass: 'crypto',
    });
    expect(observedTick([42283.58, 42554.5, 1])).toBe(0.01);
  });
});
