import type { Series } from './descriptive.js';
import { ratioOrSignedInfinity } from './performance.js';

/**
 * T × N per-period returns (T observations in time order, N strategies/trials), stored
 * COLUMN-MAJOR: the return of strategy j at time t is data[j * nObs + t], so each strategy's
 * series is one contiguous run.
 */
export interface ReturnsMatrix {
  data: Float64Array;
  nObs: number;
  nStrategies: number;
}

/** Builds a matrix from one series per strategy (all the same length). */
export function matrixFromColumns(columns: readonly Series[]): ReturnsMatrix {
  const nStrategies = columns.length;
  const nObs = nStrategies === 0 ? 0 : columns[0]!.length;
  const data = new Float64Array(nObs * nStrategies);
  columns.forEach((col, j) => {
    if (col.length !== nObs) throw new RangeError(`column ${j} has ${col.length} rows, expected ${nObs}`);
    for (let t = 0; t < nObs; t++) data[j * nObs + t] = col[t]!;
  });
  return { data, nObs, nStrategies };
}

/** Builds a matrix from one row per period, each holding every strategy's return for that period. */
export function matrixFromRows(rows: readonly Series[]): ReturnsMatrix {
  const nObs = rows.length;
  const nStrategies = nObs === 0 ? 0 : rows[0]!.length;
  const data = new Float64Array(nObs * nStrategies);
  rows.forEach((row, t) => {
    if (row.length !== nStrategies) throw new RangeError(`row ${t} has ${row.length} columns, expected ${nStrategies}`);
    for (let j = 0; j < nStrategies; j++) data[j * nObs + t] = row[j]!;
  });
  return { data, nObs, nStrategies };
}

/** A view (no copy) of strategy j's return series. */
export function matrixColumn(matrix: ReturnsMatrix, j: number): Float64Array {
  return matrix.data.subarray(j * matrix.nObs, (j + 1) * matrix.nObs);
}

export function assertMatrix(matrix: ReturnsMatrix): void {
  const { data, nObs, nStrategies } = matrix;
  if (!Number.isInteger(nObs) || !Number.isInteger(nStrategies) || nObs < 0 || nStrategies < 0) {
    throw new RangeError(`matrix dimensions must be non-negative integers, got ${nObs} x ${nStrategies}`);
  }
  if (data.length !== nObs * nStrategies) {
    throw new RangeError(`matrix data has ${data.length} values, expected ${nObs} x ${nStrategies}`);
  }
}

/**
 * A performance measure that depends on a sample only through its mean, sample variance (ddof = 1)
 * and size. Restricting PBO to such measures is what lets it work from per-block aggregates.
 */
export type MomentMetric = (mean: number, variance: number, count: number) => number;

/** Per-period Sharpe mean / √variance (flat samples give ±Infinity or 0, as `sharpe` does). */
export const sharpeMetric: MomentMetric = (mean, variance) => ratioOrSignedInfinity(mean, Math.sqrt(variance));

/** Mean return, for PBO on raw performance rather than risk-adjusted. */
export const meanMetric: MomentMetric = (mean) => mean;
