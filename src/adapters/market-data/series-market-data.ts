import { pathPrice, pathRange } from '../../core/market/bar-path.js';
import { aggregateCandles } from '../../core/market/candles.js';
import { roundToStep } from '../../core/market/precision.js';
import {
  barTrades,
  barVolatility,
  bookAround,
  DEFAULT_QUOTE_MODEL,
  halfSpread,
  type ModelledBook,
  modelledOpenInterest,
  type QuoteModelParams,
  quoteAround,
} from '../../core/market/quote-model.js';
import { parseSymbol } from '../../core/market/symbols.js';
import type { Candle, FundingPoint, Instrument, OrderBook, Quote, Trade } from '../../core/market/types.js';
import type { PaperMarketView } from '../../core/paper/market-view.js';
import type { Clock } from '../../ports/clock.js';
import { type MarketData, TIMEFRAME_MS, type Timeframe } from '../../ports/market-data.js';
import { type ReplayMapping, type ReplayTimeline, replayTimeline } from './replay-mapping.js';
import { type Cursor, closedCount, cursorAt, type SeriesSource, type SymbolSeries } from './series-source.js';

export interface SeriesMarketDataOptions {
  readonly name: string;
  readonly clock: Clock;
  readonly source: SeriesSource;
  /** Defaults to real time: clock time = market time. */
  readonly mapping?: Partial<ReplayMapping>;
  readonly quoteModel?: QuoteModelParams;
}

const VOL_LOOKBACK = 20;
const DAY_MS = 86_400_000;

/**
 * MarketData over a bar replay driven by a Clock (see ReplayMapping). Nothing after the current market time is
 * ever returned: candles are closed bars only, and the current price is the current bar's path at the elapsed
 * fraction. Also the PaperMarketView the paper exchange fills against.
 */
export class SeriesMarketData implements MarketData, PaperMarketView {
  readonly name: string;
  readonly timeframeMs: number;
  readonly mapping: ReplayMapping;
  private readonly timeline: ReplayTimeline;
  private readonly model: QuoteModelParams;
  private advCache = new Map<string, { count: number; value: number | undefined }>();
  private volCache = new Map<string, { index: number; value: number }>();
  /** Series asked for by their unified symbol (other spellings are parsed each time: at most one per series). */
  private bySymbol = new Map<string, SymbolSeries>();

  constructor(private readonly opts: SeriesMarketDataOptions) {
    const tf = opts.source.timeframeMs;
    const startIndex = opts.mapping?.startIndex ?? 0;
    const startBarTs = opts.source.startTs + startIndex * tf;
    this.mapping = { startIndex, barMs: opts.mapping?.barMs ?? tf, anchorTs: opts.mapping?.anchorTs ?? startBarTs };
    this.timeline = replayTimeline(this.mapping, startBarTs, tf);
    this.name = opts.name;
    this.timeframeMs = tf;
    this.model = opts.quoteModel ?? DEFAULT_QUOTE_MODEL;
  }

  /** Clock time at which the replay reaches the open of bar `index` (for step drivers). */
  clockTimeOfBar(index: number): number {
    return this.timeline.clockTime(this.opts.source.startTs + index * this.timeframeMs);
  }

  /** Market time now, or null before the first bar or after the last one (the replay is over). */
  marketTime(): number | null {
    const t = this.timeline.marketTime(this.opts.clock.now());
    if (t < this.opts.source.startTs) return null;
    this.opts.source.ensure(t);
    // Inside the data while some series still has a bar at or after t's bar (t < its last bar's end).
    for (const sym of this.opts.source.symbols) {
      if (t < (this.opts.source.series(sym)?.candles.at(-1)?.ts ?? 0) + this.timeframeMs) return t;
    }
    return null;
  }

  clockTimeOf(marketTs: number): number {
    return this.timeline.clockTime(marketTs);
  }

  private series(symbol: string): SymbolSeries | undefined {
    const known = this.bySymbol.get(symbol);
    if (known) return known;
    const unified = parseSymbol(symbol)?.symbol ?? symbol;
    const s = this.opts.source.series(unified);
    if (s && unified === symbol) this.bySymbol.set(symbol, s);
    return s;
  }

  private cursor(symbol: string): { s: SymbolSeries; c: Cursor; t: number } | null {
    const s = this.series(symbol);
    const t = this.marketTime();
    if (!s || t === null) return null;
    const c = cursorAt(s, this.timeframeMs, t);
    return c ? { s, c, t } : null;
  }

  private volatility(s: SymbolSeries, index: number): number {
    // The quote and every order's book ask for the same bar's figure (closed bars only: it never changes).
    const cached = this.volCache.get(s.instrument.symbol);
    if (cached?.index === index) return cached.value;
    // Per-minute volatility, so the spread does not depend on the timeframe the series happens to have.
    const closes: number[] = [];
    for (let i = Math.max(0, index - VOL_LOOKBACK - 1); i < index; i++) closes.push(s.candles[i]!.close);
    const value = barVolatility(closes) / Math.sqrt(this.timeframeMs / 60_000);
    this.volCache.set(s.instrument.symbol, { index, value });
    return value;
  }

  private avgDailyVolumeUsd(s: SymbolSeries, count: number): number | undefined {
    const cached = this.advCache.get(s.instrument.symbol);
    if (cached?.count === count) return cached.value;
    const perDay = DAY_MS / this.timeframeMs;
    // The same sum in the same order as a reduce over the window's slice, without copying the window.
    const from = Math.trunc(Math.max(0, count - 30 * perDay)); // as slice() reads a fractional start
    const to = Math.min(count, s.candles.length);
    let sum = 0;
    for (let i = from; i < to; i++) sum += s.candles[i]!.volume * s.candles[i]!.close;
    const value = to > from ? (sum / (to - from)) * perDay : undefined;
    this.advCache.set(s.instrument.symbol, { count, value });
    return value;
  }

