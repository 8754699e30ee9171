import type { Portfolio } from './portfolio.js';
import type { AccountView, InstrumentView, Observation, QuoteView, SeriesView, Slot } from './types.js';

/** One instrument's bars as typed arrays (oldest first), built once per run. */
export interface BarSeries {
  readonly symbol: string;
  readonly kind: Slot;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Funding rate settled at the bar's open, NaN where none (always NaN for spot). */
  readonly funding: Float64Array;
}

/**
 * The arena's market: a spot and a perpetual series of the same length and bar times, or a spot series alone (a
 * stock). Bars follow each other in index; their times need not be evenly spaced (a stock's sessions skip
 * weekends and holidays), `timeframeMs` is the length each bar stands for.
 */
export interface MarketFrame {
  readonly timeframeMs: number;
  readonly length: number;
  readonly spot: BarSeries;
  readonly perp: BarSeries | null;
  /**
   * Return observations per year, for annualising: by default a year of `timeframeMs` bars (a 24/7 market); 252 for
   * a stock's daily sessions.
   */
  readonly periodsPerYear?: number;
}

/**
 * Where the replay is. Owned by the engine and never handed to an agent: views read it through closures, so
 * an agent can neither see past `bar` nor move it.
 */
export class ReplayCursor {
  bar = 0;
  startBar = 0;
  endBar = 0;
  readonly quotes: Record<Slot, { bid: number; ask: number }> = {
    spot: { bid: Number.NaN, ask: Number.NaN },
    perp: { bid: Number.NaN, ask: Number.NaN },
  };
  /** Marks the books are valued at: each instrument's open of the current bar. */
  readonly marks: Record<Slot, number> = { spot: Number.NaN, perp: Number.NaN };
}

function seriesView(data: Float64Array, cursor: ReplayCursor): SeriesView {
  const valueAt = (i: number): number => {
    if (!(i >= 0 && i < cursor.bar && i < data.length)) return Number.NaN;
    return data[i] ?? Number.NaN; // a fractional index reads undefined: NaN, not a neighbour
  };
  return Object.freeze({
    get length() {
      return Math.min(cursor.bar, data.length);
    },
    at: valueAt,
    last: (back = 0) => (back >= 0 ? valueAt(cursor.bar - 1 - back) : Number.NaN),
  });
}

function quoteView(cursor: ReplayCursor, slot: Slot): QuoteView {
  const q = cursor.quotes[slot];
  return Object.freeze({
    get bid() {
      return q.bid;
    },
    get ask() {
      return q.ask;
    },
    get mid() {
      return (q.bid + q.ask) / 2;
    },
  });
}

function instrumentView(s: BarSeries, cursor: ReplayCursor): InstrumentView {
  return Object.freeze({
    symbol: s.symbol,
    kind: s.kind,
    time: seriesView(s.ts, cursor),
    open: seriesView(s.open, cursor),
    high: seriesView(s.high, cursor),
    low: seriesView(s.low, cursor),
    close: seriesView(s.close, cursor),
    volume: seriesView(s.volume, cursor),
    funding: seriesView(s.funding, cursor),
    quote: quoteView(cursor, s.kind),
  });
}

/** The market part of every observation: shared by all agents, read-only. */
export interface MarketViews {
  readonly spot: InstrumentView;
  readonly perp: InstrumentView | null;
}

export function marketViews(frame: MarketFrame, cursor: ReplayCursor): MarketViews {
  return Object.freeze({
    spot: instrumentView(frame.spot, cursor),
    perp: frame.perp ? instrumentView(frame.perp, cursor) : null,
  });
}

/** One agent's observation, built once and read live each bar: no allocation per bar. */
export function observationFor(
  frame: MarketFrame,
  cursor: ReplayCursor,
  market: MarketViews,
  account: AccountView,
): Observation {
  return Object.freeze({
    get bar() {
      return cursor.bar;
    },
    get startBar() {
      return cursor.startBar;
    },
    get endBar() {
      return cursor.endBar;
    },
    get ts() {
      return frame.spot.ts[cursor.bar] ?? Number.NaN;
    },
    timeframeMs: frame.timeframeMs,
    spot: market.spot,
    perp: market.perp,
    account,
  });
}

/** One agent's account view over the arena's books, marked at the cursor's marks. */
export function accountView(
  portfolio: Portfolio,
  a: number,
  agentId: string,
  accountId: string,
  cursor: ReplayCursor,
): AccountView {
  const k = a * 2;
  return Object.freeze({
    agentId,
    accountId,
    startingCapital: portfolio.capital,
    get equity() {
      return portfolio.equity(a, cursor.marks.spot, cursor.marks.perp);
    },
    get wallet() {
      return portfolio.wallet[a]!;
    },
    get margin() {
      return portfolio.margin(a);
    },
    get fees() {
      return portfolio.fees[a]!;
    },
    get funding() {
      return portfolio.funding[a]!;
    },
    position: (slot: Slot) => portfolio.qty[slot === 'spot' ? k : k + 1]!,
    entryPrice: (slot: Slot) => portfolio.entry[slot === 'spot' ? k : k + 1]!,
  });
}
