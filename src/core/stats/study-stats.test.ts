import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapMeanCi } from './bootstrap.js';
import { mean } from './descriptive.js';
import { kendallTau } from './ranks.js';
import { mulberry32 } from './rng.js';

/** τ-b from its textbook definition: (concordant − discordant) / √((n0 − n1)(n0 − n2)), n1, n2 from tie groups. */
function bruteTauB(x: number[], y: number[]): number {
  const n = x.length;
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i >= j) continue;
      const p = (x[i]! - x[j]!) * (y[i]! - y[j]!);
      if (p > 0) concordant++;
      else if (p < 0) discordant++;
    }
  const tiePairs = (v: number[]) => {
    const groups = new Map<number, number>();
    for (const a of v) groups.set(a, (groups.get(a) ?? 0) + 1);
    let t = 0;
    for (const c of groups.values()) t += (c * (c - 1)) / 2;
    return t;
  };
  const n0 = (n * (n - 1)) / 2;
  return (concordant - discordant) / Math.sqrt((n0 - tiePairs(x)) * (n0 - tiePairs(y)));
}

const small = fc.integer({ min: -5, max: 5 });
const pairs = fc
  .integer({ min: 2, max: 25 })
  .chain((n) =>
    fc.tuple(fc.array(small, { minLength: n, maxLength: n }), fc.array(small, { minLength: n, maxLength: n })),
  );

describe("Kendall's τ-b", () => {
  it('equals the brute-force definition (ties included), lies in [−1, 1] and is symmetric', () => {
    fc.assert(
      fc.property(pairs, ([x, y]) => {
        const tau = kendallTau(x, y);
        const brute = bruteTauB(x, y);
        if (Number.isNaN(brute)) {
          expect(tau).toBeNaN();
          return;
        }
        expect(tau).toBeCloseTo(brute, 12);
        expect(Math.abs(tau)).toBeLessThanOrEqual(1 + 1e-12);
        expect(kendallTau(y, x)).toBeCloseTo(tau, 12);
      }),
    );
  });

  it('is 1 for the same ranking, −1 for its reverse, and unchanged by a monotone transform', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 30 }), (x) => {
        expect(kendallTau(x, x)).toBe(1);
        expect(
          kendallTau(
            x,
            x.map((v) => -v),
          ),
        ).toBe(-1);
        const y = x.map((v) => v * 0.37 + 1);
        expect(
          kendallTau(
            x,
            y.map((v) => v ** 3),
          ),
        ).toBe(kendallTau(x, y));
      }),
    );
  });

  it('is NaN for mismatched lengths, fewer than two items, or a side that is all ties', () => {
    expect(kendallTau([1, 2], [1])).toBeNaN();
    expect(kendallTau([1], [1])).toBeNaN();
    expect(kendallTau([3, 3, 3], [1, 2, 3])).toBeNaN();
  });
});

const values = fc.array(
  fc.integer({ min: -100_000, max: 100_000 }).map((i) => i / 1e4),
  { minLength: 1, maxLength: 40 },
);

describe('bootstrap CI of a mean', () => {
  it('is identical for the same seed and brackets within the sample range', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (v, seed) => {
        const a = bootstrapMeanCi(v, { rng: mulberry32(seed), resamples: 200 });
        const b = bootstrapMeanCi(v, { rng: mulberry32(seed), resamples: 200 });
        expect(a).toEqual(b);
        expect(a.estimate).toBeCloseTo(mean(v), 12);
        expect(a.lo).toBeLessThanOrEqual(a.hi);
        expect(a.lo).toBeGreaterThanOrEqual(Math.min(...v) - 1e-12);
        expect(a.hi).toBeLessThanOrEqual(Math.max(...v) + 1e-12);
      }),
    );
  });

  it('of a difference: shifting both samples by the same amount leaves it unchanged', () => {
    fc.assert(
      fc.property(values, values, fc.integer({ min: -50, max: 50 }), (a, b, shift) => {
        const ci = bootstrapMeanCi(a, { rng: mulberry32(7), resamples: 100, minus: b });
        const shifted = bootstrapMeanCi(
          a.map((x) => x + shift),
          { rng: mulberry32(7), resamples: 100, minus: b.map((x) => x + shift) },
        );
        expect(shifted.lo).toBeCloseTo(ci.lo, 6);
        expect(shifted.hi).toBeCloseTo(ci.hi, 6);
        expect(ci.estimate).toBeCloseTo(mean(a) - mean(b), 12);
      }),
    );
  });

  it('covers a known mean about as often as it promises (normal draws, 95 %)', () => {
    const rng = mulberry32(11);
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const v = Array.from({ length: 40 }, () => rng() - 0.5); // mean 0
      const ci = bootstrapMeanCi(v, { rng: mulberry32(t), resamples: 400 });
      if (ci.lo <= 0 && 0 <= ci.hi) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
  });

  it('rejects a level outside (0, 1) and gives NaN bounds for an empty sample', () => {
    expect(() => bootstrapMeanCi([1, 2], { rng: mulberry32(1), level: 1 })).toThrow(RangeError);
    expect(bootstrapMeanCi([], { rng: mulberry32(1) }).lo).toBeNaN();
  });
});
