import { describe, expect, it } from 'vitest';
import { erf, erfc, normalCdf, normalPdf, normalQuantile } from './normal.js';

// Reference values computed with mpmath at 50 significant digits.
const relClose = (actual: number, expected: number, rel: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));

describe('normalCdf', () => {
  it('matches high-precision values to about 1e-15 relative', () => {
    relClose(normalCdf(1.96), 0.9750021048517795, 1e-15);
    relClose(normalCdf(-1.96), 0.024997895148220435, 1e-15);
    relClose(normalCdf(3), 0.9986501019683699, 1e-15);
    relClose(normalCdf(-5), 2.866515718791939e-7, 5e-15);
    relClose(normalCdf(-10), 7.619853024160525e-24, 2e-14);
    expect(normalCdf(0)).toBe(0.5);
  });

  it('keeps Φ(x) + Φ(−x) = 1 and saturates at the infinities', () => {
    for (const x of [0.1, 0.7, 1.3, 2.2, 4.5]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});

describe('erf and erfc', () => {
  it('match high-precision values in all three Cody intervals', () => {
    relClose(erf(0.1), 0.1124629160182849, 1e-15);
    relClose(erf(0.5), 0.5204998778130465, 1e-15);
    relClose(erf(1), 0.8427007929497149, 1e-15);
    relClose(erfc(2), 0.004677734981047266, 1e-15);
    relClose(erfc(5), 1.5374597944280349e-12, 1e-15);
    relClose(erfc(10), 2.088487583762545e-45, 1e-15);
    relClose(erfc(20), 5.395865611607901e-176, 1e-15);
    expect(erfc(-2)).toBeCloseTo(2 - 0.004677734981047266, 15);
  });
});

describe('normalQuantile', () => {
  it('matches high-precision quantiles to full double precision', () => {
    relClose(normalQuantile(0.975), 1.959963984540054, 1e-15);
    relClose(normalQuantile(0.95), 1.6448536269514722, 1e-15);
    relClose(normalQuantile(0.99), 2.3263478740408408, 1e-15);
    relClose(normalQuantile(0.001), -3.090232306167813, 1e-15);
    relClose(normalQuantile(1e-10), -6.361340902404056, 1e-15);
    relClose(normalQuantile(1e-300), -37.0470962993612, 1e-15);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('inverts normalCdf across the unit interval', () => {
    for (const p of [1e-12, 1e-6, 0.003, 0.05, 0.2, 0.5, 0.8, 0.95, 0.999, 1 - 1e-9]) {
      relClose(normalCdf(normalQuantile(p)), p, 1e-13);
    }
  });

  it('returns infinities at 0 and 1 and NaN outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.1)).toBeNaN();
  });
});

describe('normalPdf', () => {
  it('peaks at 1/√(2π)', () => {
    expect(normalPdf(0)).toBeCloseTo(0.3989422804014327, 15);
    expect(normalPdf(1)).toBeCloseTo(0.24197072451914337, 15);
  });
});
