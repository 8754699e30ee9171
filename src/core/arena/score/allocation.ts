/**
 * Trust weights: a capital pool spread across agents in proportion to a verified score (the Deflated Sharpe),
 * every agent held between `floor` and `cap`. Water-filling: everyone starts at the floor, the rest of the pool
 * goes out in proportion to score, anyone pushed past the cap is held there and the excess goes round again.
 * A zero, negative or undefined score earns the floor only; when nobody scores, the pool is split equally.
 */
export function trustWeights(scores: ArrayLike<number>, floor: number, cap: number): Float64Array {
  const n = scores.length;
  if (!(floor >= 0 && cap > 0 && floor <= cap && cap <= 1)) {
    throw new RangeError(`need 0 ≤ floor ≤ cap ≤ 1, got floor ${floor}, cap ${cap}`);
  }
  if (n === 0) return new Float64Array(0);
  if (n * floor > 1 + 1e-12 || n * cap < 1 - 1e-12) {
    throw new RangeError(`${n} agents cannot sum to 1 between floor ${floor} and cap ${cap}`);
  }
  const s = Float64Array.from({ length: n }, (_, i) => {
    const x = scores[i]!;
    return x > 0 && Number.isFinite(x) ? x : 0;
  });
  const w = new Float64Array(n).fill(floor);
  const free = new Uint8Array(n).fill(1);
  let mass = 1 - n * floor;
  for (let round = 0; round <= n && mass > 0; round++) {
    let total = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (!free[i]) continue;
      total += s[i]!;
      count += 1;
    }
    if (count === 0) break;
    const share = (i: number) => (total > 0 ? s[i]! / total : 1 / count);
    let over = false;
    for (let i = 0; i < n; i++) if (free[i] && w[i]! + mass * share(i) > cap) over = true;
    if (!over) {
      for (let i = 0; i < n; i++) if (free[i]) w[i]! += mass * share(i);
      mass = 0;
      break;
    }
    let given = 0;
    for (let i = 0; i < n; i++) {
      if (!free[i] || w[i]! + mass * share(i) <= cap) continue;
      given += cap - w[i]!;
      w[i] = cap;
      free[i] = 0;
    }
    mass -= given;
  }
  return w;
}

/** Per-period returns of a pool holding constant weights (rebalanced every period) over the given columns. */
export function blendReturns(
  columns: readonly ArrayLike<number>[],
  weights: ArrayLike<number>,
  from: number,
  to: number,
) {
  const out = new Float64Array(to - from);
  for (let t = from; t < to; t++) {
    let r = 0;
    for (let j = 0; j < columns.length; j++) r += weights[j]! * columns[j]![t]!;
    out[t - from] = r;
  }
  return out;
}
