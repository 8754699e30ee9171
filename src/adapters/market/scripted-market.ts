import { cryptoInstrument } from '../../core/market/instrument-spec.js';
import { parseSymbol } from '../../core/market/symbols.js';
import type { Candle, FundingPoint, Instrument, OrderBook, Quote, Trade } from '../../core/market/types.js';
import type { Clock } from '../../ports/clock.js';
import type { MarketData, Timeframe } from '../../ports/market-data.js';

/** A crypto instrument for a scripted market: the shared spec at a reference price, then any overrides. */
export function scriptedInstrument(symbol: string, refPrice: number, overrides: Partial<Instrument> = {}): Instrument {
  const p = parseSymbol(symbol);
  if (!p) throw new Error(`not a market symbol: ${symbol}`);
  return { ...cryptoInstrument(p.base, p.quote, p.kind, refPrice), ...overrides };
}

/**
 * Market data whose state is set by the caller: the red team and tests use it to stage exact conditions (a
 * stale quote, a crossed book, a crash). Quotes are stamped by the clock unless a time is given.
 */
export class ScriptedMarketData implements MarketData {
  readonly name = 'scripted';
  private readonly quotes = new Map<string, { bid: number; ask: number; ts: number | null }>();
  private readonly highs = new Map<string, number>();
  private readonly insts = new Map<string, Instrument>();
  private readonly bars = new Map<string, readonly Candle[]>();

  constructor(
    private readonly clock: Clock,
    instruments: readonly Instrument[],
  ) {
    for (const i of instruments) this.insts.set(i.symbol, i);
  }

  setQuote(symbol: string, bid: number, ask: number, ts: number | null = null): void {
    this.quotes.set(symbol, { bid, ask, ts });
  }
  /** Closed candles of a symbol, oldest first, served whatever the timeframe asked (the script decides). */
  setCandles(symbol: string, candles: readonly Candle[]): void {
    this.bars.set(symbol, candles);
  }
  removeQuote(symbol: string): void {
    this.quotes.delete(symbol);
  }
  setWindowHigh(symbol: string, high: number | null): void {
    if (high === null) this.highs.delete(symbol);
    else this.highs.set(symbol, high);
  }

  async instruments(): Promise<readonly Instrument[]> {
    return [...this.insts.values()];
  }
  async instrument(symbol: string): Promise<Instrument | null> {
    return this.insts.get(symbol) ?? null;
  }
  async quote(symbol: string): Promise<Quote | null> {
    const q = this.quotes.get(symbol);
    return q ? { symbol, bid: q.bid, ask: q.ask, ts: q.ts ?? this.clock.now() } : null;
  }
  async candles(symbol: string, _tf: Timeframe, limit: number): Promise<readonly Candle[]> {
    const all = this.bars.get(symbol) ?? [];
    return all.slice(Math.max(0, all.length - limit));
  }
  async orderBook(symbol: string, _depth: number): Promise<OrderBook | null> {
    const q = this.quotes.get(symbol);
    if (!q) return null;
    return { symbol, ts: this.clock.now(), bids: [{ price: q.bid, size: 1 }], asks: [{ price: q.ask, size: 1 }] };
  }
  async fundingHistory(_symbol: string, _limit: number): Promise<readonly FundingPoint[]> {
    return [];
  }
  async openInterest(_symbol: string) {
    return null;
  }
  async recentTrades(_symbol: string, _limit: number): Promise<readonly Trade[]> {
    return [];
  }
  async windowHigh(symbol: string, _windowMs: number): Promise<number | null> {
    return this.highs.get(symbol) ?? null;
  }
}
