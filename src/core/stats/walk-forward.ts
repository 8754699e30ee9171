import { assertMatrix, type MomentMetric, type ReturnsMatrix, sharpeMetric } from './matrix.js';
import { spearman } from './ranks.js';

export interface WalkForwardResult {
  folds: number;
  foldLength: number;
  /** Rows dropped from the start so that `folds` divides the rest. */
  droppedRows: number;
  /** Per-period Sharpe of each strategy in each fold, fold-major: [fold * nStrategies + strategy]. */
  foldSharpes: Float64Array;
  /** Per strategy, the fraction of folds with Sharpe > 0. */
  positiveFraction: Float64Array;
  /** Spearman correlation of the strategies' Sharpes between fold f and fold f + 1 (length folds − 1). */
  rankCorrelations: Float64Array;
  /** Mean of rankCorrelations; NaN if any is undefined (a fold where every strategy ties). */
  meanRankCorrelation: number;
}

/**
 * Walk-forward stability: does a strategy's quality persist through time? Splits the sample into
 * `folds` consecutive equal folds (oldest T mod folds rows dropped) and measures, per fold, each
 * strategy's Sharpe; a ranking that persists shows as positive rank correlation between neighbours.
 */
export function walkForwardStability(
  matrix: ReturnsMatrix,
  folds: number,
  metric: MomentMetric = sharpeMetric,
): WalkForwardResult {
  assertMatrix(matrix);
  const { data, nObs: T, nStrategies: N } = matrix;
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be an integer >= 2, got ${folds}`);
  const foldLength = Math.floor(T / folds);
  if (foldLength < 2) throw new RangeError(`${T} observations are too few for ${folds} folds`);
  const droppedRows = T - folds * foldLength;

  const foldSharpes = new Float64Array(folds * N);
  const positiveFraction = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    for (let f = 0; f < folds; f++) {
      const from = j * T + droppedRows + f * foldLength;
      let m = 0;
      for (let t = 0; t < foldLength; t++) m += data[from + t]!;
      m /= foldLength;
      let ss = 0;
      for (let t = 0; t < foldLength; t++) ss += (data[from + t]! - m) ** 2;
      const s = metric(m, ss / (foldLength - 1), foldLength);
      foldSharpes[f * N + j] = s;
      if (s > 0) positiveFraction[j]!++;
    }
    positiveFraction[j]! /= folds;
  }

  const rankCorrelations = new Float64Array(folds - 1);
  let total = 0;
  for (let f = 0; f + 1 < folds; f++) {
    const rho = spearman(foldSharpes.subarray(f * N, (f + 1) * N), foldSharpes.subarray((f + 1) * N, (f + 2) * N));
    rankCorrelations[f] = rho;
    total += rho;
  }
  return {
    folds,
    foldLength,
    droppedRows,
    foldSharpes,
    positiveFraction,
    rankCorrelations,
    meanRankCorrelation: total / (folds - 1),
  };
}
