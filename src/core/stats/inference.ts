import { moments, type Series } from './descriptive.js';
import { normalCdf, normalQuantile } from './normal.js';
import { ratioOrSignedInfinity } from './performance.js';

/** Euler–Mascheroni constant γ, used by the expected-maximum approximation. */
export const EULER_MASCHERONI = 0.5772156649015329;

/** A Sharpe estimate with the sample facts its sampling error depends on. All per-period. */
export interface SharpeEstimate {
  /** Per-period (NOT annualised) Sharpe ratio. */
  sharpe: number;
  /** Number of return observations the Sharpe was measured on. */
  nObs: number;
  /** Skewness γ3 of the returns (0 for normal). */
  skew?: number;
  /** RAW kurtosis γ4 of the returns (3 for normal, not excess). */
  kurtosis?: number;
}

// 1 − γ3·SR + (γ4 − 1)/4·SR²: the non-normal variance factor of the Sharpe estimator (Mertens 2002).
// With population moments γ4 ≥ γ3² + 1, so this is ≥ (1 − γ3·SR/2)² ≥ 0 for any real sample.
function varianceFactor(sharpe: number, skew: number, kurtosis: number): number {
  return 1 - skew * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
}

/** Standard error of a per-period Sharpe estimate: sqrt(varianceFactor / (n − 1)). */
export function sharpeStandardError({ sharpe, nObs, skew = 0, kurtosis = 3 }: SharpeEstimate): number {
  if (!(nObs > 1)) return Number.NaN;
  return Math.sqrt(varianceFactor(sharpe, skew, kurtosis) / (nObs - 1));
}

/**
 * Probabilistic Sharpe Ratio (Bailey & López de Prado 2012): the probability that the true Sharpe
 * exceeds `benchmark` (SR*, per-period), PSR = Φ((SR − SR*)·√(n − 1) / √(1 − γ3·SR + (γ4 − 1)/4·SR²)).
 * Defaults to normal returns (γ3 = 0, γ4 = 3) and SR* = 0.
 */
export function probabilisticSharpe(estimate: SharpeEstimate & { benchmark?: number }): number {
  const { sharpe, benchmark = 0 } = estimate;
  const se = sharpeStandardError(estimate);
  if (Number.isNaN(se) || Number.isNaN(sharpe)) return Number.NaN;
  return normalCdf(ratioOrSignedInfinity(sharpe - benchmark, se));
}

/** PSR measured directly on a return series (per-period Sharpe, population skew, raw kurtosis). */
export function probabilisticSharpeOfReturns(returns: Series, benchmark = 0): number {
  const m = moments(returns);
  if (m.n < 2) return Number.NaN;
  const sharpe = ratioOrSignedInfinity(m.mean, m.std);
  return probabilisticSharpe({ sharpe, nObs: m.n, skew: m.skewness, kurtosis: m.kurtosis, benchmark });
}

/**
 * Minimum Track Record Length, in observations (periods): the n at which PSR(SR*) reaches
 * `confidence`, MinTRL = 1 + (1 − γ3·SR + (γ4 − 1)/4·SR²)·(Φ⁻¹(p) / (SR − SR*))².
 * Infinity when SR ≤ SR*: no track record is long enough to prove what the estimate contradicts.
 */
export function minTrackRecordLength({
  sharpe,
  skew = 0,
  kurtosis = 3,
  benchmark = 0,
  confidence = 0.95,
}: {
  sharpe: number;
  skew?: number;
  kurtosis?: number;
  benchmark?: number;
  confidence?: number;
}): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (Number.isNaN(sharpe)) return Number.NaN;
  if (sharpe <= benchmark) return Number.POSITIVE_INFINITY;
  const z = normalQuantile(confidence) / (sharpe - benchmark);
  return 1 + varianceFactor(sharpe, skew, kurtosis) * z * z;
}

/**
 * Expected maximum of `nTrials` independent Sharpe estimates whose true value is 0 and whose
 * cross-trial variance is `varianceOfSharpes` (Bailey & López de Prado 2014, False Strategy theorem):
 * √V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))). Per-period in, per-period out.
 * One trial has nothing to be the maximum of, so N = 1 gives 0 (the formula would give −∞).
 */
export function expectedMaxSharpe(nTrials: number, varianceOfSharpes: number): number {
  if (!(nTrials >= 1)) throw new RangeError(`nTrials must be >= 1, got ${nTrials}`);
  if (!(varianceOfSharpes >= 0)) throw new RangeError(`varianceOfSharpes must be >= 0, got ${varianceOfSharpes}`);
  if (nTrials === 1) return 0;
  const g = EULER_MASCHERONI;
  const z = (1 - g) * normalQuantile(1 - 1 / nTrials) + g * normalQuantile(1 - 1 / (nTrials * Math.E));
  return Math.sqrt(varianceOfSharpes) * z;
}

/**
 * Deflated Sharpe Ratio (Bailey & López de Prado 2014): PSR with the benchmark raised to the
 * Sharpe that the best of `nTrials` luck-only strategies would be expected to show. All Sharpe
 * inputs (sharpe, sharpeVariance) are per-period; `kurtosis` is raw.
 */
export function deflatedSharpe({
  sharpe,
  nObs,
  skew = 0,
  kurtosis = 3,
  nTrials,
  sharpeVariance,
}: SharpeEstimate & { nTrials: number; sharpeVariance: number }): number {
  const benchmark = expectedMaxSharpe(nTrials, sharpeVariance);
  return probabilisticSharpe({ sharpe, nObs, skew, kurtosis, benchmark });
}

/**
 * True when a (deflated) Sharpe ratio is not significant at 95%. NaN counts as luck: a score that
 * cannot be computed must not be read as skill.
 */
export function isLuck(dsr: number): boolean {
  return !(dsr >= 0.95);
}
