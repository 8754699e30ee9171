import type { Exchange } from 'ccxt';
import type { TradingCalendar } from '../../../core/market/calendar/session.js';
import { tradeStocks } from './alpaca/markets.js';
import type { CcxtVenueConfig } from './config.js';
import { hyperliquidCloid } from './hyperliquid.js';

/** Tokenized US stocks a venue lists beside crypto: their base codes and the venue's own trading hours. */
export interface TokenizedStocks {
  readonly bases: ReadonlySet<string>;
  readonly calendar: TradingCalendar;
}

/**
 * The six tokenized US stocks Arbiter knows on Bitget (USDT-margined perpetuals `AAPL/USDT:USDT` …), on the
 * venue's weekday schedule: Monday to Friday around the clock, New York time, closed at the weekend. A venue
 * announcement that changes the hours changes this calendar.
 */
export const BITGET_STOCKS: TokenizedStocks = {
  bases: new Set(['AAPL', 'TSLA', 'NVDA', 'MSFT', 'GOOGL', 'META']),
  calendar: { kind: 'venue', tz: 'America/New_York', days: [1, 2, 3, 4, 5], open: '00:00', close: '24:00' },
};

/**
 * What differs between venues once ccxt has unified the rest. Anything not profiled uses GENERIC: ccxt's unified
 * calls with ccxt's own defaults.
 */
export interface VenueProfile {
  /** ccxt `options` merged over the exchange's defaults. */
  options(config: CcxtVenueConfig): Record<string, unknown>;
  /** Extra params for fetchOrder by id (Bybit asks callers to acknowledge its 500-order window). */
  readonly fetchOrderParams: Readonly<Record<string, unknown>>;
  /** How an order is looked up by client order id when its symbol is known. */
  readonly clientIdLookup: 'fetchOrder' | 'bybit-order-link-id';
  /** Params for setLeverage (OKX needs the margin mode; Bitget the margin coin). */
  leverageParams(config: CcxtVenueConfig): Record<string, unknown>;
  /** Venue answers meaning "already at that value", treated as success. */
  readonly notModified: RegExp | null;
  /** Bybit sets TP/SL on the position; the others place conditional close orders; `none`: not offered yet. */
  readonly tradingStop: 'position' | 'conditional-orders' | 'none';
  /** Tokenized stocks listed on the venue (instruments of kind equity, with the venue's calendar). */
  readonly stocks: TokenizedStocks | null;
  /** Changes made to the ccxt exchange once it is built (Alpaca: list US stocks instead of crypto). */
  readonly prepare?: (exchange: Exchange) => void;
  /** The client order id sent to the venue for Arbiter's (Hyperliquid: 0x + 32 hex); identity elsewhere. */
  venueClientId(clientOrderId: string): string;
  /** Market orders sent with the current mid as their price (Hyperliquid: ccxt turns it into an IOC limit at mid ± slippage). */
  readonly marketOrderPrice: 'mid' | null;
  /** Fills read from the account's executions (maker/taker and fee per fill) rather than one per order. */
  readonly executionFills: boolean;
  /** Settlement currency when the configuration names none, and the perpetuals a process watches by default. */
  readonly settle: string;
  readonly defaultSymbols: readonly string[];
}

function base(config: CcxtVenueConfig): Record<string, unknown> {
  return config.marketType === 'swap'
    ? { defaultType: 'swap', defaultSubType: 'linear', defaultSettle: config.settleCurrency }
    : { defaultType: 'spot' };
}

const GENERIC: VenueProfile = {
  options: base,
  fetchOrderParams: {},
  clientIdLookup: 'fetchOrder',
  leverageParams: () => ({}),
  notModified: null,
  tradingStop: 'conditional-orders',
  stocks: null,
  venueClientId: (id) => id,
  marketOrderPrice: null,
  executionFills: false,
  settle: 'USDT',
  defaultSymbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT'],
};

const PROFILES: Readonly<Record<string, VenueProfile>> = {
  bybit: {
    ...GENERIC,
    options: (c) => ({ ...base(c), fetchMarkets: { types: ['spot', 'linear'] } }),
    fetchOrderParams: { acknowledged: true },
    clientIdLookup: 'bybit-order-link-id',
    notModified: /\b110043\b|leverage not modified/i,
    tradingStop: 'position',
  },
  binance: {
    ...GENERIC,
    options: (c) => ({
      ...base(c),
      fetchMarkets: { types: ['spot', 'linear'] },
      fetchMargins: false,
      warnOnFetchOpenOrdersWithoutSymbol: false,
      fetchOpenOrders: { warnWithoutSymbol: false },
      disableFuturesSandboxWarning: true,
    }),
  },
  okx: {
    ...GENERIC,
    options: (c) => ({ ...base(c), fetchMarkets: { types: ['spot', 'swap'] }, defaultMarginMode: c.marginMode }),
    leverageParams: (c) => ({ marginMode: c.marginMode }),
  },
  bitget: {
    ...GENERIC,
    // The classic v2 API; without this ccxt probes the UTA endpoints before the first call.
    options: (c) => ({ ...base(c), uta: false, fetchMarkets: { types: ['spot', 'swap'] } }),
    leverageParams: (c) => ({ marginMode: c.marginMode }),
    stocks: BITGET_STOCKS,
  },
  // US stocks (spot, cash in USD); its venue and market data are the adapters in ./alpaca.
  alpaca: { ...GENERIC, prepare: tradeStocks },
  hyperliquid: {
    ...GENERIC,
    // Perpetuals only (USDC-settled); the caller's margin mode goes with every leverage change.
    options: (c) => ({ defaultType: 'swap', fetchMarkets: { types: ['swap'] }, defaultSettle: c.settleCurrency }),
    leverageParams: (c) => ({ marginMode: c.marginMode }),
    venueClientId: hyperliquidCloid,
    marketOrderPrice: 'mid',
    executionFills: true,
    // Hyperliquid's trigger orders are not emulated or tested yet: refused rather than sent untested.
    tradingStop: 'none',
    settle: 'USDC',
    defaultSymbols: ['BTC/USDC:USDC', 'ETH/USDC:USDC', 'SOL/USDC:USDC'],
  },
};

export function profileOf(exchangeId: string): VenueProfile {
  return PROFILES[exchangeId] ?? GENERIC;
}
