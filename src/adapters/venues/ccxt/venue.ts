import { parseSymbol } from '../../../core/market/symbols.js';
import {
  type Venue,
  type VenueAccountSnapshot,
  type VenueBalance,
  VenueError,
  type VenueOrder,
  type VenueOrderRequest,
  type VenuePosition,
} from '../../../ports/venue.js';
import type { CcxtClient } from './client.js';
import { walletAndEquity } from './equity.js';
import { contractSizeOf, toVenuePosition } from './mapper.js';
import { OrderLookup, type TradesBySymbol } from './order-lookup.js';
import { profileOf, type VenueProfile } from './profiles.js';
import type { CcxtMarket, CcxtOrder } from './schemas.js';
import { type StopChange, setConditionalStops, setPositionStops } from './trading-stop.js';

/**
 * A live venue through ccxt. One instance trades one venue account (its credentials); `accountId` is Arbiter's
 * name for it and is not sent anywhere. Quantities are base units; contract venues are converted at this edge.
 */
/** In-flight orders looked up per account view (the newest; older ones are resolved by the reconciler). */
const SNAPSHOT_ORDER_LOOKUPS = 20;

export class CcxtVenue implements Venue {
  readonly name: string;
  readonly live: boolean;
  private readonly profile: VenueProfile;
  private readonly lookup: OrderLookup;

  constructor(private readonly client: CcxtClient) {
    this.name = client.config.mode === 'live' ? client.id : `${client.id}-${client.config.mode}`;
    this.live = client.config.mode === 'live';
    this.profile = profileOf(client.id);
    this.lookup = new OrderLookup(client, this.profile);
  }

  async placeOrder(req: VenueOrderRequest): Promise<VenueOrder> {
    const market = await this.market(req.symbol);
    const symbol = market.symbol;
    const size = contractSizeOf(market);
    // Idempotency: a client order id this process already sent is looked up, never sent again.
    if (this.lookup.index.symbolOfClient(req.clientOrderId) !== undefined) {
      const existing = await this.lookup.byClientId(req.clientOrderId);
      if (existing) return sameOrderOrThrow(existing, symbol, req);
    }
    if (req.leverage !== null && market.swap) await this.ensureLeverage(symbol, req.leverage);
    this.lookup.index.rememberClient(req.clientOrderId, symbol);
    const params: Record<string, unknown> = { clientOrderId: this.lookup.venueClientId(req.clientOrderId) };
    if (req.reduceOnly && market.swap) params.reduceOnly = true;
    if (req.type === 'limit') {
      if (req.timeInForce === 'PO') params.postOnly = true;
      else params.timeInForce = req.timeInForce;
    }
    const amount = Number((req.quantity / size).toPrecision(12));
    const price = req.type === 'market' ? await this.marketOrderPrice(symbol) : (req.limitPrice ?? undefined);
    let created: CcxtOrder | null;
    try {
      created = await this.client.createOrder(symbol, req.type, req.side, amount, price, params);
    } catch (err) {
      // A timeout is never resent: the caller resolves it with orderByClientId.
      if (!(err instanceof VenueError) || (err.code !== 'INVALID_ORDER' && err.code !== 'UNKNOWN')) throw err;
      const existing = await this.lookup.byClientId(req.clientOrderId).catch(() => null);
      if (existing) return sameOrderOrThrow(existing, symbol, req);
      throw err;
    }
    if (!created) throw new VenueError('UNKNOWN', `${this.client.id} answered an order placement without an order id`);
    this.lookup.index.rememberOrder(created.id, symbol);
    const full = await this.lookup.fetch(created.id, symbol).catch(() => null);
    return full ?? fromRequest(req, symbol, created.id);
  }

  async cancelOrder(_accountId: string, orderId: string): Promise<VenueOrder> {
    const symbol = await this.lookup.symbolOfOrder(orderId);
    await this.client.cancelOrder(orderId, symbol);
    const order = await this.lookup.fetch(orderId, symbol);
    if (!order) throw new VenueError('UNKNOWN', `order ${orderId} cancelled but could not be read back`);
    return order;
  }

