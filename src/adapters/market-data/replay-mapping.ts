/**
 * How the clock drives a bar replay. Clock time `anchorTs` is the open of bar `startIndex`; from there one bar
 * passes every `barMs` clock milliseconds, continuously (half-way through `barMs` is half-way through the bar).
 *
 * - Real time (the default): barMs = the timeframe and anchorTs = that bar's own open, so clock time and
 *   market time coincide and a ManualClock set to a bar's open time puts the replay on that bar.
 * - Demo: barMs = 1_000 and anchorTs = the wall time the demo starts: one bar a second.
 *
 * Quotes, books and open interest are stamped with the clock's now (when they were observed), so the
 * firewall's stale-quote check works in both modes; candles, trades and funding keep their market times.
 */
export interface ReplayMapping {
  readonly startIndex: number;
  readonly barMs: number;
  readonly anchorTs: number;
}

export interface ReplayTimeline {
  /** Market time (the data's own epoch ms) at a clock time. */
  marketTime(clockNow: number): number;
  /** The clock time at which the replay reaches a market time. */
  clockTime(marketTs: number): number;
}

/** The timeline for a mapping, given the open time of bar `startIndex` and the series' timeframe. */
export function replayTimeline(mapping: ReplayMapping, startBarTs: number, timeframeMs: number): ReplayTimeline {
  if (!(mapping.barMs > 0)) throw new RangeError(`replay barMs must be > 0, got ${mapping.barMs}`);
  const rate = timeframeMs / mapping.barMs;
  return {
    marketTime: (clockNow) => startBarTs + Math.round((clockNow - mapping.anchorTs) * rate),
    clockTime: (marketTs) => mapping.anchorTs + Math.round((marketTs - startBarTs) / rate),
  };
}
