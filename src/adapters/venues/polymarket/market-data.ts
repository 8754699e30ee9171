import type { OrderBookSummary } from '@polymarket/clob-client';
import type { Candle, FundingPoint, Instrument, OrderBook, Quote, Trade } from '../../../core/market/types.js';
import type { ListedMarketView } from '../../../core/prediction/board.js';
import { outcomeInstrument, parseOutcomeSymbol } from '../../../core/prediction/types.js';
import type { MarketData, PredictionMarketState, Timeframe } from '../../../ports/market-data.js';
import type { PolymarketClient } from './client.js';
import { type MarketListing, pmStatus } from './listing.js';
import type { PmTokenInfo, TokenMap } from './tokens.js';

/** The band around the mid whose resting collateral counts as a market's liquidity (the firewall's definition). */
const LIQUIDITY_BAND = 0.05;

/**
 * Public market data from the CLOB for the configured markets: instruments, quotes and books of each outcome
 * token, and each market's state for the prediction gates. The CLOB serves no candles, funding or open interest
 * here: those answer empty / null (the firewall's checks that need them see no data).
 */
export class PolymarketMarketData implements MarketData {
  readonly name = 'polymarket';

  constructor(
    private readonly client: PolymarketClient,
    private readonly tokens: TokenMap,
    private readonly listing: MarketListing,
  ) {}

  /** The configured markets as the CLOB describes them (briefly cached); a venue failure is thrown. */
  predictionMarkets(): Promise<readonly ListedMarketView[]> {
    return this.listing.list();
  }

  async instruments(): Promise<readonly Instrument[]> {
    return [...(await this.tokens.all()).values()].map(toInstrument);
  }

  async instrument(symbol: string): Promise<Instrument | null> {
    const t = await this.tokens.bySymbol(symbol);
    return t ? toInstrument(t) : null;
  }

  async quote(symbol: string): Promise<Quote | null> {
    const book = await this.orderBook(symbol, 1);
    const bid = book?.bids[0]?.price;
    const ask = book?.asks[0]?.price;
    if (!book || bid === undefined || ask === undefined) return null;
    return { symbol: book.symbol, bid, ask, ts: book.ts };
  }

  async orderBook(symbol: string, depth: number): Promise<OrderBook | null> {
    const t = await this.tokens.bySymbol(symbol);
    if (!t) return null;
    return toBook(t.symbol, await this.client.book(t.tokenId), depth);
  }

  async prediction(symbol: string): Promise<PredictionMarketState | null> {
    const parsed = parseOutcomeSymbol(symbol);
    const t = await this.tokens.bySymbol(symbol);
    if (!parsed || !t) return null;
    // The gates judge on a fresh answer, never on the listing's cache.
    const m = await this.client.market(t.conditionId);
    const status = pmStatus(m);
    const resolvesAt = m.end_date_iso ? Date.parse(m.end_date_iso) : Number.POSITIVE_INFINITY;
    const state = {
      market_id: parsed.marketId,
      outcome: parsed.outcome,
      status,
      resolves_at: Number.isFinite(resolvesAt) ? resolvesAt : Number.MAX_SAFE_INTEGER,
    };
    // A market no longer trading is refused on its status; its book (the CLOB drops it) is not read.
    if (status !== 'open') return { ...state, liquidity_usd: 0 };
    const book = toBook(t.symbol, await this.client.book(t.tokenId), Number.POSITIVE_INFINITY);
    const bid = book.bids[0]?.price;
    const ask = book.asks[0]?.price;
    const mid = bid !== undefined && ask !== undefined ? (bid + ask) / 2 : (bid ?? ask ?? 0.5);
    const near = (l: { price: number }) => Math.abs(l.price - mid) <= LIQUIDITY_BAND + 1e-9;
    const liquidity = [...book.bids, ...book.asks].filter(near).reduce((s, l) => s + l.price * l.size, 0);
    return { ...state, liquidity_usd: liquidity };
  }

  async candles(_symbol: string, _timeframe: Timeframe, _limit: number): Promise<readonly Candle[]> {
    return [];
  }

  async fundingHistory(): Promise<readonly FundingPoint[]> {
    return [];
  }

  async openInterest(): Promise<null> {
    return null;
  }

  async recentTrades(): Promise<readonly Trade[]> {
    return [];
  }

  async windowHigh(): Promise<number | null> {
    return null;
  }
}

function toInstrument(t: PmTokenInfo): Instrument {
  const parsed = parseOutcomeSymbol(t.symbol)!;
  const base = outcomeInstrument(parsed.marketId, parsed.outcome, t.tickSize);
  return { ...base, minQty: Math.max(base.minQty, t.minSize) };
}

/** The CLOB lists bids ascending and asks descending (best last); the port wants best first. */
function toBook(symbol: string, b: OrderBookSummary, depth: number): OrderBook {
  const level = (l: { price: string; size: string }) => ({ price: Number(l.price), size: Number(l.size) });
  const ts = Number(b.timestamp);
  return {
    symbol,
    ts: Number.isFinite(ts) && ts > 0 ? ts : Date.now(),
    bids: [...b.bids].reverse().slice(0, depth).map(level),
    asks: [...b.asks].reverse().slice(0, depth).map(level),
  };
}
