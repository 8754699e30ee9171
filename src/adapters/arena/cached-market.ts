import type { Candle, FundingPoint, Instrument, OrderBook, Quote, Trade } from '../../core/market/types.js';
import type { ModelledBook, PaperMarketView } from '../../core/paper/market-view.js';
import type { Clock } from '../../ports/clock.js';
import type { MarketData, Timeframe } from '../../ports/market-data.js';

/** Contiguous bars of one symbol, oldest first, one every `timeframeMs` from the first bar's open. */
export interface ContiguousBars {
  readonly candles: readonly Candle[];
  readonly timeframeMs: number;
}

/**
 * A replay's market data made cheap for the paper engine, which asks for the market time, the instrument and
 * the bar at every leg of every bar it works through and for the modelled book on every order, and for the
 * firewall, which asks for the quote and the window high on every intent: `instrumentOf`, `quote`, `windowHigh`
 * and `bookAt` are remembered for the current clock time (their answers only change when the clock moves), so is
 * `marketTime` once it is not null (a replay's data only grows, so a time inside it stays inside it), and `barAt`
 * indexes contiguous bars directly instead of searching. Same answers; the rest passes through.
 */
export class ClockCachedMarket implements MarketData, PaperMarketView {
  readonly name: string;
  private at = Number.NaN;
  private readonly cache = new Map<string, Instrument | null>();
  private readonly quotes = new Map<string, Promise<Quote | null>>();
  private readonly books = new Map<string, ModelledBook | null>();
  private readonly highs = new Map<string, Promise<number | null>>();
  private time: number | null = null;

  constructor(
    private readonly inner: MarketData & PaperMarketView,
    private readonly clock: Clock,
    private readonly bars: ReadonlyMap<string, ContiguousBars> = new Map(),
  ) {
    this.name = inner.name;
  }

  /** Forgets everything remembered for an earlier clock time. */
  private fresh(): void {
    const now = this.clock.now();
    if (now !== this.at) {
      this.at = now;
      this.cache.clear();
      this.quotes.clear();
      this.books.clear();
      this.highs.clear();
      this.time = null;
    }
  }

  instrumentOf(symbol: string): Instrument | null {
    this.fresh();
    let hit = this.cache.get(symbol);
    if (hit === undefined) {
      hit = this.inner.instrumentOf(symbol);
      this.cache.set(symbol, hit);
    }
    return hit;
  }

  async instrument(symbol: string): Promise<Instrument | null> {
    return this.instrumentOf(symbol);
  }
  instruments(): Promise<readonly Instrument[]> {
    return this.inner.instruments();
  }
  quote(symbol: string): Promise<Quote | null> {
    this.fresh();
    let hit = this.quotes.get(symbol);
    if (hit === undefined) {
      hit = this.inner.quote(symbol);
      this.quotes.set(symbol, hit);
    }
    return hit;
  }
  candles(symbol: string, timeframe: Timeframe, limit: number): Promise<readonly Candle[]> {
    return this.inner.candles(symbol, timeframe, limit);
  }
  orderBook(symbol: string, depth: number): Promise<OrderBook | null> {
    return this.inner.orderBook(symbol, depth);
  }
  fundingHistory(symbol: string, limit: number): Promise<readonly FundingPoint[]> {
    return this.inner.fundingHistory(symbol, limit);
  }
  openInterest(symbol: string): Promise<{ readonly ts: number; readonly value: number } | null> {
    return this.inner.openInterest(symbol);
  }
  recentTrades(symbol: string, limit: number): Promise<readonly Trade[]> {
    return this.inner.recentTrades(symbol, limit);
  }
  windowHigh(symbol: string, windowMs: number): Promise<number | null> {
    this.fresh();
    const key = `${symbol}\u0000${windowMs}`;
    let hit = this.highs.get(key);
    if (hit === undefined) {
      hit = this.inner.windowHigh(symbol, windowMs);
      this.highs.set(key, hit);
    }
    return hit;
  }
  marketTime(): number | null {
    this.fresh();
    this.time ??= this.inner.marketTime();
    return this.time;
  }
  clockTimeOf(marketTs: number): number {
    return this.inner.clockTimeOf(marketTs);
  }
  barAt(symbol: string, marketTs: number): { readonly bar: Candle; readonly timeframeMs: number } | null {
    const s = this.bars.get(symbol);
    if (!s) return this.inner.barAt(symbol, marketTs);
    const first = s.candles[0];
    if (!first || marketTs < first.ts) return null;
    const bar = s.candles[Math.floor((marketTs - first.ts) / s.timeframeMs)];
    return bar ? { bar, timeframeMs: s.timeframeMs } : null;
  }
  bookAt(symbol: string, marketTs: number, mid?: number): ModelledBook | null {
    this.fresh();
    const key = `${symbol}\u0000${marketTs}\u0000${mid ?? ''}`;
    let hit = this.books.get(key);
    if (hit === undefined) {
      hit = this.inner.bookAt(symbol, marketTs, mid);
      this.books.set(key, hit);
    }
    return hit;
  }
  fundingRateAt(symbol: string, marketTs: number): number | null {
    return this.inner.fundingRateAt(symbol, marketTs);
  }
}
