/** Anything indexable by position: number[] or a typed array. */
export type Series = ArrayLike<number>;

/** Arithmetic mean; NaN for an empty series. */
export function mean(x: Series): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  return s / n;
}

// Two-pass central moment: subtracting the mean first avoids the cancellation of Σx² − n·mean².
function centralMoment(x: Series, m: number, power: 2 | 3 | 4): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - m;
    const d2 = d * d;
    s += power === 2 ? d2 : power === 3 ? d2 * d : d2 * d2;
  }
  return s;
}

/** Variance with `ddof` delta degrees of freedom (default 1: the sample variance). NaN when n ≤ ddof. */
export function variance(x: Series, ddof = 1): number {
  const n = x.length;
  if (n <= ddof) return Number.NaN;
  return centralMoment(x, mean(x), 2) / (n - ddof);
}

/** Standard deviation, sample (ddof = 1) by default, matching pandas/empyrical. */
export function std(x: Series, ddof = 1): number {
  return Math.sqrt(variance(x, ddof));
}

/**
 * Skewness as the population moment ratio g1 = m3 / m2^1.5 (no small-sample correction), the
 * estimator used by Bailey & López de Prado and by scipy.stats.skew(bias=True). NaN when flat.
 */
export function skewness(x: Series): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  const m = mean(x);
  const m2 = centralMoment(x, m, 2) / n;
  if (m2 === 0) return Number.NaN;
  return centralMoment(x, m, 3) / n / m2 ** 1.5;
}

/**
 * Raw (Pearson) kurtosis b2 = m4 / m2², population moments: a normal sample gives about 3.
 * PSR, DSR and MinTRL expect exactly this quantity. NaN when flat.
 */
export function kurtosis(x: Series): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  const m = mean(x);
  const m2 = centralMoment(x, m, 2) / n;
  if (m2 === 0) return Number.NaN;
  return centralMoment(x, m, 4) / n / (m2 * m2);
}

/** Excess (Fisher) kurtosis = kurtosis − 3: a normal sample gives about 0. */
export function excessKurtosis(x: Series): number {
  return kurtosis(x) - 3;
}

/**
 * Downside deviation sqrt(mean(min(r − target, 0)²)) averaged over ALL observations, not only
 * the losing ones: the Sortino & Price convention, and what empyrical's downside_risk computes.
 */
export function downsideDeviation(x: Series, target = 0): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - target;
    if (d < 0) s += d * d;
  }
  return Math.sqrt(s / n);
}

/** The four moments PSR/DSR need, computed together. */
export interface Moments {
  n: number;
  mean: number;
  /** Sample standard deviation (ddof = 1). */
  std: number;
  /** Population skewness g1. */
  skewness: number;
  /** Raw population kurtosis b2 (normal = 3). */
  kurtosis: number;
}

export function moments(x: Series): Moments {
  return { n: x.length, mean: mean(x), std: std(x), skewness: skewness(x), kurtosis: kurtosis(x) };
}

/** Quantile of an ascending-sorted series by linear interpolation between order statistics (numpy's default, type 7). */
export function quantileSorted(sorted: Series, q: number): number {
  const n = sorted.length;
  if (n === 0 || !(q >= 0 && q <= 1)) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Quantile of an unsorted series (type 7); sorts a copy. */
export function quantile(x: Series, q: number): number {
  return quantileSorted(Float64Array.from(x).sort(), q);
}
