import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { covarianceToCorrelation, ledoitWolf } from './correlation.js';
import { kellyFraction } from './kelly.js';
import { monteCarlo } from './monte-carlo.js';
import { portfolioRisk } from './portfolio.js';
import { expectedShortfall, type VarMethod, valueAtRisk } from './var.js';

// Returns on a 1e-5 grid in (−50 %, +50 %): realistic magnitudes, no subnormals.
const returnArb = fc.integer({ min: -50_000, max: 50_000 }).map((i) => i / 1e5);
const returnsArb = fc.array(returnArb, { minLength: 3, maxLength: 80 });
const confidenceArb = fc.integer({ min: 501, max: 999 }).map((i) => i / 1000);
const methodArb = fc.constantFrom<VarMethod>('historical', 'gaussian', 'modified');

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (test-only, small matrices). */
function eigenvalues(m: number[][]): number[] {
  const a = m.map((row) => [...row]);
  const n = a.length;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i]![j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((row, i) => row[i]!);
}

describe('risk properties', () => {
  it('historical and gaussian VaR are monotone in p: a higher confidence never gives a smaller loss', () => {
    fc.assert(
      fc.property(
        returnsArb,
        confidenceArb,
        confidenceArb,
        fc.constantFrom<VarMethod>('historical', 'gaussian'),
        (r, p1, p2, method) => {
          const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1];
          expect(valueAtRisk(r, { p: hi, method })).toBeLessThanOrEqual(valueAtRisk(r, { p: lo, method }) + 1e-15);
        },
      ),
    );
  });

  it('ES is at least as large a loss as VaR for every method (ES ≤ VaR as signed returns)', () => {
    fc.assert(
      fc.property(returnsArb, confidenceArb, methodArb, (r, p, method) => {
        const v = valueAtRisk(r, { p, method });
        const es = expectedShortfall(r, { p, method });
        if (Number.isNaN(v)) return; // flat series under the modified method
        expect(es).toBeLessThanOrEqual(v + 1e-12);
      }),
    );
  });

  it('the Kelly fraction of a fair bet (p·b = (1 − p)·a) is 0, and positive exactly when the edge is', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999 }).map((i) => i / 1000),
        fc.integer({ min: 1, max: 10_000 }).map((i) => i / 1000),
        (p, a) => {
          const b = ((1 - p) * a) / p;
          expect(kellyFraction({ p, b, a })).toBeCloseTo(0, 9);
          expect(kellyFraction({ p, b: b * 1.1, a })).toBeGreaterThan(0);
          expect(kellyFraction({ p, b: b * 0.9, a })).toBeLessThan(0);
        },
      ),
    );
  });

  it('a Monte Carlo run with the same seed is identical, whatever the method', () => {
    fc.assert(
      fc.property(
        returnsArb,
        fc.integer(),
        fc.constantFrom('bootstrap' as const, 'parametric' as const),
        (r, seed, method) => {
          const opts = { paths: 20, steps: 15, seed, method, blockSize: 1 };
          expect(monteCarlo(r, opts)).toEqual(monteCarlo(r, opts));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a Ledoit-Wolf shrunk covariance and its correlation matrix are positive semi-definite, even with T < N', () => {
    const panelArb = fc
      .record({ n: fc.integer({ min: 2, max: 6 }), t: fc.integer({ min: 2, max: 25 }) })
      .chain(({ n, t }) =>
        fc.array(fc.array(returnArb, { minLength: t, maxLength: t }), { minLength: n, maxLength: n }),
      );
    fc.assert(
      fc.property(panelArb, (panel) => {
        const { covariance } = ledoitWolf(panel);
        const scale = Math.max(...covariance.map((row, i) => row[i]!), 1e-300);
        for (const e of eigenvalues(covariance)) expect(e).toBeGreaterThanOrEqual(-1e-12 * scale);
        const corr = covarianceToCorrelation(covariance);
        if (corr.flat().some(Number.isNaN)) return; // a flat series has no correlation
        // Scaling by 1/σᵢσⱼ is a congruence (it keeps PSD) but magnifies the covariance's rounding by up to
        // max variance / min variance: the same 1e-12 relative bound, carried through.
        const least = Math.min(...covariance.map((row, i) => row[i]!));
        for (const e of eigenvalues(corr)) expect(e).toBeGreaterThanOrEqual(-1e-10 * Math.max(1, scale / least));
      }),
    );
  });

  it('component VaR always sums to the portfolio VaR', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(returnArb, fc.integer({ min: 1, max: 100 })), { minLength: 1, maxLength: 6 }),
        (legs) => {
          const w = legs.map(([x]) => x);
          const vol = legs.map(([, v]) => v / 1000);
          const cov = vol.map((vi, i) => vol.map((vj, j) => vi * vj * (i === j ? 1 : 0.3)));
          const r = portfolioRisk({ weights: w, covariance: cov, p: 0.99 });
          expect(r.componentVar.reduce((s, v) => s + v, 0)).toBeCloseTo(r.var, 12);
        },
      ),
    );
  });
});
