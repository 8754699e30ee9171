import { annualizedSharpe, equityCurve, maxDrawdown, totalReturn } from '../../stats/index.js';
import { blendReturns, trustWeights } from './allocation.js';
import { deflateAll } from './deflate.js';

export interface AllocationOptions {
  readonly folds: number;
  readonly floor: number;
  readonly cap: number;
  readonly periodsPerYear: number;
}

export interface PoolResult {
  readonly total_return: number;
  readonly sharpe: number;
  readonly max_drawdown: number;
  /** Pool value per unit invested, one point per out-of-sample period (plus the start). */
  readonly curve: readonly number[];
}

export interface AllocationComparison {
  readonly method: string;
  readonly floor: number;
  readonly cap: number;
  /** Out-of-sample segments: weights fitted on everything before `from`, held over [from, to). */
  readonly segments: readonly {
    readonly from: number;
    readonly to: number;
    readonly weights: Record<string, number>;
  }[];
  readonly trust: PoolResult;
  readonly equal: PoolResult;
  /** The allocator's weights fitted on the whole run (what it would hold from here on). */
  readonly current: Record<string, number>;
}

function pool(r: Float64Array, ppy: number): PoolResult {
  const curve = equityCurve(r, 1);
  return {
    total_return: totalReturn(curve),
    sharpe: annualizedSharpe(r, ppy),
    max_drawdown: maxDrawdown(curve).maxDrawdown,
    curve: Array.from(curve),
  };
}

function named(ids: readonly string[], w: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  ids.forEach((id, i) => {
    out[id] = w[i]!;
  });
  return out;
}

/**
 * Trust allocation against equal weighting on the same run, walk-forward: the run is cut into `folds` equal
 * segments; before each segment after the first, weights are fitted (DSR-weighted, floor and cap) on all the
 * data so far and then held through the segment. Only out-of-sample returns enter either pool.
 */
export function compareAllocation(
  ids: readonly string[],
  columns: readonly Float64Array[],
  o: AllocationOptions,
): AllocationComparison {
  const n = ids.length;
  const T = columns[0]?.length ?? 0;
  if (n === 0 || T < o.folds * 2) throw new RangeError(`${T} periods are too few for ${o.folds} folds`);
  const floor = Math.min(o.floor, 1 / n);
  const cap = Math.max(o.cap, 1 / n);
  const bound = (f: number) => Math.floor((T * f) / o.folds);
  const equalW = new Float64Array(n).fill(1 / n);
  const trust: Float64Array[] = [];
  const equal: Float64Array[] = [];
  const segments: AllocationComparison['segments'][number][] = [];
  for (let f = 1; f < o.folds; f++) {
    const from = bound(f);
    const to = bound(f + 1);
    const fitted = deflateAll(columns.map((c) => c.subarray(0, from)));
    const w = trustWeights(
      fitted.each.map((d) => d.dsr),
      floor,
      cap,
    );
    trust.push(blendReturns(columns, w, from, to));
    equal.push(blendReturns(columns, equalW, from, to));
    segments.push({ from, to, weights: named(ids, w) });
  }
  const join = (parts: Float64Array[]) => {
    const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
    let k = 0;
    for (const p of parts) {
      out.set(p, k);
      k += p.length;
    }
    return out;
  };
  const whole = deflateAll(columns);
  return {
    method: `walk-forward, ${o.folds} folds: DSR-weighted with floor ${floor} and cap ${cap}, refitted on all prior data`,
    floor,
    cap,
    segments,
    trust: pool(join(trust), o.periodsPerYear),
    equal: pool(join(equal), o.periodsPerYear),
    current: named(
      ids,
      trustWeights(
        whole.each.map((d) => d.dsr),
        floor,
        cap,
      ),
    ),
  };
}
