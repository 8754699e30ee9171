import { describe, expect, it } from 'vitest';
import { bootstrapSharpeCi } from './bootstrap.js';
import { sharpeStandardError } from './inference.js';
import { normalQuantile } from './normal.js';
import { sharpe } from './performance.js';
import { mulberry32, normalSampler } from './rng.js';

function iidNormal(seed: number, n: number, mu: number): Float64Array {
  const z = normalSampler(mulberry32(seed));
  return Float64Array.from({ length: n }, () => mu + z());
}

describe('bootstrapSharpeCi', () => {
  const returns = iidNormal(1, 1000, 0.1);

  it('is reproducible from the seed and changes with it', () => {
    const a = bootstrapSharpeCi(returns, { rng: mulberry32(5), resamples: 500 });
    const b = bootstrapSharpeCi(returns, { rng: mulberry32(5), resamples: 500 });
    const c = bootstrapSharpeCi(returns, { rng: mulberry32(6), resamples: 500 });
    expect(b).toEqual(a);
    expect(c.lo).not.toBe(a.lo);
  });

  it('brackets the sample Sharpe and reports the requested level', () => {
    const ci = bootstrapSharpeCi(returns, { rng: mulberry32(8), level: 0.9 });
    expect(ci.level).toBe(0.9);
    expect(ci.estimate).toBeCloseTo(sharpe(returns), 14);
    expect(ci.lo).toBeLessThan(ci.estimate);
    expect(ci.hi).toBeGreaterThan(ci.estimate);
  });

  it('has about the asymptotic width 2·Φ⁻¹(0.975)·SE on iid normal data, for both block schemes', () => {
    const expected = 2 * normalQuantile(0.975) * sharpeStandardError({ sharpe: sharpe(returns), nObs: 1000 });
    for (const method of ['stationary', 'circular'] as const) {
      const ci = bootstrapSharpeCi(returns, { rng: mulberry32(9), method, resamples: 3000 });
      expect((ci.hi - ci.lo) / expected).toBeGreaterThan(0.85);
      expect((ci.hi - ci.lo) / expected).toBeLessThan(1.15);
    }
  });

  it('covers the true Sharpe in roughly 95% of repeated samples', () => {
    const trueSharpe = 0.1;
    const reps = 200;
    let covered = 0;
    for (let r = 0; r < reps; r++) {
      const ci = bootstrapSharpeCi(iidNormal(1000 + r, 250, trueSharpe), { rng: mulberry32(r), resamples: 400 });
      if (ci.lo <= trueSharpe && trueSharpe <= ci.hi) covered++;
    }
    expect(covered / reps).toBeGreaterThan(0.88);
    expect(covered / reps).toBeLessThan(0.99);
  });

  it('widens with longer blocks when returns are positively autocorrelated', () => {
    const z = normalSampler(mulberry32(21));
    const ar = new Float64Array(2000);
    for (let t = 1; t < ar.length; t++) ar[t] = 0.6 * ar[t - 1]! + z();
    for (let t = 0; t < ar.length; t++) ar[t]! += 0.05;
    const iid = bootstrapSharpeCi(ar, { rng: mulberry32(1), blockLength: 1 });
    const blocks = bootstrapSharpeCi(ar, { rng: mulberry32(1), blockLength: 25 });
    expect((blocks.hi - blocks.lo) / (iid.hi - iid.lo)).toBeGreaterThan(1.4);
  });

  it('annualises the interval by √periodsPerYear when asked', () => {
    const perPeriod = bootstrapSharpeCi(returns, { rng: mulberry32(4), resamples: 300 });
    const annual = bootstrapSharpeCi(returns, { rng: mulberry32(4), resamples: 300, periodsPerYear: 252 });
    expect(annual.lo).toBeCloseTo(perPeriod.lo * Math.sqrt(252), 12);
    expect(annual.hi).toBeCloseTo(perPeriod.hi * Math.sqrt(252), 12);
  });

  it('returns NaN bounds for fewer than two observations and rejects bad options', () => {
    expect(bootstrapSharpeCi([0.01], { rng: mulberry32(1) }).lo).toBeNaN();
    expect(() => bootstrapSharpeCi(returns, { rng: mulberry32(1), level: 1 })).toThrow(RangeError);
    expect(() => bootstrapSharpeCi(returns, { rng: mulberry32(1), blockLength: 0 })).toThrow(RangeError);
  });
});