  async amendOrder(
    _accountId: string,
    orderId: string,
    changes: { readonly quantity?: number; readonly limitPrice?: number },
  ): Promise<VenueOrder> {
    const symbol = await this.lookup.symbolOfOrder(orderId);
    const current = await this.lookup.fetch(orderId, symbol);
    if (!current || (current.status !== 'open' && current.status !== 'partially_filled')) {
      throw new VenueError('INVALID_ORDER', `order ${orderId} is not open`);
    }
    if (current.type !== 'limit') throw new VenueError('INVALID_ORDER', `order ${orderId} is not a limit order`);
    const size = contractSizeOf(await this.market(symbol));
    const quantity = changes.quantity ?? current.quantity;
    const price = changes.limitPrice ?? current.limitPrice ?? undefined;
    const amount = Number((quantity / size).toPrecision(12));
    const edited = await this.client.editOrder(orderId, symbol, 'limit', current.side, amount, price);
    const id = edited?.id ?? orderId;
    this.lookup.index.rememberOrder(id, symbol);
    const order = await this.lookup.fetch(id, symbol);
    if (!order) throw new VenueError('UNKNOWN', `order ${id} amended but could not be read back`);
    return order;
  }

  orderByClientId(_accountId: string, clientOrderId: string): Promise<VenueOrder | null> {
    return this.lookup.byClientId(clientOrderId);
  }

  async openOrders(_accountId: string, symbol?: string): Promise<readonly VenueOrder[]> {
    if (symbol === undefined) return this.lookup.open();
    const market = await this.marketOrNull(symbol);
    return market ? this.lookup.open(market.symbol) : [];
  }

  orderHistory(_accountId: string, limit: number): Promise<readonly VenueOrder[]> {
    return this.lookup.history(limit);
  }

  /** Not atomic at a live venue: the orders are read first (see the port), then balance and positions. */
  async accountSnapshot(accountId: string, clientOrderIds: readonly string[]): Promise<VenueAccountSnapshot> {
    const orders: VenueOrder[] = [];
    const trades: TradesBySymbol = new Map();
    // The most recent in-flight orders: a bounded number of lookups per view.
    for (const id of clientOrderIds.slice(-SNAPSHOT_ORDER_LOOKUPS)) {
      const o = await this.lookup.byClientId(id, trades).catch(() => null);
      if (o) orders.push(o);
    }
    const [balance, positions] = await Promise.all([this.balance(accountId), this.positions(accountId)]);
    return { balance, positions, orders };
  }

  async positions(_accountId: string): Promise<readonly VenuePosition[]> {
    const markets = await this.client.loadMarkets();
    const sizes = new Map(markets.map((m) => [m.symbol, contractSizeOf(m)]));
    const out: VenuePosition[] = [];
    for (const p of await this.client.fetchPositions()) {
      const mapped = toVenuePosition(p, sizes.get(p.symbol) ?? 1);
      if (mapped) out.push(mapped);
    }
    return out;
  }

  /** total = wallet (cash), equity = wallet + unrealised P&L, free = what the venue says is available, used = rest. */
  async balance(accountId: string): Promise<VenueBalance> {
    const currency = this.client.config.settleCurrency;
    const { accounts, info } = await this.client.fetchBalance();
    const a = accounts[currency] ?? {};
    let known = walletAndEquity(this.client.id, info, currency);
    if (!known) {
      const upnl = (await this.positions(accountId)).reduce((s, p) => s + p.unrealizedPnl, 0);
      known = { wallet: a.total ?? 0, equity: (a.total ?? 0) + upnl };
    }
    const total = known.wallet;
    const free = Math.min(Math.max(0, a.free ?? total - (a.used ?? 0)), total);
    return { currency, total, free, used: total - free, equity: known.equity };
  }

  async setLeverage(_accountId: string, symbol: string, leverage: number): Promise<void> {
    const unified = (await this.market(symbol)).symbol;
    try {
      await this.client.setLeverage(leverage, unified, this.profile.leverageParams(this.client.config));
    } catch (err) {
      if (!(err instanceof VenueError && this.profile.notModified?.test(err.message))) throw err;
    }
    this.lookup.index.rememberLeverage(unified, leverage);
  }