  instrumentOf(symbol: string): Instrument | null {
    const s = this.series(symbol);
    if (!s) return null;
    const t = this.marketTime();
    const adv = t === null ? undefined : this.avgDailyVolumeUsd(s, closedCount(s, this.timeframeMs, t));
    return adv === undefined ? s.instrument : { ...s.instrument, avgDailyVolumeUsd: Math.round(adv) };
  }

  async instruments(): Promise<readonly Instrument[]> {
    return this.opts.source.symbols.map((sym) => this.instrumentOf(sym)!);
  }

  async instrument(symbol: string): Promise<Instrument | null> {
    return this.instrumentOf(symbol);
  }

  async quote(symbol: string): Promise<Quote | null> {
    const at = this.cursor(symbol);
    if (!at) return null;
    const { s, c } = at;
    const mid = pathPrice(c.bar, c.fraction);
    const { bid, ask } = quoteAround(mid, this.volatility(s, c.index), s.instrument.tickSize, this.model);
    const last = roundToStep(mid, s.instrument.tickSize);
    return { symbol: s.instrument.symbol, bid, ask, last, ts: this.opts.clock.now() };
  }

  async candles(symbol: string, timeframe: Timeframe, limit: number): Promise<readonly Candle[]> {
    const s = this.series(symbol);
    const t = this.marketTime();
    const want = TIMEFRAME_MS[timeframe];
    if (!s || t === null || limit <= 0 || want % this.timeframeMs !== 0) return [];
    const closed = closedCount(s, this.timeframeMs, t);
    if (want === this.timeframeMs) return s.candles.slice(Math.max(0, closed - limit), closed);
    const ratio = want / this.timeframeMs;
    const base = s.candles.slice(Math.max(0, closed - (limit + 1) * ratio), closed);
    return aggregateCandles(base, want, t).slice(-limit);
  }

  bookAt(symbol: string, marketTs: number, mid?: number): ModelledBook | null {
    const s = this.series(symbol);
    const c = s ? cursorAt(s, this.timeframeMs, marketTs) : null;
    if (!s || !c) return null;
    const m = mid ?? pathPrice(c.bar, c.fraction);
    const volume = (s.candles[c.index - 1] ?? c.bar).volume; // last closed bar (the first bar has none before it)
    return bookAround(m, this.volatility(s, c.index), volume, this.timeframeMs, s.instrument, 20, this.model);
  }

  async orderBook(symbol: string, depth: number): Promise<OrderBook | null> {
    const t = this.marketTime();
    const book = t === null ? null : this.bookAt(symbol, t);
    const inst = this.instrumentOf(symbol);
    if (!book || !inst) return null;
    const n = Math.max(1, Math.min(depth, 20));
    return { symbol: inst.symbol, ts: this.opts.clock.now(), bids: book.bids.slice(0, n), asks: book.asks.slice(0, n) };
  }

  barAt(symbol: string, marketTs: number) {
    const s = this.series(symbol);
    const c = s ? cursorAt(s, this.timeframeMs, marketTs) : null;
    return c ? { bar: c.bar, timeframeMs: this.timeframeMs } : null;
  }

  fundingRateAt(symbol: string, marketTs: number): number | null {
    const s = this.series(symbol);
    if (s?.instrument.kind !== 'perp') return null;
    const p = s.funding.find((f) => f.ts === marketTs);
    return p ? p.rate : null;
  }

  async fundingHistory(symbol: string, limit: number): Promise<readonly FundingPoint[]> {
    const s = this.series(symbol);
    const t = this.marketTime();
    if (!s || t === null || s.instrument.kind !== 'perp' || limit <= 0) return [];
    return s.funding.filter((f) => f.ts <= t).slice(-limit);
  }

  async openInterest(symbol: string): Promise<{ readonly ts: number; readonly value: number } | null> {
    const at = this.cursor(symbol);
    if (at?.s.instrument.kind !== 'perp') return null;
    const adv = this.avgDailyVolumeUsd(at.s, at.c.index);
    if (adv === undefined) return null;
    return { ts: this.opts.clock.now(), value: modelledOpenInterest(at.s.instrument.symbol, at.t, adv) };
  }

  async recentTrades(symbol: string, limit: number): Promise<readonly Trade[]> {
    const at = this.cursor(symbol);
    if (!at || limit <= 0) return [];
    const { s, c, t } = at;
    const out: Trade[] = [];
    for (let i = c.index; i >= 0 && out.length < limit; i--) {
      const bar = s.candles[i]!;
      const h = halfSpread(bar.open, this.volatility(s, i), s.instrument.tickSize, this.model);
      const sizeVolume = i === c.index ? (s.candles[i - 1] ?? bar).volume : bar.volume;
      out.push(...barTrades(s.instrument.symbol, bar, sizeVolume, this.timeframeMs, t, h, s.instrument, this.model));
    }
    return out.slice(0, limit).reverse();
  }

  async windowHigh(symbol: string, windowMs: number): Promise<number | null> {
    const at = this.cursor(symbol);
    if (!at) return null;
    const { s, c, t } = at;
    let high = pathRange(c.bar, 0, c.fraction).high;
    for (let i = c.index - 1; i >= 0; i--) {
      const bar = s.candles[i]!;
      if (bar.ts + this.timeframeMs <= t - windowMs) break;
      high = Math.max(high, bar.high);
    }
    return high;
  }
}
