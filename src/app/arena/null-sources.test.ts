import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../adapters/market-data/manual-clock.js';
import { openSource, SHUFFLE_BLOCK } from './sources.js';

const DATA = new URL('../../../data/BTCUSDT_1h.csv', import.meta.url).pathname;
const opts = (seed: number, extra: Record<string, number> = {}) => ({
  clock: new ManualClock(0),
  seed,
  warmup: 50,
  bars: 400,
  ...extra,
});

const logReturns = (close: Float64Array) => Array.from(close.slice(1), (c, i) => Math.log(c / close[i]!));

describe('null-control markets', () => {
  it('null: a seeded zero-drift walk — ends where it started, same seed same bars, no funding', async () => {
    const a = await openSource('null', opts(3));
    const b = await openSource('null', opts(3));
    const c = await openSource('null', opts(4));
    const close = a.frame.spot.close;
    expect(close.length).toBe(450);
    expect(Math.abs(Math.log(close[close.length - 1]! / 60_000))).toBeLessThan(1e-3);
    expect(Array.from(b.frame.spot.close)).toEqual(Array.from(close));
    expect(Array.from(c.frame.spot.close)).not.toEqual(Array.from(close));
    expect(Array.from(a.frame.perp!.funding).every(Number.isNaN)).toBe(true);
    for (let i = 0; i < close.length; i++) {
      expect(a.frame.spot.high[i]!).toBeGreaterThanOrEqual(Math.max(a.frame.spot.open[i]!, close[i]!));
      expect(a.frame.spot.low[i]!).toBeLessThanOrEqual(Math.min(a.frame.spot.open[i]!, close[i]!));
    }
  });

  it('shuffled: the real window in shuffled day blocks with its drift taken out', async () => {
    const real = await openSource(`csv:${DATA}`, opts(1, { offset: 1000 }));
    const shuffled = await openSource(`shuffled:${DATA}`, opts(1, { offset: 1000 }));
    const r = logReturns(real.frame.spot.close);
    const s = logReturns(shuffled.frame.spot.close);
    expect(s).toHaveLength(r.length);
    expect(shuffled.frame.spot.ts[0]).toBe(real.frame.spot.ts[0]);
    const mean = r.reduce((x, y) => x + y, 0) / r.length;
    // Same returns up to the drift and the cent rounding, in another order of 24-bar blocks.
    const sorted = (x: number[]) => [...x].sort((p, q) => p - q);
    const want = sorted(r);
    for (const [i, v] of sorted(s).entries()) expect(v).toBeCloseTo(want[i]! - mean, 3);
    expect(s).not.toEqual(r.map((x) => x - mean));
    const first = shuffled.frame.spot.close[0]!;
    expect(Math.abs(Math.log(shuffled.frame.spot.close[s.length]! / first))).toBeLessThan(1e-3);
    expect(SHUFFLE_BLOCK).toBe(24);
  });
});
