import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantile } from './descriptive.js';
import { maxDrawdown } from './drawdown.js';
import { minTrackRecordLength, probabilisticSharpe } from './inference.js';
import { normalCdf, normalQuantile } from './normal.js';
import { binomial, pbo } from './pbo.js';
import { cagr, sharpe, sortino } from './performance.js';
import { averageRanks } from './ranks.js';

// Returns on a 1e-6 grid: realistic magnitudes, no subnormals whose squares underflow to 0.
const returnArb = fc.integer({ min: -500_000, max: 500_000 }).map((i) => i / 1e6);
const returnsArb = fc.array(returnArb, { minLength: 2, maxLength: 60 });
const equityArb = fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 80 });

/** |a - b| relative to the larger magnitude (at least 1). */
const relativeGap = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));

describe('properties', () => {
  it('maxDrawdown of a positive equity curve lies in [0, 1) and equals the brute-force worst fall', () => {
    fc.assert(
      fc.property(equityArb, (equity) => {
        const { maxDrawdown: dd, peakIndex, troughIndex } = maxDrawdown(equity);
        let brute = 0;
        for (let i = 0; i < equity.length; i++) {
          for (let j = i + 1; j < equity.length; j++) brute = Math.max(brute, 1 - equity[j]! / equity[i]!);
        }
        expect(dd).toBeGreaterThanOrEqual(0);
        expect(dd).toBeLessThan(1);
        expect(dd).toBeCloseTo(brute, 12);
        expect(peakIndex).toBeLessThanOrEqual(troughIndex);
      }),
    );
  });

  it('Sharpe and Sortino are invariant to scaling returns by a positive constant', () => {
    fc.assert(
      fc.property(returnsArb, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (returns, k) => {
        const base = sharpe(returns);
        fc.pre(Number.isFinite(base) && base !== 0);
        const scaled = returns.map((r) => r * k);
        // Relative: a near-constant series has a Sharpe in the thousands, where 1e-9 absolute is below its ulps.
        expect(relativeGap(sharpe(scaled), base)).toBeLessThan(1e-9);
        const so = sortino(returns, 252);
        if (Number.isFinite(so)) expect(relativeGap(sortino(scaled, 252), so)).toBeLessThan(1e-7);
      }),
    );
  });

  it('PSR increases with the Sharpe estimate, all else equal', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.2, noNaN: true }),
        fc.integer({ min: 10, max: 5000 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 2, max: 8, noNaN: true }),
        (sr, step, nObs, skew, kurtosis) => {
          fc.pre(kurtosis >= skew * skew + 1); // attainable moment pair
          const lo = probabilisticSharpe({ sharpe: sr, nObs, skew, kurtosis });
          const hi = probabilisticSharpe({ sharpe: sr + step, nObs, skew, kurtosis });
          expect(hi).toBeGreaterThanOrEqual(lo);
          expect(lo).toBeGreaterThanOrEqual(0);
          expect(hi).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('MinTRL shrinks as the Sharpe edge over the benchmark grows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.3, noNaN: true }),
        fc.double({ min: 0.01, max: 0.3, noNaN: true }),
        (a, b) => {
          fc.pre(Math.abs(a - b) > 1e-6);
          const [small, large] = a < b ? [a, b] : [b, a];
          expect(minTrackRecordLength({ sharpe: large })).toBeLessThan(minTrackRecordLength({ sharpe: small }));
        },
      ),
    );
  });

  it('PBO lies in [0, 1] with one finite logit per C(S, S/2) split', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.constantFrom(2, 4, 6),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (nStrategies, partitions, seed) => {
          const nObs = partitions * 5 + (seed % 3);
          const data = new Float64Array(nObs * nStrategies);
          let s = seed;
          for (let i = 0; i < data.length; i++) {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            data[i] = (s / 2 ** 32 - 0.5) * 0.02;
          }
          const result = pbo({ data, nObs, nStrategies }, { partitions });
          expect(result.pbo).toBeGreaterThanOrEqual(0);
          expect(result.pbo).toBeLessThanOrEqual(1);
          expect(result.nCombinations).toBe(binomial(partitions, partitions / 2));
          expect(result.logits.every(Number.isFinite)).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('CAGR of a constant-growth curve equals the compounded per-period growth', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.integer({ min: 2, max: 500 }),
        fc.constantFrom(12, 52, 252, 365),
        (g, n, periodsPerYear) => {
          const equity = Array.from({ length: n }, (_, t) => 100 * (1 + g) ** t);
          const expected = (1 + g) ** periodsPerYear - 1;
          expect(Math.abs(cagr(equity, periodsPerYear) - expected)).toBeLessThanOrEqual(
            1e-9 * Math.max(1, Math.abs(expected)),
          );
          expect(cagr(equity, 1)).toBeCloseTo(g, 10);
        },
      ),
    );
  });

  it('normalQuantile inverts normalCdf', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1 - 1e-12, noNaN: true }), (p) => {
        const back = normalCdf(normalQuantile(p));
        expect(Math.abs(back - p)).toBeLessThanOrEqual(1e-12 * p + 1e-300);
      }),
    );
  });

  it('average ranks always sum to n(n + 1)/2 and preserve order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 40 }), (xs) => {
        const ranks = averageRanks(xs);
        const n = xs.length;
        expect(ranks.reduce((a, b) => a + b, 0)).toBeCloseTo((n * (n + 1)) / 2, 9);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) if (xs[i]! < xs[j]!) expect(ranks[i]).toBeLessThan(ranks[j]!);
        }
        expect(quantile(ranks, 0)).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
