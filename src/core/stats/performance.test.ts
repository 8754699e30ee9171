import { describe, expect, it } from 'vitest';
import { calmar, maxDrawdown } from './drawdown.js';
import {
  annualizedSharpe,
  annualizedVolatility,
  cagr,
  equityCurve,
  sharpe,
  simpleReturns,
  sortino,
  totalReturn,
} from './performance.js';
import { profitFactor, turnover, winRate } from './trades.js';

// Hand-computed with empyrical's conventions (ddof = 1 std, downside risk over all observations):
// mean 0.01, std √2.5e-4, downside deviation √2e-5.
const returns = [0.01, 0.02, -0.01, 0.03, 0.0];

describe('sharpe', () => {
  it('is the per-period mean over the sample std, as empyrical computes before annualising', () => {
    expect(sharpe(returns)).toBeCloseTo(Math.sqrt(0.4), 14);
  });

  it('annualises by √periodsPerYear: empyrical.sharpe_ratio gives √100.8 for daily data', () => {
    expect(annualizedSharpe(returns, 252)).toBeCloseTo(Math.sqrt(100.8), 12);
    expect(annualizedSharpe(returns, 12)).toBeCloseTo(Math.sqrt(0.4 * 12), 12);
  });

  it('subtracts a per-period risk-free rate before dividing', () => {
    // mean(r − 0.005) = 0.005 with the same std.
    expect(sharpe(returns, 0.005)).toBeCloseTo(0.005 / Math.sqrt(2.5e-4), 14);
  });

  it('treats a flat series as infinitely good, infinitely bad or zero by the sign of its mean', () => {
    expect(sharpe([0.01, 0.01, 0.01])).toBe(Number.POSITIVE_INFINITY);
    expect(sharpe([-0.01, -0.01])).toBe(Number.NEGATIVE_INFINITY);
    expect(sharpe([0, 0, 0])).toBe(0);
    expect(sharpe([0.01])).toBeNaN();
  });

  it('rejects a non-positive periodsPerYear', () => {
    expect(() => annualizedSharpe(returns, 0)).toThrow(RangeError);
    expect(() => cagr([1, 2], -1)).toThrow(RangeError);
  });
});

describe('sortino', () => {
  it('matches empyrical.sortino_ratio: √252 · mean / downside deviation = √1260', () => {
    expect(sortino(returns, 252)).toBeCloseTo(Math.sqrt(1260), 10);
  });

  it('is infinite when there is no downside and the mean is positive', () => {
    expect(sortino([0.01, 0.02], 252)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('annualizedVolatility', () => {
  it('scales the sample std by √periodsPerYear', () => {
    expect(annualizedVolatility(returns, 252)).toBeCloseTo(Math.sqrt(2.5e-4 * 252), 14);
  });
});

describe('equity curves', () => {
  it('compound returns and recover them exactly', () => {
    const equity = equityCurve([0.1, -0.5, 1], 100);
    expect(Array.from(equity)).toEqual([100, 110.00000000000001, 55.00000000000001, 110.00000000000001]);
    const back = simpleReturns(equity);
    [0.1, -0.5, 1].forEach((r, i) => {
      expect(back[i]).toBeCloseTo(r, 14);
    });
  });

  it('give total return and CAGR over n − 1 periods', () => {
    expect(totalReturn([100, 110, 121])).toBeCloseTo(0.21, 14);
    expect(cagr([100, 110, 121], 1)).toBeCloseTo(0.1, 14);
    // Quadrupling over 24 monthly periods is 100% a year.
    const monthly = Array.from({ length: 25 }, (_, i) => 4 ** (i / 24));
    expect(cagr(monthly, 12)).toBeCloseTo(1, 12);
    expect(cagr([1], 12)).toBeNaN();
  });
});

describe('maxDrawdown', () => {
  it('finds the deepest fall, its peak and trough, and reports an unrecovered one to the end', () => {
    const dd = maxDrawdown([100, 120, 90, 100, 130, 65, 70]);
    expect(dd.maxDrawdown).toBeCloseTo(0.5, 15);
    expect(dd).toMatchObject({ peakIndex: 4, troughIndex: 5, recoveryIndex: -1, duration: 2 });
  });

  it('measures the duration from the peak to the first point back at the peak', () => {
    const dd = maxDrawdown([100, 80, 90, 100, 110]);
    expect(dd.maxDrawdown).toBeCloseTo(0.2, 15);
    expect(dd).toMatchObject({ peakIndex: 0, troughIndex: 1, recoveryIndex: 3, duration: 3 });
  });

  it('reports zero for a curve that never falls', () => {
    expect(maxDrawdown([1, 1, 2, 3])).toEqual({
      maxDrawdown: 0,
      peakIndex: 0,
      troughIndex: 0,
      recoveryIndex: 0,
      duration: 0,
    });
  });
});

describe('calmar', () => {
  it('divides CAGR by the maximum drawdown', () => {
    const equity = [100, 80, 121];
    expect(calmar(equity, 2)).toBeCloseTo(0.21 / 0.2, 12);
  });

  it('is NaN without a drawdown', () => {
    expect(calmar([1, 2, 3], 252)).toBeNaN();
  });
});

describe('trade statistics', () => {
  const pnls = [10, -5, 0, 20, -15];

  it('count break-even trades as non-wins in the win rate', () => {
    expect(winRate(pnls)).toBeCloseTo(2 / 5, 15);
    expect(winRate([])).toBeNaN();
  });

  it('divide gross profit by gross loss in the profit factor', () => {
    expect(profitFactor(pnls)).toBeCloseTo(30 / 20, 15);
    expect(profitFactor([1, 2])).toBe(Number.POSITIVE_INFINITY);
    expect(profitFactor([0, 0])).toBeNaN();
  });

  it('measure turnover as traded notional over average equity', () => {
    expect(turnover([50, -150, 100], [100, 100, 100, 100])).toBe(3);
    expect(turnover([50], [])).toBeNaN();
  });
});