  async setTradingStop(_accountId: string, symbol: string, stops: StopChange): Promise<void> {
    const market = await this.market(symbol);
    if (!market.swap) throw new VenueError('INVALID_ORDER', `take-profit / stop-loss need a perpetual, not ${symbol}`);
    if (this.profile.tradingStop === 'none') {
      throw new VenueError(
        'INVALID_ORDER',
        `take-profit / stop-loss are not offered on ${this.client.id} by Arbiter yet`,
      );
    }
    if (this.profile.tradingStop === 'position') return setPositionStops(this.client, market, stops);
    const position = (await this.client.fetchPositions([market.symbol])).find((p) => (p.contracts ?? 0) > 0) ?? null;
    return setConditionalStops(this.client, market, position, stops);
  }

  /** Not in the port: cancels every open order (of one symbol, or all), one venue call per symbol where possible. */
  async cancelAllOrders(accountId: string, symbol?: string): Promise<void> {
    const open = await this.openOrders(accountId, symbol);
    for (const s of new Set(open.map((o) => o.symbol))) {
      if (this.client.canCancelAll) await this.client.cancelAllOrders(s);
      else for (const o of open.filter((x) => x.symbol === s)) await this.client.cancelOrder(o.orderId, s);
    }
  }

  /** Not in the port: a reduce-only market order for the whole position; null when flat. */
  async closePosition(accountId: string, symbol: string, clientOrderId: string): Promise<VenueOrder | null> {
    const unified = (await this.market(symbol)).symbol;
    const p = (await this.positions(accountId)).find((x) => x.symbol === unified);
    if (!p || p.quantity === 0) return null;
    return this.placeOrder({
      accountId,
      clientOrderId,
      symbol: unified,
      side: p.quantity > 0 ? 'sell' : 'buy',
      type: 'market',
      quantity: Math.abs(p.quantity),
      limitPrice: null,
      timeInForce: 'IOC',
      reduceOnly: true,
      leverage: null,
    });
  }

  /**
   * The price a market order is sent with: none, except on venues whose market orders are limit orders bounded by
   * a price (Hyperliquid: ccxt sends an IOC limit at this mid ± its 5% default slippage). The mid of the book's
   * best bid and ask (Hyperliquid weighs a book read 2, a ticker read 20, against its request budget).
   */
  private async marketOrderPrice(symbol: string): Promise<number | undefined> {
    if (this.profile.marketOrderPrice !== 'mid') return undefined;
    const book = await this.client.fetchOrderBook(symbol, 1);
    const bid = book?.bids[0]?.[0];
    const ask = book?.asks[0]?.[0];
    if (!(bid && ask && bid > 0 && ask >= bid)) {
      throw new VenueError('EXCHANGE_DOWN', `${this.client.id} gave no two-sided book for ${symbol}`, true);
    }
    return (bid + ask) / 2;
  }

  private async ensureLeverage(symbol: string, leverage: number): Promise<void> {
    if (this.lookup.index.leverage(symbol) === leverage) return;
    await this.setLeverage(this.client.config.accountId, symbol, leverage);
  }

  /** Accepts unified and exchange-native names (`BTCUSDT.P`); throws INVALID_ORDER for unknown markets. */
  private async market(symbol: string): Promise<CcxtMarket> {
    const market = await this.marketOrNull(symbol);
    if (!market) throw new VenueError('INVALID_ORDER', `${this.client.id} has no market ${symbol}`);
    return market;
  }

  private async marketOrNull(symbol: string): Promise<CcxtMarket | null> {
    const unified = parseSymbol(symbol)?.symbol ?? symbol;
    return (await this.client.market(unified)) ?? (await this.client.market(symbol));
  }
}

function sameOrderOrThrow(existing: VenueOrder, symbol: string, req: VenueOrderRequest): VenueOrder {
  if (existing.symbol === symbol && existing.side === req.side) return existing;
  throw new VenueError('INVALID_ORDER', `client order id ${req.clientOrderId} is already used by another order`);
}

/** What we know of an order the venue accepted but has not shown us yet. */
function fromRequest(req: VenueOrderRequest, symbol: string, orderId: string): VenueOrder {
  const now = Date.now();
  return {
    orderId,
    clientOrderId: req.clientOrderId,
    symbol,
    side: req.side,
    type: req.type,
    quantity: req.quantity,
    filledQuantity: 0,
    avgFillPrice: null,
    limitPrice: req.limitPrice,
    status: 'open',
    reduceOnly: req.reduceOnly,
    createdAt: now,
    updatedAt: now,
    fills: [],
  };
}
