import { describe, expect, it } from 'vitest';
import { edhecConvertibleArbitrage, riskReference } from '../../../test/fixtures/risk/reference.js';
import { monteCarlo } from './monte-carlo.js';

const edhec = edhecConvertibleArbitrage();

describe('monteCarlo', () => {
  it('reproduces the Python re-implementation of the same seeded paths (scripts/risk-reference.py)', () => {
    for (const c of riskReference().monteCarlo) {
      const r = monteCarlo(edhec, {
        paths: c.paths,
        steps: c.steps,
        seed: c.seed,
        method: c.method,
        blockSize: c.blockSize,
        ruinFloor: c.ruinFloor,
        quantiles: c.quantiles,
      });
      expect(r.probabilityOfRuin, c.method).toBe(c.probabilityOfRuin);
      expect(r.maxDrawdown.mean, c.method).toBeCloseTo(c.maxDrawdown.mean, 10);
      expect(r.terminalWealth.mean, c.method).toBeCloseTo(c.terminalWealth.mean, 10);
      r.maxDrawdown.quantiles.forEach((q, i) => {
        expect(q.value).toBeCloseTo(c.maxDrawdown.quantiles[i]!, 10);
      });
      r.terminalWealth.quantiles.forEach((q, i) => {
        expect(q.value).toBeCloseTo(c.terminalWealth.quantiles[i]!, 10);
      });
    }
  });

  it('a bootstrap of a series that only loses 10 % a period ruins every path and draws down 1 − 0.9^steps', () => {
    const r = monteCarlo([-0.1, -0.1, -0.1], { paths: 50, steps: 10, seed: 1, method: 'bootstrap', ruinFloor: 0.5 });
    expect(r.probabilityOfRuin).toBe(1);
    expect(r.maxDrawdown.mean).toBeCloseTo(1 - 0.9 ** 10, 12);
    expect(r.terminalWealth.mean).toBeCloseTo(0.9 ** 10, 12);
  });

  it('a return of −100 % leaves the path at zero: drawdown 1 and ruined even with a zero floor', () => {
    const r = monteCarlo([-1, -1], { paths: 3, steps: 5, seed: 9, method: 'bootstrap', ruinFloor: 0 });
    expect(r.probabilityOfRuin).toBe(1);
    expect(r.maxDrawdown.mean).toBe(1);
  });

  it('refuses bad options with the name of the option and what is accepted', () => {
    const base = { paths: 10, steps: 10, seed: 1, method: 'parametric' as const };
    expect(() => monteCarlo(edhec, { ...base, paths: 0 })).toThrow(/paths must be a positive integer, got 0/);
    expect(() => monteCarlo(edhec, { ...base, ruinFloor: 1 })).toThrow(/ruinFloor must be in \[0, 1\), got 1/);
    expect(() => monteCarlo(edhec, { ...base, paths: 100_000, steps: 1_000 })).toThrow(/paths × steps must be at most/);
    expect(() => monteCarlo(edhec, { ...base, method: 'bootstrap', blockSize: 500 })).toThrow(
      /blockSize must be an integer in \[1, 152\]/,
    );
    expect(() => monteCarlo([0.01], base)).toThrow(/at least 2 observed returns/);
  });
});
