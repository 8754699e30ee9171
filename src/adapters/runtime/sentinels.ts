import { readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from './files.js';
import type { RuntimeLayout } from './layout.js';

// The HALT sentinels live in halt-files.ts (any kind of path halts; bodies carry Vibe-Trading's fields).
export { fileHalts, removeHaltFile, writeHaltFile } from './halt-files.js';

/** Vibe-Trading's `trade_counter.json`: `{"date": "YYYY-MM-DD", "count": N}` for the UTC day. */
export function readTradeCounter(layout: RuntimeLayout, broker: string, day: string): number {
  try {
    const raw = JSON.parse(readFileSync(layout.tradeCounter(broker), 'utf8')) as { date?: unknown; count?: unknown };
    return raw.date === day && typeof raw.count === 'number' && raw.count >= 0 ? Math.floor(raw.count) : 0;
  } catch {
    return 0;
  }
}

export function writeTradeCounter(layout: RuntimeLayout, broker: string, day: string, count: number): void {
  writeFileAtomic(layout.tradeCounter(broker), `${JSON.stringify({ date: day, count })}\n`);
}

/** Reads the trade counter mirror only when the file changed (one stat on the hot path). */
export class TradeCounterFiles {
  private readonly cache = new Map<string, { stamp: string; day: string; count: number }>();
  constructor(private readonly layout: RuntimeLayout) {}

  read(broker: string, day: string): number {
    let stamp: string;
    try {
      // A missing file is the common case: no exception is built for it.
      const st = statSync(this.layout.tradeCounter(broker), { throwIfNoEntry: false });
      if (!st) return 0;
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return 0;
    }
    const hit = this.cache.get(broker);
    if (hit && hit.stamp === stamp && hit.day === day) return hit.count;
    const count = readTradeCounter(this.layout, broker, day);
    this.cache.set(broker, { stamp, day, count });
    return count;
  }
}
