import { describe, expect, it } from 'vitest';
import { classifyRegime } from './regime.js';

const calm = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 0.01 : -0.01));

describe('classifyRegime', () => {
  it('reads an alternating series as range: no trend, recent volatility equal to the long run', () => {
    const r = classifyRegime(calm, { window: 20 });
    expect(r.regime).toBe('range');
    expect(r.trendT).toBeCloseTo(0, 12);
    expect(r.volatilityRatio).toBeGreaterThan(0.9);
  });

  it('reads a recent burst of large moves as volatile', () => {
    const burst = [...calm.slice(0, 40), ...calm.slice(40).map((r) => r * 5)];
    expect(classifyRegime(burst, { window: 20 }).regime).toBe('volatile');
  });

  it('reads a run of steady gains as trending-up and of steady losses as trending-down', () => {
    const up = [...calm.slice(0, 40), ...Array.from({ length: 20 }, (_, i) => 0.004 + (i % 2) * 0.002)];
    expect(classifyRegime(up, { window: 20 }).regime).toBe('trending-up');
    expect(
      classifyRegime(
        up.map((r) => -r),
        { window: 20 },
      ).regime,
    ).toBe('trending-down');
  });

  it('refuses a series shorter than two windows instead of guessing', () => {
    expect(() => classifyRegime(calm.slice(0, 30), { window: 20 })).toThrow(/need at least 40 returns/);
  });
});
