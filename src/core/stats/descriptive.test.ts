import { describe, expect, it } from 'vitest';
import {
  downsideDeviation,
  excessKurtosis,
  kurtosis,
  mean,
  moments,
  quantile,
  quantileSorted,
  skewness,
  std,
  variance,
} from './descriptive.js';

const returns = [0.01, 0.02, -0.01, 0.03, 0.0];

describe('mean, variance and std', () => {
  it('use the sample (ddof = 1) convention by default', () => {
    // Deviations 0, .01, −.02, .02, −.01: sum of squares 1e-3, over n − 1 = 4.
    expect(mean(returns)).toBeCloseTo(0.01, 15);
    expect(variance(returns)).toBeCloseTo(2.5e-4, 15);
    expect(std(returns)).toBeCloseTo(Math.sqrt(2.5e-4), 15);
    expect(variance(returns, 0)).toBeCloseTo(2e-4, 15);
  });

  it('accept typed arrays as well as plain arrays', () => {
    expect(std(Float64Array.from(returns))).toBe(std(returns));
  });

  it('return NaN when there is too little data', () => {
    expect(mean([])).toBeNaN();
    expect(std([1])).toBeNaN();
  });

  it('do not lose precision on a large offset', () => {
    expect(variance([1e9 + 1, 1e9 + 2, 1e9 + 3])).toBeCloseTo(1, 12);
  });
});

describe('skewness and kurtosis', () => {
  it('are population moment ratios, with kurtosis raw (scipy bias=True, fisher=False)', () => {
    // [1, 2, 3, 10]: m2 = 12.5, m3 = 45, m4 = 348.5; scipy gives 1.0182337649086284 and 2.2304.
    expect(skewness([1, 2, 3, 10])).toBeCloseTo(45 / 12.5 ** 1.5, 14);
    expect(skewness([1, 2, 3, 10])).toBeCloseTo(1.0182337649086284, 14);
    expect(kurtosis([1, 2, 3, 10])).toBeCloseTo(2.2304, 14);
    expect(excessKurtosis([1, 2, 3, 10])).toBeCloseTo(2.2304 - 3, 14);
  });

  it('give zero skew and kurtosis 1.7 for the symmetric five-point example', () => {
    expect(skewness(returns)).toBeCloseTo(0, 12);
    expect(kurtosis(returns)).toBeCloseTo(1.7, 12);
  });

  it('are NaN for a flat series', () => {
    expect(skewness([2, 2, 2])).toBeNaN();
    expect(kurtosis([2, 2, 2])).toBeNaN();
  });

  it('are bundled by moments()', () => {
    expect(moments([1, 2, 3, 10])).toEqual({
      n: 4,
      mean: 4,
      std: std([1, 2, 3, 10]),
      skewness: skewness([1, 2, 3, 10]),
      kurtosis: kurtosis([1, 2, 3, 10]),
    });
  });
});

describe('downsideDeviation', () => {
  it('averages squared shortfalls over all observations, not just the losing ones', () => {
    // Only −0.01 falls below 0: sqrt(1e-4 / 5), not sqrt(1e-4 / 1).
    expect(downsideDeviation(returns)).toBeCloseTo(Math.sqrt(2e-5), 15);
  });

  it('measures shortfall against the target', () => {
    // Against 0.015 the shortfalls are −0.005, −0.025 and −0.015; 0.02 and 0.03 are above.
    const ss = 0.005 ** 2 + 0.025 ** 2 + 0.015 ** 2;
    expect(downsideDeviation(returns, 0.015)).toBeCloseTo(Math.sqrt(ss / 5), 15);
  });

  it('is zero when nothing falls short', () => {
    expect(downsideDeviation([0.01, 0.02])).toBe(0);
  });
});

describe('quantile', () => {
  it('interpolates linearly between order statistics like numpy', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([3, 1, 2, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});
