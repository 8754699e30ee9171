import { describe, expect, it } from 'vitest';
import { type SyntheticStep, syntheticMarket } from './synthetic.js';

const HOUR = 3_600_000;

function run(seed: number, n: number, timeframeMs = 60_000): SyntheticStep[] {
  const next = syntheticMarket({ seed, startTs: Date.UTC(2025, 0, 1), timeframeMs });
  return Array.from({ length: n }, () => next());
}

function returns(steps: readonly SyntheticStep[], asset: number): number[] {
  return steps.slice(1).map((s, i) => Math.log(s.spot[asset]!.close / steps[i]!.spot[asset]!.close));
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = a.reduce((x, y) => x + y, 0) / a.length;
  const mb = b.reduce((x, y) => x + y, 0) / b.length;
  let num = 0;
  let da = 0;
  let db = 0;
  a.forEach((x, i) => {
    num += (x - ma) * (b[i]! - mb);
    da += (x - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}

describe('synthetic market', () => {
  it('produces identical bars for the same seed', () => {
    expect(run(42, 500)).toEqual(run(42, 500));
  });

  it('produces different bars for different seeds', () => {
    expect(run(1, 50).map((s) => s.spot[0]!.close)).not.toEqual(run(2, 50).map((s) => s.spot[0]!.close));
  });

  it('starts near realistic prices for BTC, ETH and SOL', () => {
    const [first] = run(3, 1);
    expect(first!.spot[0]!.open).toBeCloseTo(60_000, -2);
    expect(first!.spot[1]!.open).toBeCloseTo(3_000, -1);
    expect(first!.spot[2]!.open).toBeCloseTo(150, 0);
  });

  it('keeps every bar consistent: high above and low below open and close, volume positive', () => {
    for (const s of run(5, 2_000)) {
      for (const c of [...s.spot, ...s.perp]) {
        expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
        expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
        expect(c.volume).toBeGreaterThan(0);
      }
    }
  });

  it('moves the three assets together through a shared market factor', () => {
    const steps = run(11, 3_000);
    expect(correlation(returns(steps, 0), returns(steps, 1))).toBeGreaterThan(0.5);
    expect(correlation(returns(steps, 0), returns(steps, 2))).toBeGreaterThan(0.5);
  });

  it('prices the perpetual within half a percent of spot (a small basis)', () => {
    for (const s of run(13, 1_000)) {
      s.spot.forEach((c, i) => {
        expect(Math.abs(s.perp[i]!.close / c.close - 1)).toBeLessThan(0.0051);
      });
    }
  });

  it('settles funding only on 00:00, 08:00 and 16:00 UTC bars', () => {
    const steps = run(17, 72, HOUR);
    const funded = steps.filter((s) => s.funding[0] !== null);
    expect(funded.length).toBeGreaterThanOrEqual(8);
    for (const s of funded) {
      expect(s.ts % (8 * HOUR)).toBe(0);
      expect(Math.abs(s.funding[0]!.rate)).toBeLessThanOrEqual(0.003);
    }
  });

  it('visits more than one volatility regime over a long run', () => {
    expect(new Set(run(19, 2_000, HOUR).map((s) => s.regime)).size).toBeGreaterThanOrEqual(2);
  });
});
