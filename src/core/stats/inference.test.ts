import { describe, expect, it } from 'vitest';
import { kurtosis, mean, moments, skewness, variance } from './descriptive.js';
import {
  deflatedSharpe,
  EULER_MASCHERONI,
  expectedMaxSharpe,
  isLuck,
  minTrackRecordLength,
  probabilisticSharpe,
  probabilisticSharpeOfReturns,
  sharpeStandardError,
} from './inference.js';
import { normalCdf, normalQuantile } from './normal.js';
import { sharpe } from './performance.js';
import { mulberry32, normalSampler } from './rng.js';

describe('probabilisticSharpe', () => {
  it('reduces to Mertens’ normal-returns form Φ((SR − SR*)√(n − 1) / √(1 + SR²/2)) when γ3 = 0, γ4 = 3', () => {
    for (const [sr, bench, n] of [
      [0.1, 0, 250],
      [0.05, 0.02, 1000],
      [-0.03, 0, 60],
    ] as const) {
      const expected = normalCdf(((sr - bench) * Math.sqrt(n - 1)) / Math.sqrt(1 + (sr * sr) / 2));
      expect(probabilisticSharpe({ sharpe: sr, nObs: n, skew: 0, kurtosis: 3, benchmark: bench })).toBeCloseTo(
        expected,
        15,
      );
      expect(probabilisticSharpe({ sharpe: sr, nObs: n, benchmark: bench })).toBeCloseTo(expected, 15);
    }
  });

  it('is exactly one half when the estimate equals the benchmark', () => {
    expect(probabilisticSharpe({ sharpe: 0.07, nObs: 500, skew: -1, kurtosis: 6, benchmark: 0.07 })).toBe(0.5);
  });

  it('is lower for negatively skewed, fat-tailed returns with the same positive Sharpe', () => {
    const normal = probabilisticSharpe({ sharpe: 0.08, nObs: 500 });
    const skewed = probabilisticSharpe({ sharpe: 0.08, nObs: 500, skew: -3, kurtosis: 10 });
    expect(skewed).toBeLessThan(normal);
  });

  it('uses per-period Sharpe, raw kurtosis and population skew when measured from returns', () => {
    const z = normalSampler(mulberry32(11));
    const r = Float64Array.from({ length: 400 }, () => 0.0005 + 0.01 * z());
    const m = moments(r);
    const expected = probabilisticSharpe({
      sharpe: sharpe(r),
      nObs: 400,
      skew: skewness(r),
      kurtosis: kurtosis(r),
      benchmark: 0.01,
    });
    expect(m.kurtosis).toBeGreaterThan(2);
    expect(probabilisticSharpeOfReturns(r, 0.01)).toBeCloseTo(expected, 15);
  });

  it('is NaN with fewer than two observations', () => {
    expect(probabilisticSharpe({ sharpe: 0.1, nObs: 1 })).toBeNaN();
  });
});

describe('sharpeStandardError', () => {
  it('is 1/√(n − 1) for a zero Sharpe under normality', () => {
    expect(sharpeStandardError({ sharpe: 0, nObs: 101 })).toBeCloseTo(0.1, 15);
  });

  it('matches the empirical spread of Sharpe estimates on iid normal data', () => {
    const z = normalSampler(mulberry32(3));
    const n = 250;
    const estimates = Float64Array.from({ length: 3000 }, () =>
      sharpe(Float64Array.from({ length: n }, () => 0.1 + z())),
    );
    const predicted = sharpeStandardError({ sharpe: 0.1, nObs: n });
    expect(Math.sqrt(variance(estimates)) / predicted).toBeGreaterThan(0.95);
    expect(Math.sqrt(variance(estimates)) / predicted).toBeLessThan(1.05);
  });
});

