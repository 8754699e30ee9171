import { describe, expect, it } from 'vitest';
import { kurtosis, mean, variance } from './descriptive.js';
import { mulberry32, normalSampler, randomInt } from './rng.js';

describe('mulberry32', () => {
  it('reproduces the reference stream of the C algorithm (computed independently with uint32 arithmetic)', () => {
    const rng = mulberry32(42);
    expect([rng(), rng(), rng(), rng()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693,
    ]);
    const zero = mulberry32(0);
    expect([zero(), zero()]).toEqual([0.26642920868471265, 0.0003297457005828619]);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = mulberry32(123);
    const xs = Float64Array.from({ length: 200_000 }, () => rng());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mean(xs)).toBeCloseTo(0.5, 2);
    expect(variance(xs)).toBeCloseTo(1 / 12, 3);
  });
});

describe('randomInt', () => {
  it('covers every integer in [0, n) roughly equally', () => {
    const rng = mulberry32(5);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[randomInt(rng, 10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });
});

describe('normalSampler', () => {
  it('produces standard normal draws (mean 0, variance 1, raw kurtosis 3)', () => {
    const z = normalSampler(mulberry32(99));
    const xs = Float64Array.from({ length: 200_000 }, () => z());
    expect(mean(xs)).toBeCloseTo(0, 2);
    expect(variance(xs)).toBeCloseTo(1, 1);
    expect(Math.abs(kurtosis(xs) - 3)).toBeLessThan(0.05);
  });
});
