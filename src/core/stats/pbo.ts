import { assertMatrix, type MomentMetric, type ReturnsMatrix, sharpeMetric } from './matrix.js';

export interface PboOptions {
  /** Number S of equal blocks the time axis is cut into; even, default 16 (C(16, 8) = 12,870 splits). */
  partitions?: number;
  /** Performance measure from (mean, sample variance, count); default per-period Sharpe. */
  metric?: MomentMetric;
}

/** How the in-sample winner fared out of sample, across all splits. */
export interface PboDegradation {
  /** OLS slope of OOS performance on IS performance of the selected strategy (negative = overfit). */
  slope: number;
  intercept: number;
  /** Fraction of splits where the selected strategy's OOS performance is below 0. */
  probabilityOfLoss: number;
  meanInSample: number;
  meanOutOfSample: number;
}

export interface PboResult {
  /** Fraction of splits whose logit is ≤ 0, i.e. where the IS winner ranks at or below the OOS median. */
  pbo: number;
  /** λ = ln(ω / (1 − ω)) per split, in lexicographic order of the in-sample block sets. */
  logits: Float64Array;
  nCombinations: number;
  /** IS performance of the IS winner, per split. */
  inSampleBest: Float64Array;
  /** OOS performance of that same strategy, per split. */
  outOfSampleOfBest: Float64Array;
  degradation: PboDegradation;
  /** Rows per block, and rows dropped from the start so that S divides the rest. */
  blockLength: number;
  droppedRows: number;
}

/** C(n, k), exact for the sizes used here. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) c = (c * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(c);
}

/**
 * Probability of Backtest Overfitting by Combinatorially Symmetric Cross-Validation
 * (Bailey, Borwein, López de Prado & Zhu 2015). The first T mod S rows are dropped (oldest data),
 * the rest cut into S contiguous blocks; every half of the blocks is in turn the in-sample set.
 * The IS winner n* is the first strategy with the highest IS measure; its OOS rank uses average
 * ranks (1 = worst), ω = rank / (N + 1).
 */
export function pbo(matrix: ReturnsMatrix, options: PboOptions = {}): PboResult {
  assertMatrix(matrix);
  const { data, nObs: T, nStrategies: N } = matrix;
  const S = options.partitions ?? 16;
  const metric = options.metric ?? sharpeMetric;
  if (!Number.isInteger(S) || S < 2 || S % 2 !== 0) {
    throw new RangeError(`partitions must be an even integer >= 2, got ${S}`);
  }
  if (N < 2) throw new RangeError(`PBO needs at least 2 strategies, got ${N}`);
  const blockLength = Math.floor(T / S);
  const half = S / 2;
  const count = half * blockLength;
  if (count < 2) throw new RangeError(`${T} observations are too few for ${S} partitions`);
  const droppedRows = T - S * blockLength;

  // Block aggregates of returns centred on each strategy's full-sample mean: the centring keeps
  // Σd² − (Σd)²/n well conditioned when a strategy's mean is large relative to its volatility.
  const centres = new Float64Array(N);
  const blockSum = new Float64Array(S * N);
  const blockSq = new Float64Array(S * N);
  const totalSum = new Float64Array(N);
  const totalSq = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    const start = j * T + droppedRows;
    let c = 0;
    for (let t = 0; t < S * blockLength; t++) c += data[start + t]!;
    c /= S * blockLength;
    centres[j] = c;
    for (let s = 0; s < S; s++) {
      let sum = 0;
      let sq = 0;
      const from = start + s * blockLength;
      for (let t = 0; t < blockLength; t++) {
        const d = data[from + t]! - c;
        sum += d;
        sq += d * d;
      }
      blockSum[s * N + j] = sum;
      blockSq[s * N + j] = sq;
      totalSum[j]! += sum;
      totalSq[j]! += sq;
    }
  }

  const nCombinations = binomial(S, half);
  const logits = new Float64Array(nCombinations);
  const inSampleBest = new Float64Array(nCombinations);
  const outOfSampleOfBest = new Float64Array(nCombinations);
  const isSum = new Float64Array(N);
  const isSq = new Float64Array(N);
  const oos = new Float64Array(N);
  const chosen = new Int32Array(half);
  for (let k = 0; k < half; k++) chosen[k] = k;
  const perf = (sum: number, sq: number, j: number): number => {
    const m = sum / count;
    const v = (sq - sum * m) / (count - 1);
    return metric(centres[j]! + m, Math.max(v, 0), count);
  };

  let overfit = 0;
  for (let c = 0; c < nCombinations; c++) {
    isSum.fill(0);
    isSq.fill(0);
    for (let k = 0; k < half; k++) {
      const base = chosen[k]! * N;
      for (let j = 0; j < N; j++) {
        isSum[j]! += blockSum[base + j]!;
        isSq[j]! += blockSq[base + j]!;
      }
    }
    let best = -1;
    let bestPerf = Number.NaN;
    for (let j = 0; j < N; j++) {
      const p = perf(isSum[j]!, isSq[j]!, j);
      if (best === -1 ? !Number.isNaN(p) : p > bestPerf) {
        best = j;
        bestPerf = p;
      }
      // The complement's aggregates are the totals minus the in-sample ones: no second pass.
      oos[j] = perf(totalSum[j]! - isSum[j]!, totalSq[j]! - isSq[j]!, j);
    }
    if (best === -1) best = 0;
    const v = oos[best]!;
    let below = 0;
    let ties = 0;
    for (let j = 0; j < N; j++) {
      const o = oos[j]!;
      if (o < v) below++;
      else if (o === v) ties++;
    }
    // ties includes n* itself, so the average rank of the tied group is below + (ties + 1) / 2.
    const omega = (below + (ties + 1) / 2) / (N + 1);
    const logit = Math.log(omega / (1 - omega));
    logits[c] = logit;
    inSampleBest[c] = bestPerf;
    outOfSampleOfBest[c] = v;
    if (logit <= 0) overfit++;

    let i = half - 1;
    while (i >= 0 && chosen[i] === S - half + i) i--;
    if (i < 0) break;
    chosen[i]!++;
    for (let k = i + 1; k < half; k++) chosen[k] = chosen[k - 1]! + 1;
  }

  return {
    pbo: overfit / nCombinations,
    logits,
    nCombinations,
    inSampleBest,
    outOfSampleOfBest,
    degradation: degradation(inSampleBest, outOfSampleOfBest),
    blockLength,
    droppedRows,
  };
}

function degradation(x: Float64Array, y: Float64Array): PboDegradation {
  const n = x.length;
  let mx = 0;
  let my = 0;
  let losses = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
    if (y[i]! < 0) losses++;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : Number.NaN;
  return {
    slope,
    intercept: my - slope * mx,
    probabilityOfLoss: losses / n,
    meanInSample: mx,
    meanOutOfSample: my,
  };
}
