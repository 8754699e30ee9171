import { beforeAll, describe, expect, it } from 'vitest';
import { loadShippedMarketData } from './csv-market-data.js';
import { ManualClock } from './manual-clock.js';
import type { SeriesMarketData } from './series-market-data.js';
import { createSyntheticMarketData } from './synthetic-market-data.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

describe('CSV replay in real time (clock time = market time)', () => {
  const clock = new ManualClock(T0);
  let md: SeriesMarketData;
  beforeAll(async () => {
    md = await loadShippedMarketData(clock);
  });

  it('never returns bar i+1 (or bar i itself, still forming) when the clock is inside bar i', async () => {
    for (const i of [1, 10, 500, 8_000]) {
      clock.set(T0 + i * HOUR + HOUR / 2);
      const candles = await md.candles('BTC/USDT', '1h', 50);
      expect(candles.at(-1)!.ts, `at bar ${i}`).toBe(T0 + (i - 1) * HOUR);
      expect(candles.every((c) => c.ts + HOUR <= clock.now())).toBe(true);
    }
  });

  it('quotes from the current bar only: the last price lies within bar i’s low and high', async () => {
    const all = await (async () => {
      clock.set(T0 + 8_784 * HOUR - 1);
      return md.candles('BTC/USDT', '1h', 10_000);
    })();
    for (const i of [3, 77, 4_000]) {
      for (const f of [0, 0.2, 0.5, 0.9]) {
        clock.set(T0 + (i + f) * HOUR);
        const q = (await md.quote('BTC/USDT'))!;
        const bar = all[i]!;
        expect(q.last!).toBeGreaterThanOrEqual(bar.low);
        expect(q.last!).toBeLessThanOrEqual(bar.high);
        expect(q.bid).toBeLessThan(q.ask);
        expect(q.ts).toBe(clock.now());
      }
    }
  });

  it('quotes the bar open at the start of a bar and the close at its very end', async () => {
    clock.set(T0);
    expect((await md.quote('BTC/USDT'))!.last).toBe(42283.58);
    clock.set(T0 + HOUR - 1);
    expect((await md.quote('BTC/USDT'))!.last).toBeCloseTo(42475.23, 0);
  });

  it('serves the same series for the perpetual, with funding that never comes from the future', async () => {
    clock.set(T0 + 20 * HOUR);
    const funding = await md.fundingHistory('BTC/USDT:USDT', 10);
    expect(funding.map((f) => f.ts)).toEqual([T0, T0 + 8 * HOUR, T0 + 16 * HOUR]);
    expect(await md.fundingHistory('BTC/USDT', 10)).toEqual([]);
    expect((await md.quote('BTC/USDT:USDT'))!.last).toBe((await md.quote('BTC/USDT'))!.last);
  });

  it('aggregates closed hourly bars into 4h and 1d candles and refuses a finer timeframe', async () => {
    clock.set(T0 + 49 * HOUR + 5);
    const days = await md.candles('BTC/USDT', '1d', 5);
    expect(days.map((d) => d.ts)).toEqual([T0, T0 + 24 * HOUR]);
    expect(days[0]!.open).toBe(42283.58);
    expect((await md.candles('BTC/USDT', '4h', 3)).at(-1)!.ts).toBe(T0 + 44 * HOUR);
    expect(await md.candles('BTC/USDT', '1m', 3)).toEqual([]);
  });

  it('takes the window high from closed bars in the window plus the current bar’s path so far', async () => {
    clock.set(T0 + 3 * HOUR);
    const closed = await md.candles('BTC/USDT', '1h', 3);
    const high = await md.windowHigh('BTC/USDT', 2 * HOUR);
    expect(high).toBe(Math.max(closed[1]!.high, closed[2]!.high, (await md.quote('BTC/USDT'))!.last!));
  });

  it('models a book whose sizes grow with depth and whose prices step away from the touch', async () => {
    clock.set(T0 + 100 * HOUR);
    const book = (await md.orderBook('ETH/USDT', 5))!;
    expect(book.bids).toHaveLength(5);
    expect(book.bids[0]!.price).toBeGreaterThan(book.bids[4]!.price);
    expect(book.asks[0]!.price).toBeLessThan(book.asks[4]!.price);
    expect(book.asks[4]!.size).toBeGreaterThan(book.asks[0]!.size);
  });

  it('prints recent trades deterministically, oldest first, none after now', async () => {
    clock.set(T0 + 10 * HOUR + HOUR / 3);
    const a = await md.recentTrades('BTC/USDT', 30);
    const b = await md.recentTrades('BTC/USDT', 30);
    expect(a).toEqual(b);
    expect(a).toHaveLength(30);
    expect(a.every((t, i) => t.ts <= clock.now() && (i === 0 || t.ts >= a[i - 1]!.ts))).toBe(true);
  });

  it('lists spot and perpetual instruments with leverage limits and a daily volume from past bars', async () => {
    clock.set(T0 + 48 * HOUR);
    const list = await md.instruments();
    expect(list.map((i) => i.symbol)).toEqual(['BTC/USDT', 'BTC/USDT:USDT', 'ETH/USDT', 'ETH/USDT:USDT']);
    expect(list.map((i) => i.maxLeverage)).toEqual([1, 50, 1, 50]);
    expect(list[0]!.avgDailyVolumeUsd).toBeGreaterThan(1e8);
    expect(await md.instrument('ETHUSDT')).toMatchObject({ symbol: 'ETH/USDT', tickSize: 0.01 });
    expect((await md.openInterest('BTC/USDT:USDT'))!.value).toBeGreaterThan(0);
    expect(await md.openInterest('BTC/USDT')).toBeNull();
  });

  it('answers nothing before the data starts or after it ends (the firewall then fails closed)', async () => {
    clock.set(T0 - 1);
    expect(await md.quote('BTC/USDT')).toBeNull();
    clock.set(T0 + 8_784 * HOUR);
    expect(await md.quote('BTC/USDT')).toBeNull();
    expect(md.marketTime()).toBeNull();
    expect(await md.quote('DOGE/USDT')).toBeNull();
  });
});

