import { pathPrice, pathRange } from '../../core/market/bar-path.js';
import { regularSession, type TradingCalendar } from '../../core/market/calendar/session.js';
import { roundToStep } from '../../core/market/precision.js';
import { barVolatility, quoteAround } from '../../core/market/quote-model.js';
import type { Candle, FundingPoint, Instrument, OrderBook, Quote, Trade } from '../../core/market/types.js';
import type { Clock } from '../../ports/clock.js';
import type { MarketData, Timeframe } from '../../ports/market-data.js';
import type { ParsedCandles } from './csv-candles.js';

/** One trading day's bar, stretched over that day's regular session. */
export interface SessionBar {
  readonly candle: Candle;
  readonly open: number;
  readonly close: number;
}

export interface StockReplayOptions {
  readonly clock: Clock;
  /** Unified symbol, e.g. `TTRC/USD`. */
  readonly symbol: string;
  /** Daily bars, one per trading day, stamped at the day's date (as `parseCandlesCsv` reads a `Date` column). */
  readonly daily: ParsedCandles;
  readonly calendar?: TradingCalendar;
}

const DAY_MS = 86_400_000;
const VOL_LOOKBACK = 20;

/**
 * A replay of daily stock bars that knows the exchange's sessions: each bar trades from the regular open to the
 * close of its day (13:00 on an early close), the price following the bar's path; between sessions the quote is the
 * last close, stamped when that session closed, so a closed market's quote is as old as it really is. The
 * instrument carries the calendar, so the firewall's session step judges it. Candles are served on `1d` only,
 * stamped at the session open. It models no order book, trades or funding (they answer empty): it feeds the
 * firewall's reference price and window high; `StockSessionMarket` adds the paper venue's view for the arena.
 */
export class StockReplayMarketData implements MarketData {
  readonly name: string;
  private readonly bars: readonly SessionBar[];
  private readonly inst: Instrument;

  constructor(private readonly opts: StockReplayOptions) {
    const calendar = opts.calendar ?? { kind: 'us_equity' };
    if (opts.daily.timeframeMs !== DAY_MS) {
      throw new RangeError(`a stock replay takes daily bars; got bars of ${opts.daily.timeframeMs} ms`);
    }
    this.bars = opts.daily.candles.map((c) => {
      const date = new Date(c.ts).toISOString().slice(0, 10);
      const s = regularSession(calendar, date);
      if (!s) throw new RangeError(`${opts.symbol}: a bar on ${date}, a day the ${calendar.kind} calendar is closed`);
      return { candle: { ...c, ts: s.open }, open: s.open, close: s.close };
    });
    const [base = opts.symbol, quote = 'USD'] = opts.symbol.split('/');
    this.name = `stock-replay:${opts.symbol}`;
    this.inst = {
      symbol: opts.symbol,
      base,
      quote,
      kind: 'spot',
      instrumentType: 'equity',
      assetClass: 'us_equity',
      tickSize: 0.01,
      stepSize: 1,
      minQty: 1,
      minNotional: 1,
      maxLeverage: 1,
      calendar,
    };
  }

  /** The one instrument served (fixed: no clock read). */
  get spec(): Instrument {
    return this.inst;
  }

  /** Every bar with its session's open and close (the candle stamped at the open), oldest first. */
  get sessions(): readonly SessionBar[] {
    return this.bars;
  }

  async instruments(): Promise<readonly Instrument[]> {
    return [this.inst];
  }
  async instrument(symbol: string): Promise<Instrument | null> {
    return symbol === this.inst.symbol ? this.inst : null;
  }

  /** Index of the last bar whose session opened at or before `t` (-1 before the first). */
  lastOpened(t: number): number {
    let lo = 0;
    let hi = this.bars.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.bars[mid]!.open <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The price now: inside a session on the bar's path, between sessions the last close. */
  private now(): { index: number; mid: number; open: boolean; ts: number; fraction: number } | null {
    const t = this.opts.clock.now();
    const i = this.lastOpened(t);
    if (i < 0) return null;
    const b = this.bars[i]!;
    if (t < b.close) {
      const fraction = (t - b.open) / (b.close - b.open);
      return { index: i, mid: pathPrice(b.candle, fraction), open: true, ts: t, fraction };
    }
    return { index: i, mid: b.candle.close, open: false, ts: b.close, fraction: 1 };
  }

  async quote(symbol: string): Promise<Quote | null> {
    const at = symbol === this.inst.symbol ? this.now() : null;
    if (!at) return null;
    const closes = this.bars.slice(Math.max(0, at.index - VOL_LOOKBACK - 1), at.index).map((b) => b.candle.close);
    // Per-minute volatility, as the other replays model their spreads.
    const vol = barVolatility(closes) / Math.sqrt((6.5 * 3_600_000) / 60_000);
    const { bid, ask } = quoteAround(at.mid, vol, this.inst.tickSize);
    return { symbol, bid, ask, last: roundToStep(at.mid, this.inst.tickSize), ts: at.ts };
  }

  async candles(symbol: string, timeframe: Timeframe, limit: number): Promise<readonly Candle[]> {
    if (symbol !== this.inst.symbol || timeframe !== '1d' || limit <= 0) return [];
    const t = this.opts.clock.now();
    const closed = this.bars.filter((b) => b.close <= t);
    return closed.slice(Math.max(0, closed.length - limit)).map((b) => b.candle);
  }

  /** Highest price over the window: the current session's path so far and every session overlapping the window. */
  async windowHigh(symbol: string, windowMs: number): Promise<number | null> {
    const at = symbol === this.inst.symbol ? this.now() : null;
    if (!at) return null;
    const from = this.opts.clock.now() - windowMs;
    const current = this.bars[at.index]!;
    let high = at.open ? pathRange(current.candle, 0, at.fraction).high : current.candle.high;
    if (current.close <= from && !at.open) return null;
    for (let i = at.index - 1; i >= 0 && this.bars[i]!.close > from; i--)
      high = Math.max(high, this.bars[i]!.candle.high);
    return high;
  }

  async orderBook(_symbol: string, _depth: number): Promise<OrderBook | null> {
    return null;
  }
  async fundingHistory(_symbol: string, _limit: number): Promise<readonly FundingPoint[]> {
    return [];
  }
  async openInterest(_symbol: string): Promise<{ readonly ts: number; readonly value: number } | null> {
    return null;
  }
  async recentTrades(_symbol: string, _limit: number): Promise<readonly Trade[]> {
    return [];
  }
}
