import type { z } from 'zod';
import { parseSymbol } from '../../../../core/market/symbols.js';
import type { Candle, FundingPoint, Instrument, OrderBook, Quote, Trade } from '../../../../core/market/types.js';
import { type MarketData, TIMEFRAME_MS, type Timeframe } from '../../../../ports/market-data.js';
import type { CcxtClient } from '../client.js';
import type { CcxtMarket } from '../schemas.js';
import { US_EQUITY_CALENDAR } from './markets.js';
import { AlpacaBarsSchema, AlpacaLatestQuoteSchema, AlpacaLatestTradeSchema, AlpacaSnapshotSchema } from './schemas.js';

const DATA = ['market', 'private'] as const;
const MAX_WINDOW_BARS = 500;
const MAX_BARS = 10_000;

/** Arbiter's timeframes in Alpaca's bar timeframe words. */
const ALPACA_TIMEFRAME: Readonly<Record<Timeframe, string>> = {
  '1m': '1Min',
  '5m': '5Min',
  '15m': '15Min',
  '1h': '1Hour',
  '4h': '4Hour',
  '1d': '1Day',
};

/**
 * Stock market data from Alpaca's market data API (`/v2/stocks/{symbol}/…` on data.alpaca.markets, the same key
 * headers as trading): the snapshot (latest quote and trade), the latest quote, the latest trade and bars, for the
 * stocks Alpaca lists as tradable. The
 * feed is the account's default (IEX on a free plan). Stocks have no order book there: the book is the top of
 * the latest quote. No funding, no open interest.
 */
export class AlpacaMarketData implements MarketData {
  readonly name = 'ccxt:alpaca';

  constructor(
    private readonly client: CcxtClient,
    private readonly now: () => number = Date.now,
  ) {}

  async instruments(): Promise<readonly Instrument[]> {
    return (await this.client.loadMarkets()).flatMap((m) => {
      const i = toStockInstrument(m);
      return i ? [i] : [];
    });
  }

  async instrument(symbol: string): Promise<Instrument | null> {
    const m = await this.market(symbol);
    return m ? toStockInstrument(m) : null;
  }

  async quote(symbol: string): Promise<Quote | null> {
    const m = await this.market(symbol);
    if (!m) return null;
    const snap = await this.data(AlpacaSnapshotSchema, 'v2/stocks/{symbol}/snapshot', { symbol: m.id });
    const q = snap?.latestQuote;
    if (!q || !(q.bp > 0 && q.ap >= q.bp)) return null;
    const last = snap.latestTrade?.p;
    return { symbol: m.symbol, bid: q.bp, ask: q.ap, ts: Date.parse(q.t), ...(last && last > 0 ? { last } : {}) };
  }

  async candles(symbol: string, timeframe: Timeframe, limit: number): Promise<readonly Candle[]> {
    const m = await this.market(symbol);
    if (!m || limit <= 0) return [];
    const tf = TIMEFRAME_MS[timeframe];
    const now = this.now();
    return (await this.bars(m, timeframe, limit + 1)).filter((c) => c.ts + tf <= now).slice(-limit);
  }

  async orderBook(symbol: string, depth: number): Promise<OrderBook | null> {
    const m = await this.market(symbol);
    if (!m || depth <= 0) return null;
    const q = await this.data(AlpacaLatestQuoteSchema, 'v2/stocks/{symbol}/quotes/latest', { symbol: m.id });
    if (!q || !(q.quote.bp > 0 && q.quote.ap >= q.quote.bp)) return null;
    return {
      symbol: m.symbol,
      ts: Date.parse(q.quote.t),
      bids: [{ price: q.quote.bp, size: q.quote.bs }],
      asks: [{ price: q.quote.ap, size: q.quote.as }],
    };
  }

  async fundingHistory(): Promise<readonly FundingPoint[]> {
    return [];
  }

  async openInterest(): Promise<null> {
    return null;
  }

  /** The latest trade (Alpaca's latest-trade endpoint; the side of a stock print is not known, `buy` is given). */
  async recentTrades(symbol: string, limit: number): Promise<readonly Trade[]> {
    const m = await this.market(symbol);
    if (!m || limit <= 0) return [];
    const t = await this.data(AlpacaLatestTradeSchema, 'v2/stocks/{symbol}/trades/latest', { symbol: m.id });
    return t ? [{ ts: Date.parse(t.trade.t), price: t.trade.p, size: t.trade.s, side: 'buy' }] : [];
  }

  /** Highest bar high over the window, including the bar in progress, on the finest timeframe that fits. */
  async windowHigh(symbol: string, windowMs: number): Promise<number | null> {
    const m = await this.market(symbol);
    if (!m || windowMs <= 0) return null;
    const frames = Object.entries(TIMEFRAME_MS) as [Timeframe, number][];
    const [timeframe, tf] = frames.find(([, ms]) => windowMs / ms <= MAX_WINDOW_BARS) ?? frames[frames.length - 1]!;
    const since = this.now() - windowMs;
    const highs = (await this.bars(m, timeframe, Math.ceil(windowMs / tf) + 1))
      .filter((c) => c.ts + tf > since)
      .map((c) => c.high);
    return highs.length > 0 ? Math.max(...highs) : null;
  }

  /**
   * The newest `limit` bars, oldest first. Stocks have no bars outside their sessions, so the request looks back
   * far enough to cover weekends and holidays (3 calendar days per trading day, at least a week) and asks for the
   * newest first.
   */
  private async bars(m: CcxtMarket, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    const tf = TIMEFRAME_MS[timeframe];
    const lookback = Math.max(7 * 86_400_000, limit * tf * (timeframe === '1d' ? 2 : 3));
    const now = this.now();
    const b = await this.data(AlpacaBarsSchema, 'v2/stocks/{symbol}/bars', {
      symbol: m.id,
      timeframe: ALPACA_TIMEFRAME[timeframe],
      start: new Date(now - lookback).toISOString(),
      end: new Date(now).toISOString(),
      limit: Math.min(limit, MAX_BARS),
      sort: 'desc',
    });
    return (b?.bars ?? [])
      .map((x) => ({ ts: Date.parse(x.t), open: x.o, high: x.h, low: x.l, close: x.c, volume: x.v }))
      .sort((x, y) => x.ts - y.ts);
  }

  private async data<T>(schema: z.ZodType<T>, path: string, params: Record<string, unknown>): Promise<T | null> {
    const r = schema.safeParse(await this.client.request(path, DATA, 'GET', params));
    return r.success ? r.data : null;
  }

  private async market(symbol: string): Promise<CcxtMarket | null> {
    const unified = parseSymbol(symbol)?.symbol ?? symbol;
    return (
      (await this.client.market(unified)) ??
      (await this.client.market(symbol)) ??
      (await this.client.market(`${symbol}/USD`))
    );
  }
}

/** An Alpaca stock as Arbiter's instrument: a US equity on the NYSE calendar, no leverage. */
export function toStockInstrument(m: CcxtMarket): Instrument | null {
  const step = m.precision.amount;
  const tick = m.precision.price;
  if (!m.spot || m.active === false || !(step && step > 0 && tick && tick > 0)) return null;
  return {
    symbol: m.symbol,
    base: m.base,
    quote: m.quote,
    kind: 'spot',
    instrumentType: 'equity',
    assetClass: 'us_equity',
    tickSize: tick,
    stepSize: step,
    minQty: m.limits.amount?.min ?? step,
    minNotional: m.limits.cost?.min ?? 0,
    maxLeverage: 1,
    calendar: US_EQUITY_CALENDAR,
  };
}
