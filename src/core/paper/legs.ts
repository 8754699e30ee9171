import { pathPrice } from '../market/bar-path.js';
import type { PaperMarketView } from './market-view.js';

/**
 * The times at which processing stops between `from` (exclusive) and `to` (inclusive): every vertex of the
 * bars' price paths (a third of a bar apart) and every funding mark. Between two stops every symbol's price
 * moves in a straight line, so crossings, the worst equity and liquidation are all found at or between them.
 */
export function legBoundaries(
  market: PaperMarketView,
  symbols: readonly string[],
  from: number,
  to: number,
  fundingIntervalMs: number,
): number[] {
  // Start from the bar holding `from`; if there is none (a gap in the data), from the bar holding `to`.
  const ref =
    symbols.map((s) => market.barAt(s, from)).find((b) => b !== null) ??
    symbols.map((s) => market.barAt(s, to)).find((b) => b !== null);
  const out = new Set<number>([to]);
  if (ref) {
    const third = ref.timeframeMs / 3;
    for (let barTs = ref.bar.ts; barTs <= to; barTs += ref.timeframeMs) {
      for (let k = 0; k < 3; k++) {
        const t = barTs + Math.round(k * third);
        if (t > from && t <= to) out.add(t);
      }
    }
  }
  for (let t = (Math.floor(from / fundingIntervalMs) + 1) * fundingIntervalMs; t <= to; t += fundingIntervalMs) {
    out.add(t);
  }
  return [...out].sort((a, b) => a - b);
}

/** A symbol's straight-line move over one leg [a, b], read from the bar that contains `a`. */
export interface LegMove {
  readonly p0: number;
  readonly p1: number;
  readonly low: number;
  readonly high: number;
}

export function legMove(market: PaperMarketView, symbol: string, a: number, b: number): LegMove | null {
  const at = market.barAt(symbol, a);
  if (!at) return null;
  const f = (t: number) => (t - at.bar.ts) / at.timeframeMs;
  const p0 = pathPrice(at.bar, f(a));
  const p1 = pathPrice(at.bar, Math.min(1, f(b)));
  return { p0, p1, low: Math.min(p0, p1), high: Math.max(p0, p1) };
}

/** Where along the leg (0..1) the price first reaches `level`, or null if it never does. */
export function reachAt(move: LegMove, level: number, from: 'below' | 'above'): number | null {
  // from 'above': the price falls to the level (a buy limit, a long's stop); 'below': it rises to it.
  if (from === 'above' ? move.low > level : move.high < level) return null;
  if (from === 'above' ? move.p0 <= level : move.p0 >= level) return 0;
  return (level - move.p0) / (move.p1 - move.p0);
}
