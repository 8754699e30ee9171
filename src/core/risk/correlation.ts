import { mean, type Series } from '../stats/descriptive.js';
import { averageRanks, pearson } from '../stats/ranks.js';
import type { Matrix } from './portfolio.js';

export type CorrelationMethod = 'pearson' | 'spearman';

function checkColumns(columns: readonly Series[]): number {
  if (columns.length === 0) throw new RangeError('need at least one return series');
  const t = columns[0]!.length;
  columns.forEach((c, i) => {
    if (c.length !== t) throw new RangeError(`series ${i} has ${c.length} observations, series 0 has ${t}`);
  });
  return t;
}

/**
 * Correlation matrix of aligned return series (one series per instrument, same length, oldest first).
 * Spearman is Pearson on average ranks (ties share their mean rank). A constant series correlates NaN
 * with everything, itself included: there is no information to say otherwise.
 */
export function correlationMatrix(columns: readonly Series[], method: CorrelationMethod = 'pearson'): number[][] {
  checkColumns(columns);
  const data = method === 'spearman' ? columns.map((c) => averageRanks(c)) : columns;
  const k = data.length;
  const out = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const r = i === j ? (Number.isNaN(pearson(data[i]!, data[i]!)) ? Number.NaN : 1) : pearson(data[i]!, data[j]!);
      out[i]![j] = r;
      out[j]![i] = r;
    }
  }
  return out;
}

function centred(columns: readonly Series[]): Float64Array[] {
  return columns.map((c) => {
    const m = mean(c);
    return Float64Array.from(c, (v) => v - m);
  });
}

function crossProducts(x: readonly Float64Array[], divisor: number): number[][] {
  const k = x.length;
  const t = x[0]!.length;
  const out = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    const xi = x[i]!;
    for (let j = i; j < k; j++) {
      const xj = x[j]!;
      let s = 0;
      for (let r = 0; r < t; r++) s += xi[r]! * xj[r]!;
      out[i]![j] = s / divisor;
      out[j]![i] = s / divisor;
    }
  }
  return out;
}

/** Covariance matrix of aligned return series with `ddof` (1 = sample, numpy.cov's default; 0 = population). */
export function covarianceMatrix(columns: readonly Series[], ddof = 1): number[][] {
  const t = checkColumns(columns);
  if (t <= ddof) throw new RangeError(`need more than ${ddof} observations, got ${t}`);
  return crossProducts(centred(columns), t - ddof);
}

export interface ShrunkCovariance {
  /** (1 − δ)·S + δ·μ·I, S the population covariance (divisor T) and μ = trace(S)/N. */
  readonly covariance: number[][];
  /** Shrinkage intensity δ in [0, 1]. */
  readonly shrinkage: number;
}

/**
 * Ledoit & Wolf (2004), "A well-conditioned estimator for large-dimensional covariance matrices": shrinks the
 * sample covariance towards the scaled identity μ·I with the asymptotically optimal intensity
 * δ = min(1, β̄²/δ̄²), β̄² = (1/T²)Σ_t‖x_t x_t' − S‖²_F, δ̄² = ‖S − μI‖²_F. Same estimator and conventions
 * as scikit-learn's `ledoit_wolf` (data centred, divisor T). The result is positive semi-definite whenever
 * S is, and positive definite as soon as δ > 0 and μ > 0.
 */
export function ledoitWolf(columns: readonly Series[]): ShrunkCovariance {
  const t = checkColumns(columns);
  if (t < 2) throw new RangeError(`need at least 2 observations, got ${t}`);
  const x = centred(columns);
  const k = x.length;
  const s = crossProducts(x, t);
  let mu = 0;
  for (let i = 0; i < k; i++) mu += s[i]![i]!;
  mu /= k;
  let d2 = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const d = s[i]![j]! - (i === j ? mu : 0);
      d2 += d * d;
    }
  }
  // Σ_t ‖x_t x_t' − S‖²_F = Σ_{i,j} Σ_t (x_ti x_tj)² − T·‖S‖²_F.
  let fourth = 0;
  let sNorm = 0;
  for (let i = 0; i < k; i++) {
    const xi = x[i]!;
    for (let j = 0; j < k; j++) {
      const xj = x[j]!;
      let acc = 0;
      for (let r = 0; r < t; r++) {
        const p = xi[r]! * xj[r]!;
        acc += p * p;
      }
      fourth += acc;
      sNorm += s[i]![j]! ** 2;
    }
  }
  const b2 = Math.min(d2, (fourth / t - sNorm) / t);
  const delta = d2 === 0 ? 0 : b2 / d2;
  const covariance = s.map((row, i) => row.map((v, j) => (1 - delta) * v + (i === j ? delta * mu : 0)));
  return { covariance, shrinkage: delta };
}

/** Correlation matrix of a covariance matrix: c_ij / √(c_ii·c_jj); NaN where a variance is 0. */
export function covarianceToCorrelation(cov: Matrix): number[][] {
  return cov.map((row, i) => row.map((v, j) => v / Math.sqrt(cov[i]![i]! * cov[j]![j]!)));
}

/**
 * Herfindahl-Hirschman concentration of position sizes: Σ(|w_i|/Σ|w|)², from 1/N (equal sizes) to 1 (one
 * position). Shorts count by their absolute size. NaN when every weight is 0.
 */
export function herfindahl(weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += Math.abs(w);
  if (total === 0) return Number.NaN;
  let h = 0;
  for (const w of weights) h += (Math.abs(w) / total) ** 2;
  return h;
}

/** Beta of a return series to a benchmark, cov(r, b)/var(b) (OLS slope); NaN for a flat benchmark. */
export function beta(returns: Series, benchmark: Series): number {
  if (returns.length !== benchmark.length || returns.length < 2) return Number.NaN;
  const [r, b] = centred([returns, benchmark]) as [Float64Array, Float64Array];
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < r.length; i++) {
    sxy += r[i]! * b[i]!;
    sxx += b[i]! * b[i]!;
  }
  return sxx === 0 ? Number.NaN : sxy / sxx;
}
