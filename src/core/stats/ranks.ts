import type { Series } from './descriptive.js';

/**
 * Fractional ranks: 1 for the smallest value up to n for the largest, and tied values share the
 * average of the positions they occupy (so [5, 7, 7, 9] → [1, 2.5, 2.5, 4]). NaN values get NaN.
 */
export function averageRanks(x: Series): Float64Array {
  const n = x.length;
  const ranks = new Float64Array(n).fill(Number.NaN);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(x[i]!)) order.push(i);
  order.sort((a, b) => x[a]! - x[b]! || a - b);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && x[order[end + 1]!]! === x[order[start]!]!) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Pearson correlation; NaN when either side is constant or the lengths differ or are < 2. */
export function pearson(x: Series, y: Series): number {
  const n = x.length;
  if (n !== y.length || n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman rank correlation: Pearson correlation of average ranks (exact with ties, unlike 1 − 6Σd²/…). */
export function spearman(x: Series, y: Series): number {
  return pearson(averageRanks(x), averageRanks(y));
}

const sign = (d: number) => (d > 0 ? 1 : d < 0 ? -1 : 0);

/**
 * Kendall's τ-b between two rankings (or any paired values): concordant minus discordant pairs over
 * √((n0 − n1)(n0 − n2)), so ties on either side are accounted for (τ-a when there are none). NaN when the
 * lengths differ, n < 2, or one side is all ties. O(n²): meant for a leaderboard's few agents.
 */
export function kendallTau(x: Series, y: Series): number {
  const n = x.length;
  if (n !== y.length || n < 2) return Number.NaN;
  let s = 0;
  let untiedX = 0;
  let untiedY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = sign(x[i]! - x[j]!);
      const b = sign(y[i]! - y[j]!);
      s += a * b;
      untiedX += a * a;
      untiedY += b * b;
    }
  }
  if (untiedX === 0 || untiedY === 0) return Number.NaN;
  return s / Math.sqrt(untiedX * untiedY);
}
