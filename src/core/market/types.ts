import type { TradingCalendar } from './calendar/session.js';

/** Market data as the core sees it. Times are epoch milliseconds (UTC). Prices are quote-currency units. */

/** `prediction`: an outcome token (YES or NO) of a binary prediction market, priced in (0, 1). */
export type MarketKind = 'spot' | 'perp' | 'prediction';

export interface Candle {
  /** Bar open time, epoch ms. */
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Base-asset volume. */
  readonly volume: number;
}

export interface Quote {
  readonly symbol: string;
  readonly bid: number;
  readonly ask: number;
  /** When the quote was observed, epoch ms. */
  readonly ts: number;
  readonly last?: number;
}

export interface BookLevel {
  readonly price: number;
  readonly size: number;
}

export interface OrderBook {
  readonly symbol: string;
  readonly ts: number;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

export interface FundingPoint {
  readonly ts: number;
  readonly rate: number;
}

export interface Trade {
  readonly ts: number;
  readonly price: number;
  readonly size: number;
  readonly side: 'buy' | 'sell';
}

/** What the firewall and the venues need to know about a tradable instrument. */
export interface Instrument {
  /** Unified ccxt symbol: `BTC/USDT` spot, `BTC/USDT:USDT` linear perpetual. */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly kind: MarketKind;
  /** Vibe-Trading instrument type (`crypto` for every crypto market). */
  readonly instrumentType: 'equity' | 'etf' | 'option' | 'crypto' | 'prediction';
  /** Vibe-Trading asset class. */
  readonly assetClass: 'us_equity' | 'us_etf' | 'hk_equity' | 'cn_equity' | 'crypto' | 'prediction';
  readonly tickSize: number;
  /** Quantity precision (base units). */
  readonly stepSize: number;
  readonly minQty: number;
  readonly minNotional: number;
  readonly maxLeverage: number;
  readonly avgDailyVolumeUsd?: number;
  readonly marketCapUsd?: number;
  /** When it trades (the session-rules gate); absent: around the clock, as crypto. */
  readonly calendar?: TradingCalendar;
}
