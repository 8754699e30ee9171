import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareAllocation, trustWeights } from '../../src/core/arena/index.js';

const bounds = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      floor: fc.double({ min: 0, max: 1 / n, noNaN: true }),
      cap: fc.double({ min: 1 / n, max: 1, noNaN: true }),
    }),
  )
  .chain(({ n, floor, cap }) =>
    fc.record({
      floor: fc.constant(floor),
      cap: fc.constant(cap),
      scores: fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(Number.NaN, -0.5, 0, 1)), {
        minLength: n,
        maxLength: n,
      }),
    }),
  );

describe('trust allocation', () => {
  it('weights sum to 1 and stay within floor and cap, whatever the scores', () => {
    fc.assert(
      fc.property(bounds, ({ scores, floor, cap }) => {
        const w = trustWeights(scores, floor, cap);
        const sum = w.reduce((a, x) => a + x, 0);
        const outside = [...w].filter((x) => x < floor - 1e-12 || x > cap + 1e-12);
        return Math.abs(sum - 1) < 1e-9 && outside.length === 0;
      }),
      { numRuns: 1_000 },
    );
  });

  it('never gives a lower score more weight than a higher one', () => {
    fc.assert(
      fc.property(bounds, ({ scores, floor, cap }) => {
        const w = trustWeights(scores, floor, cap);
        const s = scores.map((x) => (x > 0 && Number.isFinite(x) ? x : 0));
        for (let i = 0; i < s.length; i++)
          for (let j = 0; j < s.length; j++) if (s[i]! > s[j]! && w[i]! + 1e-12 < w[j]!) return false;
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('splits equally when nobody has a verified score, and refuses impossible bounds', () => {
    expect([...trustWeights([0, Number.NaN, -1, 0], 0.1, 0.5)]).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(() => trustWeights([1, 1, 1], 0.5, 0.6)).toThrow(RangeError);
    expect(() => trustWeights([1, 1, 1], 0, 0.2)).toThrow(RangeError);
  });

  it('compares with equal weighting out of sample only', () => {
    const T = 400;
    const good = Float64Array.from({ length: T }, (_, t) => 0.002 + 0.001 * Math.sin(t));
    const bad = Float64Array.from({ length: T }, (_, t) => -0.002 + 0.001 * Math.cos(t));
    const c = compareAllocation(['good', 'bad'], [good, bad], {
      folds: 4,
      floor: 0.05,
      cap: 0.95,
      periodsPerYear: 8760,
    });
    expect(c.segments.map((s) => [s.from, s.to])).toEqual([
      [100, 200],
      [200, 300],
      [300, 400],
    ]);
    expect(c.trust.curve).toHaveLength(301);
    expect(c.segments[0]!.weights.good).toBeCloseTo(0.95);
    expect(c.trust.total_return).toBeGreaterThan(c.equal.total_return);
  });
});
