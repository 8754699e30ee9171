import type { Candle } from './types.js';

/** Index of the last candle whose open time is ≤ ts (candles sorted by ts), or -1. */
export function lastIndexAtOrBefore(candles: readonly { readonly ts: number }[], ts: number): number {
  let lo = 0;
  let hi = candles.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (candles[mid]!.ts <= ts) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * Aggregates closed base candles into buckets of `bucketMs` (aligned to the epoch, so 1d buckets start at
 * 00:00 UTC). Only buckets whose end is ≤ `closedBefore` are returned: a bucket still forming is never shown.
 */
export function aggregateCandles(candles: readonly Candle[], bucketMs: number, closedBefore: number): Candle[] {
  const out: Candle[] = [];
  let cur: { ts: number; open: number; high: number; low: number; close: number; volume: number } | null = null;
  for (const c of candles) {
    const start = Math.floor(c.ts / bucketMs) * bucketMs;
    if (cur && cur.ts === start) {
      cur.high = Math.max(cur.high, c.high);
      cur.low = Math.min(cur.low, c.low);
      cur.close = c.close;
      cur.volume += c.volume;
      continue;
    }
    if (cur) out.push(cur);
    cur = { ts: start, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
  }
  if (cur) out.push(cur);
  return out.filter((b) => b.ts + bucketMs <= closedBefore);
}
