import { describe, expect, it } from 'vitest';
import { edhecConvertibleArbitrage, riskReference } from '../../../test/fixtures/risk/reference.js';
import { normalPdf, normalQuantile } from '../stats/normal.js';
import { expectedShortfall, valueAtRisk } from './var.js';

const edhec = edhecConvertibleArbitrage();
const ref = riskReference();

describe('valueAtRisk on PerformanceAnalytics’ edhec data', () => {
  it('gives the published historical 95 % VaR of Convertible Arbitrage, −0.01916', () => {
    // Source: PerformanceAnalytics `VaR(edhec[,1], p=.95, method="historical")` prints −0.01916, and
    // `quantile(edhec[,1], c(.05,.95))` prints −0.01916 0.02679 (stackoverflow.com/questions/37622617).
    expect(edhec).toHaveLength(152);
    expect(valueAtRisk(edhec, { p: 0.95, method: 'historical' })).toBeCloseTo(-0.01916, 12);
    expect(
      -valueAtRisk(
        edhec.map((r) => -r),
        { p: 0.95, method: 'historical' },
      ),
    ).toBeCloseTo(0.02679, 12);
  });

  it('matches the numpy/scipy reference for every method and confidence level', () => {
    // Reference: scripts/risk-reference.py (numpy.quantile type 7, scipy.stats moments and norm.expect,
    // quad integration of the Edgeworth density for modified ES).
    for (const c of ref.edhec) {
      const opts = { p: c.p, method: c.method };
      expect(valueAtRisk(edhec, opts), `VaR ${c.method} p=${c.p}`).toBeCloseTo(c.var, 10);
      expect(expectedShortfall(edhec, opts), `ES ${c.method} p=${c.p}`).toBeCloseTo(c.es, 9);
    }
  });
});

describe('textbook cases', () => {
  it('gaussian VaR and ES of a symmetric two-point series are μ + z·σ and μ − σ·φ(z)/α', () => {
    const r = [-0.01, 0.03]; // μ = 0.01, population σ = 0.02
    const z = normalQuantile(0.01);
    expect(valueAtRisk(r, { p: 0.99, method: 'gaussian' })).toBeCloseTo(0.01 + z * 0.02, 15);
    expect(expectedShortfall(r, { p: 0.99, method: 'gaussian' })).toBeCloseTo(0.01 - (0.02 * normalPdf(z)) / 0.01, 15);
  });

  it('modified VaR equals gaussian VaR when skewness and excess kurtosis vanish', () => {
    // Symmetric, and with c = 1 + √2 the population kurtosis of {±c, ±1, 0, 0, 0, 0} is exactly 3:
    // 8(1 + c⁴) = 6(1 + c²)² ⇔ c² = 3 + 2√2.
    const c = 1 + Math.SQRT2;
    const r = [-c, -1, 0, 0, 0, 0, 1, c].map((v) => v / 100);
    expect(valueAtRisk(r, { p: 0.95, method: 'modified' })).toBeCloseTo(
      valueAtRisk(r, { p: 0.95, method: 'gaussian' }),
      12,
    );
  });

  it('historical ES is the VaR itself when no return lies strictly below it', () => {
    expect(expectedShortfall([0.01, 0.01, 0.01, 0.02], { p: 0.95, method: 'historical' })).toBe(0.01);
  });

  it('returns NaN for fewer than two returns and for a flat series under the modified method', () => {
    expect(valueAtRisk([0.01], { p: 0.95, method: 'historical' })).toBeNaN();
    expect(valueAtRisk([0.01, 0.01, 0.01], { p: 0.95, method: 'modified' })).toBeNaN();
  });

  it('refuses a confidence level outside (0.5, 1) and an unknown method, naming what is accepted', () => {
    expect(() => valueAtRisk(edhec, { p: 5, method: 'gaussian' })).toThrow(
      /p must be a confidence level in \(0.5, 1\), got 5/,
    );
    expect(() => valueAtRisk(edhec, { p: 0.05, method: 'gaussian' })).toThrow(RangeError);
    expect(() => expectedShortfall(edhec, { p: 0.95, method: 'kernel' as 'gaussian' })).toThrow(
      /method must be one of historical, gaussian, modified, got kernel/,
    );
  });
});
