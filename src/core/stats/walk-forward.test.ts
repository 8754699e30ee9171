import { describe, expect, it } from 'vitest';
import { matrixColumn, matrixFromColumns, matrixFromRows, type ReturnsMatrix } from './matrix.js';
import { sharpe } from './performance.js';
import { averageRanks, pearson, spearman } from './ranks.js';
import { mulberry32, normalSampler } from './rng.js';
import { walkForwardStability } from './walk-forward.js';

function strategies(seed: number, nObs: number, drifts: number[]): ReturnsMatrix {
  const z = normalSampler(mulberry32(seed));
  return matrixFromColumns(drifts.map((mu) => Float64Array.from({ length: nObs }, () => mu + z())));
}

describe('averageRanks and spearman', () => {
  it('rank from 1 = smallest and give ties the average of their positions', () => {
    expect(Array.from(averageRanks([5, 7, 7, 9]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(averageRanks([3, 1, 2]))).toEqual([3, 1, 2]);
    expect(Array.from(averageRanks([2, Number.NaN, 1]))).toEqual([2, Number.NaN, 1]);
  });

  it('agrees with scipy.stats.spearmanr on tied data (0.7631578947368421)', () => {
    expect(spearman([1, 2, 2, 3, 5], [2, 1, 4, 4, 5])).toBeCloseTo(0.7631578947368421, 14);
  });

  it('is ±1 for monotone relations and NaN when one side is constant', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 300, 4000])).toBeCloseTo(1, 15);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 15);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});

describe('matrix helpers', () => {
  it('store returns column-major whether built from columns or rows', () => {
    const byColumns = matrixFromColumns([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const byRows = matrixFromRows([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(Array.from(byColumns.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(byRows).toEqual(byColumns);
    expect(Array.from(matrixColumn(byRows, 1))).toEqual([4, 5, 6]);
    expect(() => matrixFromColumns([[1, 2], [3]])).toThrow(RangeError);
  });
});

describe('walkForwardStability', () => {
  it('computes each fold’s per-period Sharpe on consecutive slices, dropping the oldest remainder', () => {
    const m = strategies(1, 103, [0, 0.1, 0.2]);
    const result = walkForwardStability(m, 4);
    expect(result).toMatchObject({ folds: 4, foldLength: 25, droppedRows: 3 });
    for (let f = 0; f < 4; f++) {
      for (let j = 0; j < 3; j++) {
        const slice = matrixColumn(m, j).subarray(3 + f * 25, 3 + (f + 1) * 25);
        expect(result.foldSharpes[f * 3 + j]).toBeCloseTo(sharpe(slice), 12);
      }
    }
  });

  it('shows persistent rankings and positive folds when strategies have different true edges', () => {
    const drifts = Array.from({ length: 20 }, (_, j) => 0.02 * j); // Sharpe 0 … 0.38
    const result = walkForwardStability(strategies(2, 2000, drifts), 5);
    expect(result.rankCorrelations).toHaveLength(4);
    expect(result.meanRankCorrelation).toBeGreaterThan(0.7);
    expect(result.positiveFraction[19]).toBe(1);
  });

  it('shows no rank persistence when every strategy is noise', () => {
    const result = walkForwardStability(strategies(3, 2000, new Array(30).fill(0)), 10);
    expect(Math.abs(result.meanRankCorrelation)).toBeLessThan(0.2);
    const avgPositive = result.positiveFraction.reduce((a, b) => a + b, 0) / 30;
    expect(avgPositive).toBeGreaterThan(0.35);
    expect(avgPositive).toBeLessThan(0.65);
  });

  it('rejects fewer than two folds or folds shorter than two observations', () => {
    const m = strategies(4, 10, [0, 0]);
    expect(() => walkForwardStability(m, 1)).toThrow(RangeError);
    expect(() => walkForwardStability(m, 6)).toThrow(RangeError);
  });
});
