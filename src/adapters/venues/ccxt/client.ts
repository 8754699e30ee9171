import type { Exchange } from 'ccxt';
import type { CcxtVenueConfig, VenueCredentials } from './config.js';
import { toVenueError } from './errors.js';
import { createExchange } from './exchange.js';
import {
  type CcxtBalanceAccount,
  CcxtBalanceAccountSchema,
  type CcxtFundingRate,
  CcxtFundingRateSchema,
  type CcxtMarket,
  CcxtMarketSchema,
  type CcxtMyTrade,
  CcxtMyTradeSchema,
  type CcxtOhlcv,
  CcxtOhlcvSchema,
  type CcxtOpenInterest,
  CcxtOpenInterestSchema,
  type CcxtOrder,
  type CcxtOrderBook,
  CcxtOrderBookSchema,
  CcxtOrderSchema,
  type CcxtPosition,
  CcxtPositionSchema,
  type CcxtTicker,
  CcxtTickerSchema,
  type CcxtTrade,
  CcxtTradeSchema,
  parseEach,
  parseOne,
} from './schemas.js';

type Params = Record<string, unknown>;

/** An order answer without its symbol (Hyperliquid's `{resting: {oid}}`) is on the symbol it was sent for. */
function onSymbol(order: unknown, symbol: string): unknown {
  if (!order || typeof order !== 'object') return order;
  const o = order as { symbol?: unknown };
  return typeof o.symbol === 'string' ? order : { ...order, symbol };
}

export interface CcxtBalance {
  readonly accounts: Readonly<Record<string, CcxtBalanceAccount>>;
  readonly info: unknown;
}

/**
 * Thin over ccxt: one method per endpoint Arbiter uses, answers parsed with the zod schemas, every failure turned
 * into a VenueError whose message has been stripped of credentials and signatures.
 */
export class CcxtClient {
  readonly exchange: Exchange;

  constructor(
    readonly config: CcxtVenueConfig,
    private readonly creds?: VenueCredentials,
  ) {
    this.exchange = createExchange(config, creds);
  }

  get id(): string {
    return this.config.exchangeId;
  }

  async loadMarkets(reload = false): Promise<CcxtMarket[]> {
    const markets = await this.call(() => this.exchange.loadMarkets(reload));
    return parseEach(CcxtMarketSchema, Object.values(markets));
  }

  /** A loaded market by unified symbol (loads markets once). */
  async market(symbol: string): Promise<CcxtMarket | null> {
    await this.loadMarkets();
    return parseOne(CcxtMarketSchema, this.exchange.markets?.[symbol]);
  }

  async fetchTicker(symbol: string): Promise<CcxtTicker | null> {
    return parseOne(CcxtTickerSchema, await this.call(() => this.exchange.fetchTicker(symbol)));
  }

  async fetchOHLCV(symbol: string, timeframe: string, limit: number): Promise<CcxtOhlcv[]> {
    return parseEach(
      CcxtOhlcvSchema,
      await this.call(() => this.exchange.fetchOHLCV(symbol, timeframe, undefined, limit)),
    );
  }

  async fetchOrderBook(symbol: string, limit?: number): Promise<CcxtOrderBook | null> {
    return parseOne(CcxtOrderBookSchema, await this.call(() => this.exchange.fetchOrderBook(symbol, limit)));
  }

  async fetchFundingRateHistory(symbol: string, limit: number): Promise<CcxtFundingRate[]> {
    const rows = await this.call(() => this.exchange.fetchFundingRateHistory(symbol, undefined, limit));
    return parseEach(CcxtFundingRateSchema, rows);
  }

  async fetchOpenInterest(symbol: string): Promise<CcxtOpenInterest | null> {
    return parseOne(CcxtOpenInterestSchema, await this.call(() => this.exchange.fetchOpenInterest(symbol)));
  }

  async fetchTrades(symbol: string, limit: number): Promise<CcxtTrade[]> {
    return parseEach(CcxtTradeSchema, await this.call(() => this.exchange.fetchTrades(symbol, undefined, limit)));
  }

  /** The account's own executions on a symbol (Hyperliquid: `userFills`), oldest first. */
  async fetchMyTrades(symbol: string): Promise<CcxtMyTrade[]> {
    return parseEach(CcxtMyTradeSchema, await this.call(() => this.exchange.fetchMyTrades(symbol)));
  }

