import type { TradingCalendar } from '../../core/market/calendar/session.js';
import type { Candle, FundingPoint, Instrument, OrderBook, Quote, Trade } from '../../core/market/types.js';
import type { ModelledBook, PaperMarketView } from '../../core/paper/market-view.js';
import type { Clock } from '../../ports/clock.js';
import type { MarketData, Timeframe } from '../../ports/market-data.js';
import type { ParsedCandles } from './csv-candles.js';
import { SeriesMarketData } from './series-market-data.js';
import { staticSource } from './series-source.js';
import { type SessionBar, StockReplayMarketData } from './stock-replay.js';

export interface StockSessionMarketOptions {
  /** The real clock (epoch ms): the firewall's session gate and every stamp read it. */
  readonly clock: Clock;
  readonly symbol: string;
  readonly daily: ParsedCandles;
  readonly calendar?: TradingCalendar;
  readonly name?: string;
}

/**
 * The length of one session on the paper venue's time axis: a regular NYSE session, so the modelled spread and
 * book depth per minute are those of the firewall's quote (`StockReplayMarketData`).
 */
export const SESSION_AXIS_MS = 6.5 * 3_600_000;

/**
 * Replayed daily stock bars for the paper venue and the arena. The firewall's reads — quote, window high, candles,
 * the instrument and its calendar — are `StockReplayMarketData`'s, on the real clock: inside a session the bar's
 * path, between sessions the last close stamped when that session closed. The paper engine works on a time axis
 * of sessions laid end to end (`SESSION_AXIS_MS` each, no nights, weekends or holidays), so it fills and works
 * resting orders along each session's path exactly as it does a 24/7 market's bars; `clockTimeOf` maps that axis
 * back to real instants inside each session. Between sessions the axis stands one millisecond before the next
 * session: nothing moves until the market opens again.
 */
export class StockSessionMarket implements MarketData, PaperMarketView {
  readonly name: string;
  readonly replay: StockReplayMarketData;
  private readonly sessions: readonly SessionBar[];
  private readonly axis: SeriesMarketData;
  private readonly origin: number;

  constructor(private readonly opts: StockSessionMarketOptions) {
    this.replay = new StockReplayMarketData({
      clock: opts.clock,
      symbol: opts.symbol,
      daily: opts.daily,
      ...(opts.calendar ? { calendar: opts.calendar } : {}),
    });
    this.sessions = this.replay.sessions;
    const first = this.sessions[0];
    if (!first) throw new RangeError(`${opts.symbol}: a stock replay needs at least one bar`);
    this.origin = first.open;
    this.name = opts.name ?? this.replay.name;
    const instrument = this.replay.spec;
    const candles: Candle[] = this.sessions.map((s, i) => ({ ...s.candle, ts: this.origin + i * SESSION_AXIS_MS }));
    this.axis = new SeriesMarketData({
      name: this.name,
      clock: { now: () => this.toAxis(opts.clock.now()) },
      source: staticSource(SESSION_AXIS_MS, [{ instrument, candles, funding: [] }]),
    });
  }

  /** The open of session `index` (where an arena places the decisions of bar `index`). */
  clockTimeOfBar(index: number): number {
    return this.sessions[index]?.open ?? Number.NaN;
  }

  /** The session axis time of real instant `t`. */
  private toAxis(t: number): number {
    const i = this.replay.lastOpened(t);
    if (i < 0) return this.origin - 1;
    const s = this.sessions[i]!;
    const start = this.origin + i * SESSION_AXIS_MS;
    if (t < s.close) return start + Math.floor(((t - s.open) / (s.close - s.open)) * SESSION_AXIS_MS);
    return start + SESSION_AXIS_MS - 1;
  }

  /** The real instant of session axis time `m` (inside its session; the end of the data maps to the last close). */
  clockTimeOf(m: number): number {
    const i = Math.floor((m - this.origin) / SESSION_AXIS_MS);
    if (i < 0) return this.sessions[0]!.open;
    const s = this.sessions[i];
    if (!s) return this.sessions[this.sessions.length - 1]!.close;
    const f = (m - this.origin - i * SESSION_AXIS_MS) / SESSION_AXIS_MS;
    return s.open + Math.round(f * (s.close - s.open));
  }

  marketTime(): number | null {
    return this.axis.marketTime();
  }
  instrumentOf(symbol: string): Instrument | null {
    return symbol === this.opts.symbol ? this.replay.spec : null;
  }
  barAt(symbol: string, marketTs: number): { readonly bar: Candle; readonly timeframeMs: number } | null {
    return this.axis.barAt(symbol, marketTs);
  }
  bookAt(symbol: string, marketTs: number, mid?: number): ModelledBook | null {
    return this.axis.bookAt(symbol, marketTs, mid);
  }
  fundingRateAt(_symbol: string, _marketTs: number): number | null {
    return null;
  }

  instruments(): Promise<readonly Instrument[]> {
    return this.replay.instruments();
  }
  instrument(symbol: string): Promise<Instrument | null> {
    return this.replay.instrument(symbol);
  }
  quote(symbol: string): Promise<Quote | null> {
    return this.replay.quote(symbol);
  }
  candles(symbol: string, timeframe: Timeframe, limit: number): Promise<readonly Candle[]> {
    return this.replay.candles(symbol, timeframe, limit);
  }
  windowHigh(symbol: string, windowMs: number): Promise<number | null> {
    return this.replay.windowHigh(symbol, windowMs);
  }
  /** The modelled book now (inside a session; between sessions, at the last close), stamped with the real time. */
  async orderBook(symbol: string, depth: number): Promise<OrderBook | null> {
    const book = await this.axis.orderBook(symbol, depth);
    return book ? { ...book, ts: this.opts.clock.now() } : null;
  }
  async recentTrades(symbol: string, limit: number): Promise<readonly Trade[]> {
    const trades = await this.axis.recentTrades(symbol, limit);
    return trades.map((t) => ({ ...t, ts: this.clockTimeOf(t.ts) }));
  }
  async fundingHistory(_symbol: string, _limit: number): Promise<readonly FundingPoint[]> {
    return [];
  }
  async openInterest(_symbol: string): Promise<{ readonly ts: number; readonly value: number } | null> {
    return null;
  }
}
