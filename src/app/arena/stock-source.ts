import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { loadCandlesCsv } from '../../adapters/market-data/csv-candles.js';
import { StockSessionMarket } from '../../adapters/market-data/stock-session-market.js';
import { ArenaError, type BarSeries, type MarketFrame } from '../../core/arena/index.js';
import {
  calendarTimeZone,
  earlyCloses,
  type SessionGap,
  sessionGaps,
  type TradingCalendar,
} from '../../core/market/calendar/index.js';
import type { ArenaMarketSource, SourceOptions } from './sources.js';

const DAY_MS = 86_400_000;
/** Trading sessions a year on the NYSE (the usual annualisation of daily equity returns). */
const SESSIONS_PER_YEAR = 252;
const NYSE: TradingCalendar = { kind: 'us_equity' };

/** What a run on a market that trades in sessions records in run.json and shows in its report. */
export interface SessionsReport {
  readonly calendar: string;
  readonly exchange: string;
  readonly time_zone: string;
  /** When the decisions of a bar are placed, and what the agents have seen by then. */
  readonly decision: string;
  /** Sessions traded, the first and last (YYYY-MM-DD), and the last one's close. */
  readonly sessions: number;
  readonly first_session: string;
  readonly last_session: string;
  readonly last_close: string;
  /** Traded sessions that closed early (13:00 New York). */
  readonly early_closes: readonly string[];
  /** Every gap between two traded sessions: the closed days and why (weekend, holiday, no_data). */
  readonly gaps: readonly SessionGap[];
}

const DECISION =
  "each traded bar's decisions are placed at the regular open of its session (09:30 New York), on the sessions " +
  'closed before it; its fills follow that session from the open';

/**
 * `stock:PATH[@YYYY-MM-DD]`: daily bars of one US stock (`Date,Open,High,Low,Close,Volume`, one row per NYSE
 * trading day), traded spot only as `<FILE NAME>/USD` on the NYSE calendar. With a date, the first traded session is
 * the first on or after it and the warm-up the sessions before it; without, the warm-up is the file's first bars.
 * Bars exist on trading days only: a weekend or a holiday is a gap between two bars, never a bar.
 */
export async function stockSource(spec: string, o: SourceOptions): Promise<ArenaMarketSource> {
  const m = /^stock:(.+?)(?:@(\d{4}-\d{2}-\d{2}))?$/.exec(spec);
  if (!m)
    throw new ArenaError(
      'ARENA_CONFIG_INVALID',
      `stock source must be stock:PATH[@YYYY-MM-DD]; got ${JSON.stringify(spec)}`,
    );
  const path = resolve(m[1]!);
  const from = m[2];
  const parsed = await loadCandlesCsv(path);
  if (parsed.timeframeMs !== DAY_MS)
    throw new ArenaError(
      'ARENA_CONFIG_INVALID',
      `${path}: a stock source takes daily bars; got bars ${parsed.timeframeMs} ms apart`,
    );
  const dates = parsed.candles.map((c) => new Date(c.ts).toISOString().slice(0, 10));
  const first = from === undefined ? o.warmup : dates.findIndex((d) => d >= from);
  if (first < 0 || first >= dates.length - 1)
    throw new ArenaError(
      'ARENA_CONFIG_INVALID',
      `${path}: no two sessions on or after ${from} (the file ends ${dates.at(-1)})`,
    );
  if (first < o.warmup)
    throw new ArenaError(
      'ARENA_CONFIG_INVALID',
      `${path}: ${first} sessions before ${dates[first]}, fewer than the ${o.warmup} warm-up bars asked for (--warmup)`,
    );
  const lo = first - o.warmup;
  const hi = o.bars === undefined ? dates.length : Math.min(dates.length, first + o.bars);
  if (hi - first < 2) throw new ArenaError('ARENA_CONFIG_INVALID', `${path}: fewer than 2 sessions to trade`);
  const daily = { candles: parsed.candles.slice(lo, hi), timeframeMs: DAY_MS };
  const symbol = `${basename(path, extname(path))
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')}/USD`;
  let market: StockSessionMarket;
  try {
    market = new StockSessionMarket({ clock: o.clock, symbol, daily, calendar: NYSE, name: `stock:${basename(path)}` });
  } catch (e) {
    throw new ArenaError('ARENA_CONFIG_INVALID', (e as Error).message);
  }
  const bars = market.replay.sessions;
  const col = (f: (i: number) => number) => Float64Array.from({ length: bars.length }, (_, i) => f(i));
  const spot: BarSeries = {
    symbol,
    kind: 'spot',
    ts: col((i) => bars[i]!.open),
    open: col((i) => bars[i]!.candle.open),
    high: col((i) => bars[i]!.candle.high),
    low: col((i) => bars[i]!.candle.low),
    close: col((i) => bars[i]!.candle.close),
    volume: col((i) => bars[i]!.candle.volume),
    funding: new Float64Array(bars.length).fill(Number.NaN),
  };
  const frame: MarketFrame = {
    timeframeMs: DAY_MS,
    length: bars.length,
    spot,
    perp: null,
    periodsPerYear: SESSIONS_PER_YEAR,
  };
  const traded = dates.slice(first, hi);
  const sessions: SessionsReport = {
    calendar: NYSE.kind,
    exchange: 'NYSE',
    time_zone: calendarTimeZone(NYSE),
    decision: DECISION,
    sessions: traded.length,
    first_session: traded[0]!,
    last_session: traded.at(-1)!,
    last_close: new Date(bars.at(-1)!.close).toISOString(),
    early_closes: earlyCloses(NYSE, traded),
    gaps: sessionGaps(NYSE, traded),
  };
  return {
    market,
    frame,
    startBar: o.warmup,
    endBar: bars.length,
    candles: new Map(),
    sessions,
    data: {
      source: `stock:${basename(path)}${from ? `@${from}` : ''}`,
      symbols: [symbol],
      sha256: `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`,
    },
  };
}
