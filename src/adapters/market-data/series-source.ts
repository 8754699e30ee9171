import { lastIndexAtOrBefore } from '../../core/market/candles.js';
import type { Candle, FundingPoint, Instrument } from '../../core/market/types.js';

/** One tradable symbol's data: bars oldest first (contiguous, one per timeframe) and settled funding. */
export interface SymbolSeries {
  readonly instrument: Instrument;
  readonly candles: readonly Candle[];
  readonly funding: readonly FundingPoint[];
}

/** Bar series a replay serves. A generator may grow its arrays in `ensure`; files never change. */
export interface SeriesSource {
  readonly timeframeMs: number;
  /** Open time of the first bar of every series. */
  readonly startTs: number;
  readonly symbols: readonly string[];
  /** The same object for a symbol every time (a generator grows its arrays in place): readers may keep it. */
  series(symbol: string): SymbolSeries | undefined;
  /** Makes bars exist up to market time `ts` when the source can (a lazy generator); a no-op otherwise. */
  ensure(ts: number): void;
}

/** Where a market time falls in a series: the bar containing it and the fraction of that bar elapsed. */
export interface Cursor {
  readonly index: number;
  readonly bar: Candle;
  readonly fraction: number;
}

export function cursorAt(series: SymbolSeries, timeframeMs: number, ts: number): Cursor | null {
  const index = lastIndexAtOrBefore(series.candles, ts);
  if (index < 0) return null;
  const bar = series.candles[index]!;
  if (ts >= bar.ts + timeframeMs) return null;
  return { index, bar, fraction: (ts - bar.ts) / timeframeMs };
}

/** Number of bars closed at market time `ts` (bars whose end is ≤ ts). */
export function closedCount(series: SymbolSeries, timeframeMs: number, ts: number): number {
  const i = lastIndexAtOrBefore(series.candles, ts - timeframeMs);
  return i + 1;
}

/** A fixed source over arrays already in memory (CSV files). */
export function staticSource(timeframeMs: number, entries: readonly SymbolSeries[]): SeriesSource {
  const bySymbol = new Map(entries.map((s) => [s.instrument.symbol, s] as const));
  const first = entries[0]?.candles[0];
  if (!first) throw new Error('a replay needs at least one series with at least one bar');
  return {
    timeframeMs,
    startTs: Math.min(...entries.map((s) => s.candles[0]?.ts ?? first.ts)),
    symbols: [...bySymbol.keys()],
    series: (symbol) => bySymbol.get(symbol),
    ensure: () => {},
  };
}