describe('minTrackRecordLength', () => {
  it('follows 1 + (1 − γ3·SR + (γ4 − 1)/4·SR²)(Φ⁻¹(p)/(SR − SR*))²', () => {
    // Normal returns, per-period SR 0.1 against 0 at 95%: 1 + 1.005 · (1.6448536269514722 / 0.1)².
    expect(minTrackRecordLength({ sharpe: 0.1 })).toBeCloseTo(1 + 1.005 * (1.6448536269514722 / 0.1) ** 2, 9);
    const skewed = minTrackRecordLength({ sharpe: 0.1, skew: -1, kurtosis: 5, benchmark: 0.02, confidence: 0.99 });
    expect(skewed).toBeCloseTo(1 + (1 + 0.1 + 0.01) * (normalQuantile(0.99) / 0.08) ** 2, 9);
  });

  it('is the track record at which PSR reaches the requested confidence', () => {
    const est = { sharpe: 0.06, skew: -0.8, kurtosis: 7, benchmark: 0.01 };
    const n = minTrackRecordLength({ ...est, confidence: 0.95 });
    expect(probabilisticSharpe({ ...est, nObs: n })).toBeCloseTo(0.95, 12);
  });

  it('is infinite when the Sharpe does not beat the benchmark', () => {
    expect(minTrackRecordLength({ sharpe: 0.05, benchmark: 0.05 })).toBe(Number.POSITIVE_INFINITY);
    expect(minTrackRecordLength({ sharpe: -0.1 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a confidence outside (0, 1)', () => {
    expect(() => minTrackRecordLength({ sharpe: 0.1, confidence: 1 })).toThrow(RangeError);
  });
});

describe('expectedMaxSharpe', () => {
  it('applies the False Strategy formula with the Euler–Mascheroni constant', () => {
    const z = (1 - EULER_MASCHERONI) * normalQuantile(0.99) + EULER_MASCHERONI * normalQuantile(1 - 1 / (100 * Math.E));
    expect(expectedMaxSharpe(100, 0.04)).toBeCloseTo(0.2 * z, 15);
    expect(EULER_MASCHERONI).toBe(0.5772156649015329);
  });

  it('approximates the Monte-Carlo mean of the maximum of N iid normal Sharpe estimates within a few percent', () => {
    const z = normalSampler(mulberry32(2014));
    const nTrials = 100;
    const sd = 0.05;
    const reps = 4000;
    let total = 0;
    for (let r = 0; r < reps; r++) {
      let best = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < nTrials; i++) best = Math.max(best, sd * z());
      total += best;
    }
    const simulated = total / reps;
    expect(Math.abs(expectedMaxSharpe(nTrials, sd * sd) / simulated - 1)).toBeLessThan(0.03);
  });

  it('is zero for a single trial and rejects fewer', () => {
    expect(expectedMaxSharpe(1, 0.5)).toBe(0);
    expect(() => expectedMaxSharpe(0, 0.5)).toThrow(RangeError);
    expect(() => expectedMaxSharpe(10, -1)).toThrow(RangeError);
  });
});

describe('deflatedSharpe', () => {
  it('reproduces the numerical example of Bailey & López de Prado (2014): DSR ≈ 0.9004', () => {
    // 100 trials, annualised Sharpe variance 1/2, 1,250 daily observations (250 a year), skew −3,
    // raw kurtosis 10, annualised Sharpe 2.5. Everything is converted to per-period first.
    const periods = 250;
    const sr0 = expectedMaxSharpe(100, 0.5 / periods);
    expect(sr0).toBeCloseTo(0.1132, 4);
    expect(sr0 * Math.sqrt(periods)).toBeCloseTo(1.7894, 4);
    const dsr = deflatedSharpe({
      sharpe: 2.5 / Math.sqrt(periods),
      nObs: 1250,
      skew: -3,
      kurtosis: 10,
      nTrials: 100,
      sharpeVariance: 0.5 / periods,
    });
    expect(dsr).toBeCloseTo(0.9004, 4);
    expect(isLuck(dsr)).toBe(true);
  });

  it('equals PSR against zero when there was only one trial', () => {
    const est = { sharpe: 0.08, nObs: 300, skew: -0.5, kurtosis: 4 };
    expect(deflatedSharpe({ ...est, nTrials: 1, sharpeVariance: 0.01 })).toBe(probabilisticSharpe(est));
  });

  it('rarely calls the best of 100 pure-noise strategies significant, while plain PSR usually does', () => {
    const z = normalSampler(mulberry32(77));
    const nTrials = 100;
    const nObs = 250;
    const reps = 60;
    let psrHits = 0;
    let dsrHits = 0;
    const sharpes = new Float64Array(nTrials);
    const series = new Float64Array(nObs);
    for (let r = 0; r < reps; r++) {
      let best = 0;
      let bestSkew = 0;
      let bestKurt = 3;
      for (let i = 0; i < nTrials; i++) {
        for (let t = 0; t < nObs; t++) series[t] = z();
        sharpes[i] = sharpe(series);
        if (i === 0 || sharpes[i]! > sharpes[best]!) {
          best = i;
          bestSkew = skewness(series);
          bestKurt = kurtosis(series);
        }
      }
      const est = { sharpe: sharpes[best]!, nObs, skew: bestSkew, kurtosis: bestKurt };
      if (probabilisticSharpe(est) >= 0.95) psrHits++;
      if (!isLuck(deflatedSharpe({ ...est, nTrials, sharpeVariance: variance(sharpes) }))) dsrHits++;
    }
    expect(psrHits / reps).toBeGreaterThan(0.8);
    expect(dsrHits / reps).toBeLessThanOrEqual(0.05);
    expect(mean(sharpes)).toBeCloseTo(0, 1);
  });
});

describe('isLuck', () => {
  it('flags anything below 95% and anything that could not be computed', () => {
    expect(isLuck(0.9)).toBe(true);
    expect(isLuck(0.95)).toBe(false);
    expect(isLuck(0.99)).toBe(false);
    expect(isLuck(Number.NaN)).toBe(true);
  });
});
