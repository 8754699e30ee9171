import type { Candle, FundingPoint, Instrument, OrderBook, Quote, Trade } from '../core/market/types.js';
import type { ListedMarketView } from '../core/prediction/board.js';

export type Timeframe = '1m' | '5m' | '15m' | '1h' | '4h' | '1d';

export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

/** Market data as the firewall and the venues read it. Every method answers as of the source's own clock. */
export interface MarketData {
  readonly name: string;
  instruments(): Promise<readonly Instrument[]>;
  instrument(symbol: string): Promise<Instrument | null>;
  quote(symbol: string): Promise<Quote | null>;
  /** Closed candles up to now, oldest first. */
  candles(symbol: string, timeframe: Timeframe, limit: number): Promise<readonly Candle[]>;
  orderBook(symbol: string, depth: number): Promise<OrderBook | null>;
  fundingHistory(symbol: string, limit: number): Promise<readonly FundingPoint[]>;
  openInterest(symbol: string): Promise<{ readonly ts: number; readonly value: number } | null>;
  recentTrades(symbol: string, limit: number): Promise<readonly Trade[]>;
  /** Highest mid price seen within the last `windowMs` (for the crash breaker), or null if unknown. */
  windowHigh(symbol: string, windowMs: number): Promise<number | null>;
  /**
   * For an outcome token of a prediction market: the market's state as the source knows it (what the firewall's
   * prediction gates judge on, apart from the account's cost basis); null for any other symbol. Absent: the source
   * lists no prediction markets.
   */
  prediction?(symbol: string): Promise<PredictionMarketState | null>;
  /**
   * The prediction markets the source trades, as agents read them (list_markets / get_market). Throws when the
   * source cannot be read. Absent: the source lists none of its own.
   */
  predictionMarkets?(): Promise<readonly ListedMarketView[]>;
}

export interface PredictionMarketState {
  readonly market_id: string;
  readonly outcome: 'YES' | 'NO';
  readonly status: 'open' | 'closed' | 'resolved';
  /** Epoch ms. */
  readonly resolves_at: number;
  /** Collateral resting in the outcome's book within 5 cents of the mid, both sides (USD). */
  readonly liquidity_usd: number;
}
