import type { Side, TimeInForce } from '../core/firewall/types.js';

export type OrderStatus = 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';

/** An order as sent to a venue: already vetted and sized at the effective quantity. */
export interface VenueOrderRequest {
  readonly accountId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: 'market' | 'limit';
  readonly quantity: number;
  readonly limitPrice: number | null;
  readonly timeInForce: TimeInForce;
  readonly reduceOnly: boolean;
  readonly leverage: number | null;
}

export interface VenueFill {
  readonly fillId: string;
  readonly orderId: string;
  readonly ts: number;
  readonly price: number;
  readonly quantity: number;
  readonly fee: number;
  readonly liquidity: 'maker' | 'taker';
}

export interface VenueOrder {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: 'market' | 'limit';
  readonly quantity: number;
  readonly filledQuantity: number;
  readonly avgFillPrice: number | null;
  readonly limitPrice: number | null;
  readonly status: OrderStatus;
  readonly reduceOnly: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly fills: readonly VenueFill[];
}

export interface VenuePosition {
  readonly symbol: string;
  /** Signed base quantity. */
  readonly quantity: number;
  readonly entryPrice: number;
  readonly markPrice: number;
  readonly unrealizedPnl: number;
  readonly leverage: number;
  readonly liquidationPrice: number | null;
  readonly margin: number;
}

export interface VenueBalance {
  readonly currency: string;
  readonly total: number;
  readonly free: number;
  readonly used: number;
  /** Total account equity in the quote currency (cash + unrealised P&L). */
  readonly equity: number;
}

export interface VenueAccountSnapshot {
  readonly balance: VenueBalance;
  readonly positions: readonly VenuePosition[];
  readonly orders: readonly VenueOrder[];
}

/** A venue failure, mapped to a stable code. Thrown by adapters; the service records it as the order outcome. */
export class VenueError extends Error {
  constructor(
    readonly code:
      | 'INSUFFICIENT_BALANCE'
      | 'RATE_LIMITED'
      | 'AUTH_FAILED'
      | 'EXCHANGE_DOWN'
      | 'ORDER_NOT_FOUND'
      | 'INVALID_ORDER'
      | 'TIMEOUT'
      | 'UNKNOWN',
    message: string,
    readonly retryable = false,
  ) {
    super(`${code}: ${message}`);
    this.name = 'VenueError';
  }
}

/** The one port every venue implements: the paper exchange and each live venue. */
export interface Venue {
  readonly name: string;
  readonly live: boolean;
  placeOrder(req: VenueOrderRequest): Promise<VenueOrder>;
  cancelOrder(accountId: string, orderId: string): Promise<VenueOrder>;
  amendOrder(
    accountId: string,
    orderId: string,
    changes: { readonly quantity?: number; readonly limitPrice?: number },
  ): Promise<VenueOrder>;
  /** Look an order up by the client order id (used to resolve timeouts without re-sending). */
  orderByClientId(accountId: string, clientOrderId: string): Promise<VenueOrder | null>;
  openOrders(accountId: string, symbol?: string): Promise<readonly VenueOrder[]>;
  orderHistory(accountId: string, limit: number): Promise<readonly VenueOrder[]>;
  positions(accountId: string): Promise<readonly VenuePosition[]>;
  balance(accountId: string): Promise<VenueBalance>;
  /**
   * The account as one view: balance, positions, and the venue's state of the given orders (by client order id;
   * orders the venue does not know are left out). A venue that can read all of it at once does (the paper
   * exchange); otherwise the orders are read first, so that a fill landing in between shows in the positions
   * (counted twice for a moment) rather than in neither.
   */
  accountSnapshot(accountId: string, clientOrderIds: readonly string[]): Promise<VenueAccountSnapshot>;
  setLeverage(accountId: string, symbol: string, leverage: number): Promise<void>;
  setTradingStop(
    accountId: string,
    symbol: string,
    stops: { readonly takeProfit?: number | null; readonly stopLoss?: number | null },
  ): Promise<void>;
}