  async fetchBalance(): Promise<CcxtBalance> {
    const raw = (await this.call(() => this.exchange.fetchBalance())) as unknown as Record<string, unknown>;
    const accounts: Record<string, CcxtBalanceAccount> = {};
    for (const [code, value] of Object.entries(raw)) {
      if (code === 'info' || code === 'free' || code === 'used' || code === 'total') continue;
      const account = parseOne(CcxtBalanceAccountSchema, value);
      if (account) accounts[code] = account;
    }
    return { accounts, info: raw.info };
  }

  async fetchPositions(symbols?: string[]): Promise<CcxtPosition[]> {
    return parseEach(CcxtPositionSchema, await this.call(() => this.exchange.fetchPositions(symbols)));
  }

  async createOrder(
    symbol: string,
    type: 'market' | 'limit',
    side: 'buy' | 'sell',
    amount: number | undefined,
    price: number | undefined,
    params: Params,
  ): Promise<CcxtOrder | null> {
    const o = await this.call(() => this.exchange.createOrder(symbol, type, side, amount as number, price, params));
    return parseOne(CcxtOrderSchema, onSymbol(o, symbol));
  }

  async editOrder(
    id: string,
    symbol: string,
    type: 'market' | 'limit',
    side: 'buy' | 'sell',
    amount: number,
    price: number | undefined,
    params: Params = {},
  ): Promise<CcxtOrder | null> {
    const o = await this.call(() => this.exchange.editOrder(id, symbol, type, side, amount, price, params));
    return parseOne(CcxtOrderSchema, onSymbol(o, symbol));
  }

  async cancelOrder(id: string, symbol: string, params: Params = {}): Promise<void> {
    await this.call(() => this.exchange.cancelOrder(id, symbol, params));
  }

  async fetchOrder(id: string, symbol: string, params: Params = {}): Promise<CcxtOrder | null> {
    return parseOne(CcxtOrderSchema, await this.call(() => this.exchange.fetchOrder(id, symbol, params)));
  }

  async fetchOpenOrders(symbol?: string, limit?: number, params: Params = {}): Promise<CcxtOrder[]> {
    const rows = await this.call(() => this.exchange.fetchOpenOrders(symbol, undefined, limit, params));
    return parseEach(CcxtOrderSchema, rows);
  }

  /** Filled and cancelled orders (ccxt's fetchClosedOrders is filled-only on some venues). */
  async fetchClosedOrders(symbol?: string, limit?: number, params: Params = {}): Promise<CcxtOrder[]> {
    const has = this.exchange.has;
    const rows = await this.call(async () => {
      if (has.fetchCanceledAndClosedOrders) {
        return this.exchange.fetchCanceledAndClosedOrders(symbol, undefined, limit, params);
      }
      const closed = await this.exchange.fetchClosedOrders(symbol, undefined, limit, params);
      if (!has.fetchCanceledOrders) return closed;
      return [...closed, ...(await this.exchange.fetchCanceledOrders(symbol, undefined, limit, params))];
    });
    return parseEach(CcxtOrderSchema, rows);
  }

  async cancelAllOrders(symbol: string): Promise<void> {
    await this.call(() => this.exchange.cancelAllOrders(symbol));
  }

  /** Whether the venue cancels all orders of a symbol in one call (OKX does not). */
  get canCancelAll(): boolean {
    return Boolean(this.exchange.has.cancelAllOrders);
  }

  async setLeverage(leverage: number, symbol: string, params: Params = {}): Promise<void> {
    await this.call(() => this.exchange.setLeverage(leverage, symbol, params));
  }

  /** A venue endpoint ccxt exposes only through its implicit API (e.g. Bybit `privatePostV5PositionTradingStop`). */
  async implicit(method: string, params: Params): Promise<unknown> {
    const fn = (this.exchange as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') throw toVenueError(new Error(`${this.id} has no endpoint method ${method}`));
    return this.call(() => (fn as (p: Params) => Promise<unknown>).call(this.exchange, params));
  }

  /**
   * An endpoint ccxt does not describe, sent through ccxt's own signing and error mapping (e.g. Alpaca
   * `GET v2/orders:by_client_order_id` on its `trader` API).
   */
  async request(
    path: string,
    api: readonly [string, string],
    method: 'GET' | 'POST' | 'DELETE',
    params: Params,
  ): Promise<unknown> {
    return this.call(() => this.exchange.request(path, [...api], method, params) as Promise<unknown>);
  }

  priceToPrecision(symbol: string, price: number): string {
    return String(this.exchange.priceToPrecision(symbol, price));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toVenueError(err, this.creds);
    }
  }
}