describe('CSV replay in demo mode (one bar per second of clock time)', () => {
  it('advances one bar per barMs of clock time and stamps quotes with the clock’s now', async () => {
    const wall = 1_900_000_000_000;
    const clock = new ManualClock(wall);
    const md = await loadShippedMarketData(clock, { mapping: { startIndex: 100, barMs: 1_000, anchorTs: wall } });
    expect((await md.candles('BTC/USDT', '1h', 1))[0]!.ts).toBe(T0 + 99 * HOUR);
    clock.advance(2_500);
    expect((await md.candles('BTC/USDT', '1h', 1))[0]!.ts).toBe(T0 + 101 * HOUR);
    expect((await md.quote('BTC/USDT'))!.ts).toBe(wall + 2_500);
    expect(md.clockTimeOfBar(103)).toBe(wall + 3_000);
  });
});

describe('synthetic market data', () => {
  it('gives identical candles for the same seed and different ones for another seed', async () => {
    const start = Date.UTC(2025, 0, 1);
    const make = (seed: number) => createSyntheticMarketData({ clock: new ManualClock(start), seed });
    const [a, b, c] = [make(9), make(9), make(10)];
    expect(await a.candles('BTC/USDT', '1m', 200)).toEqual(await b.candles('BTC/USDT', '1m', 200));
    expect(await a.candles('BTC/USDT', '1m', 200)).not.toEqual(await c.candles('BTC/USDT', '1m', 200));
  });

  it('starts with history behind the clock and grows bars lazily as the clock moves', async () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 1));
    const md = createSyntheticMarketData({ clock, seed: 1 });
    expect(await md.candles('SOL/USDT:USDT', '1m', 1_000)).toHaveLength(500);
    clock.advance(10 * 60_000);
    const bars = await md.candles('SOL/USDT:USDT', '1m', 1_000);
    expect(bars).toHaveLength(510);
    expect(bars.at(-1)!.ts + 60_000).toBe(clock.now());
    expect((await md.fundingHistory('BTC/USDT:USDT', 5)).every((f) => f.ts <= clock.now())).toBe(true);
  });
});
