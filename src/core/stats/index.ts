/**
 * arbiter/stats — scoring statistics for the arena. Pure functions on number arrays
 * (number[] or Float64Array); no I/O, no clock, no Math.random.
 *
 * Conventions
 * - Returns are per-period SIMPLE returns (0.01 = +1%), oldest first. Equity curves are levels
 *   (positive), one point per period; an equity curve of n points spans n − 1 periods.
 * - `periodsPerYear` is the number of return observations per year: 252 for equity trading days,
 *   365 for daily crypto, 52 weekly, 12 monthly, 8760 hourly 24/7. Annualisation uses the iid rules:
 *   volatility and Sharpe scale by √periodsPerYear, CAGR compounds.
 * - std / variance are SAMPLE statistics (ddof = 1), as pandas, quantstats and empyrical use.
 * - skewness and kurtosis are POPULATION moment ratios (no small-sample correction): skewness
 *   g1 = m3/m2^1.5; `kurtosis` is RAW (Pearson) b2 = m4/m2², normal = 3; `excessKurtosis` = b2 − 3.
 *   PSR, DSR and MinTRL take RAW kurtosis.
 * - Sharpe: `sharpe` is PER-PERIOD, mean(r − rf)/std(r − rf), rf per period; `annualizedSharpe`
 *   multiplies by √periodsPerYear. PSR, DSR, MinTRL, expectedMaxSharpe, the bootstrap (unless given
 *   periodsPerYear) and PBO all work with PER-PERIOD Sharpe; annualised figures must be divided by
 *   √periodsPerYear (and variances by periodsPerYear) before use. MinTRL is counted in periods.
 *   A flat series (std 0) has Sharpe +∞/−∞ by the sign of its mean, and 0 if the mean is 0.
 * - Sortino is annualised; its downside deviation averages min(r − target, 0)² over ALL observations.
 * - Ranks are 1-based and ascending (1 = worst/smallest); ties get the average of the positions
 *   they span. PBO: ω = rank/(N + 1) of the in-sample winner out of sample, λ = ln(ω/(1 − ω)),
 *   and a split counts as overfit when λ ≤ 0. Spearman correlation uses the same average ranks.
 * - Return matrices (PBO, walk-forward) are COLUMN-MAJOR Float64Array: strategy j's return at time
 *   t is data[j * nObs + t]. When the time axis does not divide evenly into blocks or folds, the
 *   OLDEST rows (the remainder at the start) are dropped.
 * - Degenerate data (too few points, flat series) yields NaN rather than an exception; invalid
 *   parameters (odd partitions, periodsPerYear ≤ 0, …) throw RangeError.
 * - Randomness comes only from a caller-supplied seeded Rng (see `mulberry32`).
 */
export {
  type BootstrapOptions,
  bootstrapMeanCi,
  bootstrapSharpeCi,
  type ConfidenceInterval,
  type MeanBootstrapOptions,
} from './bootstrap.js';
export {
  downsideDeviation,
  excessKurtosis,
  kurtosis,
  type Moments,
  mean,
  moments,
  quantile,
  quantileSorted,
  type Series,
  skewness,
  std,
  variance,
} from './descriptive.js';
export { calmar, type Drawdown, maxDrawdown } from './drawdown.js';
export {
  deflatedSharpe,
  EULER_MASCHERONI,
  expectedMaxSharpe,
  isLuck,
  minTrackRecordLength,
  probabilisticSharpe,
  probabilisticSharpeOfReturns,
  type SharpeEstimate,
  sharpeStandardError,
} from './inference.js';
export {
  type MomentMetric,
  matrixColumn,
  matrixFromColumns,
  matrixFromRows,
  meanMetric,
  type ReturnsMatrix,
  sharpeMetric,
} from './matrix.js';
export { erf, erfc, normalCdf, normalPdf, normalQuantile } from './normal.js';
export { binomial, type PboDegradation, type PboOptions, type PboResult, pbo } from './pbo.js';
export {
  annualizedSharpe,
  annualizedVolatility,
  cagr,
  equityCurve,
  sharpe,
  simpleReturns,
  sortino,
  totalReturn,
} from './performance.js';
export { averageRanks, kendallTau, pearson, spearman } from './ranks.js';
export { mulberry32, normalSampler, type Rng, randomInt } from './rng.js';
export { profitFactor, turnover, winRate } from './trades.js';
export { type WalkForwardResult, walkForwardStability } from './walk-forward.js';
