import { downsideDeviation, mean, type Series, std } from './descriptive.js';

function assertPeriodsPerYear(periodsPerYear: number): void {
  if (!(periodsPerYear > 0) || !Number.isFinite(periodsPerYear)) {
    throw new RangeError(`periodsPerYear must be a positive finite number, got ${periodsPerYear}`);
  }
}

/** Compounds per-period simple returns into an equity curve of length n + 1 that starts at `initial`. */
export function equityCurve(returns: Series, initial = 1): Float64Array {
  const out = new Float64Array(returns.length + 1);
  out[0] = initial;
  for (let i = 0; i < returns.length; i++) out[i + 1] = out[i]! * (1 + returns[i]!);
  return out;
}

/** Per-period simple returns of an equity curve (length n − 1). */
export function simpleReturns(equity: Series): Float64Array {
  const n = Math.max(0, equity.length - 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = equity[i + 1]! / equity[i]! - 1;
  return out;
}

/** last / first − 1 of an equity curve; NaN with fewer than two points. */
export function totalReturn(equity: Series): number {
  if (equity.length < 2) return Number.NaN;
  return equity[equity.length - 1]! / equity[0]! - 1;
}

/**
 * Compound annual growth rate of an equity curve whose points are one period apart: n points
 * span n − 1 periods, i.e. (n − 1) / periodsPerYear years.
 */
export function cagr(equity: Series, periodsPerYear: number): number {
  assertPeriodsPerYear(periodsPerYear);
  if (equity.length < 2) return Number.NaN;
  const growth = equity[equity.length - 1]! / equity[0]!;
  if (!(growth >= 0)) return Number.NaN;
  return growth ** (periodsPerYear / (equity.length - 1)) - 1;
}

/** Sample standard deviation of per-period returns scaled by √periodsPerYear. */
export function annualizedVolatility(returns: Series, periodsPerYear: number): number {
  assertPeriodsPerYear(periodsPerYear);
  return std(returns) * Math.sqrt(periodsPerYear);
}

// A flat series has zero risk: its Sharpe is ±Infinity by the sign of the mean, and 0 (not NaN)
// when the mean is also zero, so that degenerate strategies still rank instead of poisoning sorts.
export function ratioOrSignedInfinity(numerator: number, denominator: number): number {
  if (denominator > 0) return numerator / denominator;
  if (Number.isNaN(numerator) || Number.isNaN(denominator)) return Number.NaN;
  return numerator > 0 ? Number.POSITIVE_INFINITY : numerator < 0 ? Number.NEGATIVE_INFINITY : 0;
}

/**
 * Per-period (non-annualised) Sharpe ratio mean(r − rf) / std(r − rf), ddof = 1. `riskFree` is
 * a per-period rate. NaN with fewer than two observations.
 */
export function sharpe(returns: Series, riskFree = 0): number {
  if (returns.length < 2) return Number.NaN;
  if (riskFree === 0) return ratioOrSignedInfinity(mean(returns), std(returns));
  const excess = Float64Array.from(returns, (r) => r - riskFree);
  return ratioOrSignedInfinity(mean(excess), std(excess));
}

/** Per-period Sharpe × √periodsPerYear (the iid scaling rule; autocorrelation is not corrected). */
export function annualizedSharpe(returns: Series, periodsPerYear: number, riskFree = 0): number {
  assertPeriodsPerYear(periodsPerYear);
  return sharpe(returns, riskFree) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised Sortino ratio √periodsPerYear · mean(r − target) / downsideDeviation(r, target), with
 * the downside deviation averaged over all observations (empyrical's sortino_ratio).
 */
export function sortino(returns: Series, periodsPerYear: number, target = 0): number {
  assertPeriodsPerYear(periodsPerYear);
  if (returns.length === 0) return Number.NaN;
  const excessMean = mean(returns) - target;
  return ratioOrSignedInfinity(excessMean, downsideDeviation(returns, target)) * Math.sqrt(periodsPerYear);
}
