import { describe, expect, it } from 'vitest';
import { riskReference } from '../../../test/fixtures/risk/reference.js';
import { continuousKelly, fractionalKellySize, kellyFraction } from './kelly.js';

describe('kellyFraction', () => {
  it('gives the textbook fractions: 2p − 1 at even money, p − q/b at odds b', () => {
    // Thorp (2006) §2: even-money bet, f* = p − q; Kelly (1956): odds b to 1, f* = (bp − q)/b.
    expect(kellyFraction({ p: 0.6, b: 1, a: 1 })).toBeCloseTo(0.2, 15);
    expect(kellyFraction({ p: 0.51, b: 1, a: 1 })).toBeCloseTo(0.02, 15);
    expect(kellyFraction({ p: 0.5, b: 2, a: 1 })).toBeCloseTo(0.25, 15);
    expect(kellyFraction({ p: 0.4, b: 1, a: 1 })).toBeCloseTo(-0.2, 15);
  });

  it('maximises expected log wealth as scipy.optimize finds it (scripts/risk-reference.py)', () => {
    for (const k of riskReference().kelly) {
      expect(kellyFraction(k), `p=${k.p} b=${k.b} a=${k.a}`).toBeCloseTo(k.numeric, 6);
    }
  });

  it('refuses a probability outside [0, 1] and non-positive payoffs, naming the parameter', () => {
    expect(() => kellyFraction({ p: 1.2, b: 1, a: 1 })).toThrow(/p must be a probability in \[0, 1\], got 1.2/);
    expect(() => kellyFraction({ p: 0.5, b: 0, a: 1 })).toThrow(/b \(the fraction won\) must be positive/);
    expect(() => kellyFraction({ p: 0.5, b: 1, a: -1 })).toThrow(/a \(the fraction lost\) must be positive/);
  });
});

describe('continuousKelly and fractionalKellySize', () => {
  it('continuous Kelly is (μ − r)/σ² and NaN for zero variance', () => {
    expect(continuousKelly(0.01, 0.0004)).toBeCloseTo(25, 12);
    expect(continuousKelly(0.01, 0.0004, 0.002)).toBeCloseTo(20, 12);
    expect(continuousKelly(0.01, 0)).toBeNaN();
  });

  it('half Kelly on 10,000 equity with f* = 0.2 stakes 1,000; the leverage cap and a negative edge bound it', () => {
    expect(fractionalKellySize({ kelly: 0.2, fraction: 0.5, equity: 10_000 })).toBeCloseTo(1000, 9);
    expect(fractionalKellySize({ kelly: 25, fraction: 0.5, equity: 10_000, maxShare: 3 })).toBe(30_000);
    expect(fractionalKellySize({ kelly: -0.2, fraction: 0.5, equity: 10_000 })).toBe(0);
    expect(() => fractionalKellySize({ kelly: 0.2, fraction: 1.5, equity: 1 })).toThrow(/fraction must be in \(0, 1\]/);
  });
});
