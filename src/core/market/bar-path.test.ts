import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathPrice, pathRange, pathVertices } from './bar-path.js';
import { aggregateCandles, lastIndexAtOrBefore } from './candles.js';
import { ceilToStep, clean, decimalsOf, floorToStep, roundToStep } from './precision.js';

const up = { ts: 0, open: 100, high: 110, low: 95, close: 105, volume: 1 };
const down = { ts: 0, open: 100, high: 104, low: 90, close: 92, volume: 1 };

const bar = fc
  .tuple(
    fc.double({ min: 1, max: 1e5, noNaN: true }),
    fc.double({ min: 0, max: 0.2, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([low, span, a, b]) => {
    const high = low * (1 + span);
    return { ts: 0, open: low + (high - low) * a, high, low, close: low + (high - low) * b, volume: 1 };
  });

describe('bar path', () => {
  it('visits the low before the high in a bar that closed up, and the high first in one that closed down', () => {
    expect(pathVertices(up)).toEqual([100, 95, 110, 105]);
    expect(pathVertices(down)).toEqual([100, 104, 90, 92]);
  });

  it('starts at the open, ends at the close and interpolates linearly between vertices', () => {
    expect(pathPrice(up, 0)).toBe(100);
    expect(pathPrice(up, 1)).toBe(105);
    expect(pathPrice(up, 1 / 6)).toBeCloseTo(97.5, 9);
    expect(pathPrice(up, 0.5)).toBeCloseTo(102.5, 9);
  });

  it('never leaves the bar range, whatever the fraction', () => {
    fc.assert(
      fc.property(bar, fc.double({ min: -1, max: 2, noNaN: true }), (b, f) => {
        const p = pathPrice(b, f);
        return p >= b.low && p <= b.high;
      }),
    );
  });

  it('reports the extremes reached between two fractions, vertices included', () => {
    expect(pathRange(up, 0, 1)).toEqual({ low: 95, high: 110 });
    expect(pathRange(up, 0, 0.2)).toEqual({ low: 97, high: 100 });
    expect(pathRange(up, 0, 0.4)).toEqual({ low: 95, high: 100 });
    expect(pathRange(up, 0.5, 0.6).low).toBeCloseTo(102.5, 9);
  });
});

describe('candle helpers', () => {
  const bars = [0, 1, 2, 3, 4, 5].map((i) => ({
    ts: i * 60_000,
    open: 10 + i,
    high: 20 + i,
    low: 5,
    close: 11 + i,
    volume: 1,
  }));

  it('finds the last bar at or before a time by binary search', () => {
    expect(lastIndexAtOrBefore(bars, -1)).toBe(-1);
    expect(lastIndexAtOrBefore(bars, 0)).toBe(0);
    expect(lastIndexAtOrBefore(bars, 150_000)).toBe(2);
    expect(lastIndexAtOrBefore(bars, 1e9)).toBe(5);
  });

  it('aggregates into aligned buckets and drops a bucket that has not closed', () => {
    const agg = aggregateCandles(bars, 180_000, 300_000);
    expect(agg).toEqual([{ ts: 0, open: 10, high: 22, low: 5, close: 13, volume: 3 }]);
    expect(aggregateCandles(bars, 180_000, 360_000)).toHaveLength(2);
  });
});

describe('precision', () => {
  it('rounds to the grid without binary noise and in the stated direction', () => {
    expect(roundToStep(60000.10000000001, 0.1)).toBe(60000.1);
    expect(floorToStep(0.3, 0.1)).toBe(0.3);
    expect(floorToStep(0.12345, 0.001)).toBe(0.123);
    expect(ceilToStep(0.1231, 0.001)).toBe(0.124);
  });
});

describe('clean (toFixed without the text, where that is exact)', () => {
  const reference = (v: number, step: number) => Number(v.toFixed(decimalsOf(step)));
  const steps = fc.constantFrom(
    1,
    5,
    0.5,
    0.1,
    0.01,
    0.001,
    1e-4,
    1e-5,
    1e-6,
    1e-8,
    1e-12,
    1e-15,
    0.25,
    0.00001,
    10,
    0,
  );
  const same = (v: number, step: number) => {
    const got = clean(v, step);
    const want = reference(v, step);
    expect(Object.is(got, want), `clean(${v}, ${step}) = ${got}, toFixed gives ${want}`).toBe(true);
  };

  it('equals Number(value.toFixed(d)) on any double and step', () => {
    fc.assert(
      fc.property(fc.double(), steps, (v, step) => same(v, step)),
      { numRuns: 20_000 },
    );
  });

  it('equals it on prices and sizes of every magnitude, and on half-way products and their neighbours', () => {
    const half = fc.tuple(
      fc.integer({ min: -1e9, max: 1e9 }),
      fc.integer({ min: 0, max: 12 }),
      fc.integer({ min: -3, max: 3 }),
    );
    fc.assert(
      fc.property(half, steps, ([k, d, nudge], step) => {
        // (k + 0.5) / 10^d is a tie for toFixed(d) when it is exact; walk a few doubles either side of it.
        let v = (k + 0.5) / 10 ** d;
        for (let i = 0; i < Math.abs(nudge); i++)
          v = nextAfter(v, nudge > 0 ? Number.POSITIVE_INFINITY : -Number.POSITIVE_INFINITY);
        same(v, step);
        same(v, 10 ** -d);
        same(-v, 10 ** -d);
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.double({ min: -1e16, max: 1e16, noNaN: true }), fc.integer({ min: 0, max: 12 }), (v, d) => {
        same(v, 10 ** -d);
        same(v * 1e-9, 10 ** -d);
      }),
      { numRuns: 20_000 },
    );
    for (const v of [
      0,
      -0,
      1.005,
      2.5,
      -2.5,
      0.5,
      -0.5,
      1e21,
      -1e21,
      2 ** 50,
      2 ** 53,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -1e-300,
      5e-324,
    ])
      for (const step of [1, 0.1, 0.01, 1e-12]) same(v, step);
  });
});

/** The next double after `x` towards `to`. */
function nextAfter(x: number, to: number): number {
  if (Number.isNaN(x) || x === to) return x;
  if (x === 0) return to > 0 ? 5e-324 : -5e-324;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  buf.setBigUint64(0, x < to === x > 0 ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}
