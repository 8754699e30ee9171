import { mean, quantileSorted, type Series } from './descriptive.js';
import { ratioOrSignedInfinity } from './performance.js';
import { type Rng, randomInt } from './rng.js';

export interface BootstrapOptions {
  /** Seeded source of uniforms, e.g. mulberry32(seed). Required: results must be reproducible. */
  rng: Rng;
  /** Number of bootstrap resamples (default 2000). */
  resamples?: number;
  /**
   * Block length (circular) or mean block length (stationary). Default round(n^(1/3)), the usual
   * rate for Sharpe-type statistics; use longer blocks for strongly autocorrelated returns.
   */
  blockLength?: number;
  /** 'stationary' (Politis & Romano 1994, geometric block lengths; default) or 'circular' (fixed length). */
  method?: 'stationary' | 'circular';
  /** Two-sided coverage, default 0.95. */
  level?: number;
  /** When given, the interval and estimate are annualised by √periodsPerYear. */
  periodsPerYear?: number;
}

export interface ConfidenceInterval {
  lo: number;
  hi: number;
  level: number;
  /** The Sharpe of the original sample, on the same scale as lo/hi. */
  estimate: number;
}

/**
 * Percentile bootstrap confidence interval for the Sharpe ratio (per-period unless periodsPerYear
 * is given). Blocks wrap around the end of the sample so every observation is equally likely to
 * be drawn. Quantiles use linear interpolation (type 7); resamples with an undefined Sharpe
 * (0/0) are dropped.
 */
export function bootstrapSharpeCi(returns: Series, options: BootstrapOptions): ConfidenceInterval {
  const { rng, resamples = 2000, method = 'stationary', level = 0.95, periodsPerYear } = options;
  const n = returns.length;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (!(resamples >= 1)) throw new RangeError(`resamples must be >= 1, got ${resamples}`);
  const blockLength = options.blockLength ?? Math.max(1, Math.round(Math.cbrt(n)));
  if (!(blockLength >= 1)) throw new RangeError(`blockLength must be >= 1, got ${blockLength}`);
  const scale = periodsPerYear === undefined ? 1 : Math.sqrt(periodsPerYear);
  if (n < 2) return { lo: Number.NaN, hi: Number.NaN, level, estimate: Number.NaN };

  // Resampling centred values keeps the per-resample variance Σd²/n − (Σd/n)² free of cancellation.
  const center = mean(returns);
  const centred = Float64Array.from(returns, (r) => r - center);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += centred[i]! * centred[i]!;
  const estimate = ratioOrSignedInfinity(center, Math.sqrt(ss / (n - 1))) * scale;

  const restartProbability = 1 / blockLength;
  const fixedLength = Math.max(1, Math.round(blockLength));
  const stats = new Float64Array(resamples);
  let kept = 0;
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    let sumSq = 0;
    let pos = randomInt(rng, n);
    let left = fixedLength;
    for (let i = 0; i < n; i++) {
      const d = centred[pos]!;
      sum += d;
      sumSq += d * d;
      if (method === 'stationary' ? rng() < restartProbability : --left === 0) {
        pos = randomInt(rng, n);
        left = fixedLength;
      } else {
        pos = pos + 1 === n ? 0 : pos + 1;
      }
    }
    const m = sum / n;
    const v = Math.max(0, (sumSq - sum * m) / (n - 1));
    const s = ratioOrSignedInfinity(center + m, Math.sqrt(v));
    if (!Number.isNaN(s)) stats[kept++] = s * scale;
  }
  const sorted = stats.subarray(0, kept).sort();
  const tail = (1 - level) / 2;
  return { lo: quantileSorted(sorted, tail), hi: quantileSorted(sorted, 1 - tail), level, estimate };
}

export interface MeanBootstrapOptions {
  /** Seeded source of uniforms, e.g. mulberry32(seed). */
  rng: Rng;
  /** Number of resamples (default 2000). */
  resamples?: number;
  /** Two-sided coverage, default 0.95. */
  level?: number;
}

/**
 * Percentile bootstrap confidence interval of the mean of independent observations (e.g. one figure per run of a
 * study), resampled with replacement. With `minus`, the interval is of mean(values) − mean(minus), the two
 * samples resampled independently. Quantiles are type 7. NaN bounds when a sample is empty.
 */
export function bootstrapMeanCi(
  values: Series,
  options: MeanBootstrapOptions & { minus?: Series },
): ConfidenceInterval {
  const { rng, resamples = 2000, level = 0.95, minus } = options;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (!(resamples >= 1)) throw new RangeError(`resamples must be >= 1, got ${resamples}`);
  const n = values.length;
  const m = minus?.length ?? 0;
  if (n === 0 || (minus !== undefined && m === 0))
    return { lo: Number.NaN, hi: Number.NaN, level, estimate: Number.NaN };
  const estimate = mean(values) - (minus === undefined ? 0 : mean(minus));
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[randomInt(rng, n)]!;
    let other = 0;
    if (minus !== undefined) {
      for (let i = 0; i < m; i++) other += minus[randomInt(rng, m)]!;
      other /= m;
    }
    stats[b] = sum / n - other;
  }
  const sorted = stats.sort();
  const tail = (1 - level) / 2;
  return { lo: quantileSorted(sorted, tail), hi: quantileSorted(sorted, 1 - tail), level, estimate };
}
