import { describe, expect, it } from 'vitest';
import { calibration } from './calibration.js';

describe('calibration', () => {
  it('scores a perfect forecaster 0 (Brier) and 0 (log)', () => {
    const c = calibration([
      { p: 1, y: 1 },
      { p: 0, y: 0 },
    ]);
    expect(c.brier).toBe(0);
    expect(c.logScore).toBeCloseTo(Math.log(0.999), 12);
  });

  it('scores a coin flip at 50 % 0.25 Brier and ln ½ log score', () => {
    const c = calibration([
      { p: 0.5, y: 1 },
      { p: 0.5, y: 0 },
    ]);
    expect(c.brier).toBe(0.25);
    expect(c.logScore).toBeCloseTo(Math.log(0.5), 12);
    expect(c.bins).toEqual([{ lo: 0.5, count: 2, meanForecast: 0.5, observed: 0.5 }]);
  });

  it('reports nothing for no forecasts rather than a made-up score', () => {
    expect(calibration([])).toEqual({ forecasts: 0, brier: null, logScore: null, bins: [] });
  });
});
