import type { Candle } from './types.js';

/**
 * The assumed price path inside a bar: open → first extreme → second extreme → close, each leg a third of
 * the bar. A bar that closed up visits its low first (dip, then rally); one that closed down visits its high
 * first. The path never leaves [low, high], so nothing read from it can exceed what the bar really traded.
 */
export const PATH_VERTEX_FRACTIONS = [0, 1 / 3, 2 / 3, 1] as const;

export function pathVertices(bar: Candle): readonly [number, number, number, number] {
  return bar.close >= bar.open ? [bar.open, bar.low, bar.high, bar.close] : [bar.open, bar.high, bar.low, bar.close];
}

/** Price on the path at `fraction` ∈ [0, 1] of the bar (clamped). */
export function pathPrice(bar: Candle, fraction: number): number {
  const f = Math.min(1, Math.max(0, fraction));
  const v = pathVertices(bar);
  const leg = Math.min(2, Math.floor(f * 3));
  const from = v[leg]!;
  const to = v[leg + 1]!;
  const t = f * 3 - leg;
  const p = from + (to - from) * t;
  return Math.min(bar.high, Math.max(bar.low, p));
}

/** Lowest and highest price on the path between two fractions of the bar (inclusive). */
export function pathRange(bar: Candle, from: number, to: number): { readonly low: number; readonly high: number } {
  const a = Math.min(1, Math.max(0, Math.min(from, to)));
  const b = Math.min(1, Math.max(0, Math.max(from, to)));
  let low = Math.min(pathPrice(bar, a), pathPrice(bar, b));
  let high = Math.max(pathPrice(bar, a), pathPrice(bar, b));
  const v = pathVertices(bar);
  PATH_VERTEX_FRACTIONS.forEach((f, i) => {
    if (f > a && f < b) {
      low = Math.min(low, v[i]!);
      high = Math.max(high, v[i]!);
    }
  });
  return { low, high };
}
