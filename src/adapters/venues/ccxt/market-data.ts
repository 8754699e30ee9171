import { parseSymbol } from '../../../core/market/symbols.js';
import type { Candle, FundingPoint, Instrument, OrderBook, Quote, Trade } from '../../../core/market/types.js';
import { type MarketData, TIMEFRAME_MS, type Timeframe } from '../../../ports/market-data.js';
import type { CcxtClient } from './client.js';
import { contractSizeOf, toCandle, toFundingPoint, toInstrument, toOrderBook, toQuote, toTrade } from './mapper.js';
import { profileOf, type TokenizedStocks } from './profiles.js';
import type { CcxtMarket } from './schemas.js';

/** Book depths every profiled venue accepts; a request is rounded up to one of them and trimmed. */
const BOOK_LIMITS = [5, 10, 20, 50, 100] as const;
const MAX_WINDOW_BARS = 500;

/**
 * Public market data from a ccxt venue. Unknown symbols answer null / empty; venue failures throw VenueError so
 * the firewall fails closed.
 */
export class CcxtMarketData implements MarketData {
  readonly name: string;
  private readonly stocks: TokenizedStocks | null;

  constructor(private readonly client: CcxtClient) {
    this.name = `ccxt:${client.id}`;
    this.stocks = profileOf(client.id).stocks;
  }

  async instruments(): Promise<readonly Instrument[]> {
    const out: Instrument[] = [];
    for (const m of await this.client.loadMarkets()) {
      const i = toInstrument(m, this.stocks);
      if (i) out.push(i);
    }
    return out;
  }

  async instrument(symbol: string): Promise<Instrument | null> {
    const m = await this.market(symbol);
    return m ? toInstrument(m, this.stocks) : null;
  }

  async quote(symbol: string): Promise<Quote | null> {
    const m = await this.market(symbol);
    if (!m) return null;
    const ticker = await this.client.fetchTicker(m.symbol);
    const quote = ticker ? toQuote(ticker, Date.now()) : null;
    if (quote) return quote;
    // Some tickers carry no bid/ask (Binance USDⓈ-M 24h ticker): read the top of the book instead.
    const book = await this.orderBook(m.symbol, 1);
    const bid = book?.bids[0]?.price;
    const ask = book?.asks[0]?.price;
    if (!book || bid === undefined || ask === undefined) return null;
    return { symbol: m.symbol, bid, ask, ts: book.ts, ...(ticker?.last ? { last: ticker.last } : {}) };
  }

  async candles(symbol: string, timeframe: Timeframe, limit: number): Promise<readonly Candle[]> {
    const m = await this.market(symbol);
    if (!m || limit <= 0) return [];
    const tf = TIMEFRAME_MS[timeframe];
    const now = Date.now();
    const rows = await this.client.fetchOHLCV(m.symbol, timeframe, limit + 1);
    const closed = rows.map(toCandle).filter((c) => c.ts + tf <= now);
    return closed.sort((a, b) => a.ts - b.ts).slice(-limit);
  }

  async orderBook(symbol: string, depth: number): Promise<OrderBook | null> {
    const m = await this.market(symbol);
    if (!m || depth <= 0) return null;
    const limit = BOOK_LIMITS.find((l) => l >= depth) ?? BOOK_LIMITS[BOOK_LIMITS.length - 1];
    const book = await this.client.fetchOrderBook(m.symbol, limit);
    return book ? toOrderBook(m.symbol, book, depth, contractSizeOf(m)) : null;
  }

  async fundingHistory(symbol: string, limit: number): Promise<readonly FundingPoint[]> {
    const m = await this.market(symbol);
    if (!m?.swap || limit <= 0) return [];
    const rows = await this.client.fetchFundingRateHistory(m.symbol, limit);
    return rows
      .map(toFundingPoint)
      .sort((a, b) => a.ts - b.ts)
      .slice(-limit);
  }

  /** Open interest in quote currency (notional). */
  async openInterest(symbol: string): Promise<{ readonly ts: number; readonly value: number } | null> {
    const m = await this.market(symbol);
    if (!m?.swap) return null;
    const oi = await this.client.fetchOpenInterest(m.symbol);
    if (!oi) return null;
    let value = oi.openInterestValue ?? null;
    if (value === null && oi.openInterestAmount != null) {
      const q = await this.quote(m.symbol);
      value = q ? oi.openInterestAmount * contractSizeOf(m) * ((q.bid + q.ask) / 2) : null;
    }
    return value === null ? null : { ts: oi.timestamp ?? Date.now(), value };
  }

  async recentTrades(symbol: string, limit: number): Promise<readonly Trade[]> {
    const m = await this.market(symbol);
    if (!m || limit <= 0) return [];
    const rows = await this.client.fetchTrades(m.symbol, limit);
    const size = contractSizeOf(m);
    return rows
      .map((t) => toTrade(t, size))
      .sort((a, b) => a.ts - b.ts)
      .slice(-limit);
  }

  /** Highest candle high over the window, including the bar in progress, on the finest timeframe that fits. */
  async windowHigh(symbol: string, windowMs: number): Promise<number | null> {
    const m = await this.market(symbol);
    if (!m || windowMs <= 0) return null;
    const frames = Object.entries(TIMEFRAME_MS) as [Timeframe, number][];
    const [timeframe, tf] = frames.find(([, ms]) => windowMs / ms <= MAX_WINDOW_BARS) ?? frames[frames.length - 1]!;
    const since = Date.now() - windowMs;
    const rows = await this.client.fetchOHLCV(m.symbol, timeframe, Math.ceil(windowMs / tf) + 1);
    const highs = rows
      .map(toCandle)
      .filter((c) => c.ts + tf > since)
      .map((c) => c.high);
    return highs.length > 0 ? Math.max(...highs) : null;
  }

  private async market(symbol: string): Promise<CcxtMarket | null> {
    const unified = parseSymbol(symbol)?.symbol ?? symbol;
    return (await this.client.market(unified)) ?? (await this.client.market(symbol));
  }
}
