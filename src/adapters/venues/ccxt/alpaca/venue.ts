import { sessionAt } from '../../../../core/market/calendar/session.js';
import { parseSymbol } from '../../../../core/market/symbols.js';
import {
  type Venue,
  type VenueAccountSnapshot,
  type VenueBalance,
  VenueError,
  type VenueOrder,
  type VenueOrderRequest,
  type VenuePosition,
} from '../../../../ports/venue.js';
import type { CcxtClient } from '../client.js';
import { toVenueOrder } from '../mapper.js';
import { notFoundAsNull } from '../order-lookup.js';
import { type CcxtOrder, CcxtOrderSchema, parseOne } from '../schemas.js';
import { toVenueBalance } from './account.js';
import { longOnlyQuantity, SHARE_EPSILON } from './long-only.js';
import { assetOf, US_EQUITY_CALENDAR } from './markets.js';
import { AlpacaAccountSchema, type AlpacaPosition, AlpacaPositionSchema } from './schemas.js';

const TRADER = ['trader', 'private'] as const;
const SNAPSHOT_ORDER_LOOKUPS = 20;
/** Alpaca lists at most 500 orders a page (50 when no limit is asked). */
const MAX_ORDERS_PAGE = 500;

/**
 * US stocks on Alpaca through ccxt's `alpaca` exchange (paper or live endpoint by the venue mode). Long only:
 * Arbiter never opens a short here, so a sell larger than the shares held is refused before it is sent, and a
 * reduce-only sell is cut to the shares held. Orders carry Alpaca's session rules: outside the regular session
 * (and only in Alpaca's extended hours, 4:00–9:30 and after the close until 20:00 New York time) an order goes as a
 * limit DAY order with `extended_hours: true`; the firewall's MARKET_CLOSED gate decides beforehand whether the
 * mandate allows that at all.
 */
export class AlpacaVenue implements Venue {
  readonly name: string;
  readonly live: boolean;

  constructor(
    private readonly client: CcxtClient,
    private readonly now: () => number = Date.now,
  ) {
    this.live = client.config.mode === 'live';
    this.name = this.live ? 'alpaca' : 'alpaca-paper';
  }

  /**
   * Idempotent by client order id without a look-up per order: Alpaca refuses a client order id it has seen, so a
   * refusal (here or at the venue) is followed by one look-up, and an order already sent under the id is returned.
   */
  async placeOrder(req: VenueOrderRequest): Promise<VenueOrder> {
    const symbol = await this.symbol(req.symbol);
    let created: CcxtOrder | null;
    try {
      const quantity = await this.longOnly(req, symbol);
      const params = this.orderParams(req, symbol, quantity);
      created = await this.client.createOrder(
        symbol,
        req.type,
        req.side,
        quantity,
        req.limitPrice ?? undefined,
        params,
      );
    } catch (err) {
      if (!(err instanceof VenueError) || (err.code !== 'INVALID_ORDER' && err.code !== 'UNKNOWN')) throw err;
      const existing = await this.orderByClientId(req.accountId, req.clientOrderId).catch(() => null);
      if (!existing) throw err;
      if (existing.symbol === symbol && existing.side === req.side) return existing;
      throw new VenueError('INVALID_ORDER', `client order id ${req.clientOrderId} is already used by another order`);
    }
    const order = created ? ((await this.fetch(created.id)) ?? this.map(created)) : null;
    if (!order) throw new VenueError('UNKNOWN', 'alpaca answered an order placement without a readable order');
    return order;
  }

  async cancelOrder(_accountId: string, orderId: string): Promise<VenueOrder> {
    // Alpaca answers a cancel with 204 and no order; the order is read back.
    await this.client.request('v2/orders/{order_id}', TRADER, 'DELETE', { order_id: orderId });
    const order = await this.fetch(orderId);
    if (!order) throw new VenueError('UNKNOWN', `order ${orderId} cancelled but could not be read back`);
    return order;
  }

  async amendOrder(
    _accountId: string,
    orderId: string,
    changes: { readonly quantity?: number; readonly limitPrice?: number },
  ): Promise<VenueOrder> {
    const current = await this.fetch(orderId);
    if (!current) throw new VenueError('ORDER_NOT_FOUND', `order ${orderId} not found on alpaca`);
    if (current.status !== 'open' && current.status !== 'partially_filled')
      throw new VenueError('INVALID_ORDER', `order ${orderId} is not open`);
    if (current.type !== 'limit') throw new VenueError('INVALID_ORDER', `order ${orderId} is not a limit order`);
    const quantity = changes.quantity ?? current.quantity;
    const price = changes.limitPrice ?? current.limitPrice ?? undefined;
    // Alpaca replaces the order: the old id ends `replaced`, the new one carries the client id given here.
    const edited = await this.client.editOrder(orderId, current.symbol, 'limit', current.side, quantity, price, {
      timeInForce: this.tif(current.symbol, quantity, 'GTC'),
      clientOrderId: `${current.clientOrderId.slice(0, 40)}-r${Date.now().toString(36)}`,
    });
    const order = edited ? await this.fetch(edited.id) : null;
    if (!order) throw new VenueError('UNKNOWN', `order ${orderId} amended but could not be read back`);
    return order;
  }

  async orderByClientId(_accountId: string, clientOrderId: string): Promise<VenueOrder | null> {
    const raw = await notFoundAsNull(() =>
      this.client.request('v2/orders:by_client_order_id', TRADER, 'GET', { client_order_id: clientOrderId }),
    );
    if (raw === null) return null;
    const o = this.parse(raw);
    return o && o.clientOrderId === clientOrderId ? o : null;
  }

  async openOrders(_accountId: string, symbol?: string): Promise<readonly VenueOrder[]> {
    if (symbol === undefined) return this.mapAll(await this.client.fetchOpenOrders(undefined, MAX_ORDERS_PAGE));
    const unified = await this.symbolOrNull(symbol);
    return unified ? this.mapAll(await this.client.fetchOpenOrders(unified, MAX_ORDERS_PAGE)) : [];
  }

  async orderHistory(_accountId: string, limit: number): Promise<readonly VenueOrder[]> {
    // Alpaca lists at most 500 orders a page.
    const page = Math.min(Math.max(1, Math.floor(limit)), MAX_ORDERS_PAGE);
    const rows = await this.client.request('v2/orders', TRADER, 'GET', {
      status: 'all',
      limit: page,
      direction: 'desc',
    });
    const out: VenueOrder[] = [];
    for (const row of Array.isArray(rows) ? rows : []) {
      const o = this.parse(row);
      if (o) out.push(o);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt || b.updatedAt - a.updatedAt).slice(0, limit);
  }

  async accountSnapshot(accountId: string, clientOrderIds: readonly string[]): Promise<VenueAccountSnapshot> {
    const orders: VenueOrder[] = [];
    for (const id of clientOrderIds.slice(-SNAPSHOT_ORDER_LOOKUPS)) {
      const o = await this.orderByClientId(accountId, id).catch(() => null);
      if (o) orders.push(o);
    }
    const positions = await this.positions(accountId);
    return { balance: await this.balanceWith(positions), positions, orders };
  }

  async positions(_accountId: string): Promise<readonly VenuePosition[]> {
    const out: VenuePosition[] = [];
    for (const p of await this.rawPositions()) {
      const symbol = this.client.exchange.markets_by_id?.[p.symbol]?.[0]?.symbol ?? `${p.symbol}/USD`;
      const quantity = Math.abs(p.qty) * (p.side === 'long' ? 1 : -1);
      if (quantity === 0) continue;
      out.push({
        symbol,
        quantity,
        entryPrice: p.avg_entry_price,
        markPrice: p.current_price ?? p.avg_entry_price,
        unrealizedPnl: p.unrealized_pl ?? 0,
        leverage: 1,
        liquidationPrice: null,
        margin: Math.abs(p.cost_basis),
      });
    }
    return out;
  }

  /** See toVenueBalance: free cash is never margin buying power. */
  async balance(accountId: string): Promise<VenueBalance> {
    return this.balanceWith(await this.positions(accountId));
  }

  private async balanceWith(positions: readonly VenuePosition[]): Promise<VenueBalance> {
    const raw = await this.client.request('v2/account', TRADER, 'GET', {});
    const a = AlpacaAccountSchema.safeParse(raw);
    if (!a.success) throw new VenueError('UNKNOWN', 'alpaca answered /v2/account with an unreadable account');
    return toVenueBalance(
      a.data,
      positions.reduce((s, p) => s + p.unrealizedPnl, 0),
    );
  }

  /** Alpaca stocks trade without leverage here: 1 is accepted (nothing to set), anything else refused. */
  async setLeverage(_accountId: string, symbol: string, leverage: number): Promise<void> {
    await this.symbol(symbol);
    if (leverage !== 1) throw new VenueError('INVALID_ORDER', `alpaca stocks trade at leverage 1, not ${leverage}`);
  }

  async setTradingStop(): Promise<void> {
    throw new VenueError('INVALID_ORDER', 'take-profit / stop-loss are not offered on alpaca stocks by Arbiter');
  }

  /** Not in the port: cancels every open order (of one symbol, or all). */
  async cancelAllOrders(accountId: string, symbol?: string): Promise<void> {
    for (const o of await this.openOrders(accountId, symbol)) await this.cancelOrder(accountId, o.orderId);
  }

  /** Not in the port: a market sell of the whole long position; null when flat. */
  async closePosition(accountId: string, symbol: string, clientOrderId: string): Promise<VenueOrder | null> {
    const unified = await this.symbol(symbol);
    const p = (await this.positions(accountId)).find((x) => x.symbol === unified);
    if (!p || p.quantity <= 0) return null;
    return this.placeOrder({
      accountId,
      clientOrderId,
      symbol: unified,
      side: 'sell',
      type: 'market',
      quantity: p.quantity,
      limitPrice: null,
      timeInForce: 'GTC',
      reduceOnly: true,
      leverage: null,
    });
  }

  /** The quantity to send: a sell never takes the position below zero. */
  private async longOnly(req: VenueOrderRequest, symbol: string): Promise<number> {
    // A plain buy needs no position: one venue call fewer under Alpaca's rate limit.
    if (req.side === 'buy' && !req.reduceOnly) return req.quantity;
    const held = (await this.rawPositions()).find((p) => this.symbolOfId(p.symbol) === symbol);
    const r = longOnlyQuantity(symbol, req.side, req.reduceOnly, req.quantity, held?.side === 'long' ? held.qty : 0);
    if (!r.ok) throw new VenueError('INVALID_ORDER', r.message);
    return r.quantity;
  }

  private orderParams(req: VenueOrderRequest, symbol: string, quantity: number): Record<string, unknown> {
    const params: Record<string, unknown> = { clientOrderId: req.clientOrderId };
    if (req.type === 'limit' && req.timeInForce === 'PO')
      throw new VenueError('INVALID_ORDER', 'alpaca has no post-only orders; use GTC, IOC or FOK');
    const tif = this.tif(symbol, quantity, req.timeInForce);
    const phase = sessionAt(US_EQUITY_CALENDAR, this.now()).phase;
    if (phase === 'extended') {
      if (req.type !== 'limit')
        throw new VenueError(
          'INVALID_ORDER',
          `alpaca takes only limit DAY orders in extended hours (4:00–9:30 and after the close until 20:00 New York); ${req.type} ${symbol} refused`,
        );
      return { ...params, timeInForce: 'day', extended_hours: true };
    }
    return { ...params, timeInForce: req.type === 'market' ? 'day' : tif };
  }

  /**
   * Alpaca's time in force: a fractional quantity only DAY, and only on a `fractionable` stock (checked here: ccxt
   * would round 1.5 shares down to 1 without a word).
   */
  private tif(symbol: string, quantity: number, tif: VenueOrderRequest['timeInForce']): string {
    if (!(Math.abs(quantity - Math.round(quantity)) > SHARE_EPSILON))
      return tif === 'IOC' ? 'ioc' : tif === 'FOK' ? 'fok' : 'gtc';
    const asset = assetOf(this.client.exchange.markets?.[symbol]);
    if (!asset?.fractionable)
      throw new VenueError('INVALID_ORDER', `${symbol} trades in whole shares only on alpaca, not ${quantity}`);
    return 'day';
  }

  private async rawPositions(): Promise<AlpacaPosition[]> {
    await this.client.loadMarkets();
    const rows = await this.client.request('v2/positions', TRADER, 'GET', {});
    const out: AlpacaPosition[] = [];
    for (const row of Array.isArray(rows) ? rows : []) {
      const p = AlpacaPositionSchema.safeParse(row);
      if (p.success) out.push(p.data);
    }
    return out;
  }

  private symbolOfId(id: string): string {
    return this.client.exchange.markets_by_id?.[id]?.[0]?.symbol ?? `${id}/USD`;
  }

  private async fetch(orderId: string): Promise<VenueOrder | null> {
    const o = await notFoundAsNull(() => this.client.fetchOrder(orderId, ''));
    return o ? this.map(o) : null;
  }

  private parse(raw: unknown): VenueOrder | null {
    const o = parseOne(CcxtOrderSchema, this.client.exchange.parseOrder(raw as Record<string, unknown>));
    return o ? this.map(o) : null;
  }

  /** ccxt leaves Alpaca's `updated_at` out of the unified order; it is when a cancel or replace happened. */
  private map(o: CcxtOrder): VenueOrder | null {
    const info = o.info as { updated_at?: unknown } | null;
    const updated = typeof info?.updated_at === 'string' ? Date.parse(info.updated_at) : Number.NaN;
    return toVenueOrder(Number.isFinite(updated) ? { ...o, lastUpdateTimestamp: updated } : o, 1);
  }

  private mapAll(rows: readonly CcxtOrder[]): VenueOrder[] {
    const out: VenueOrder[] = [];
    for (const o of rows) {
      const m = this.map(o);
      if (m) out.push(m);
    }
    return out;
  }

  /** Accepts `AAPL/USD` and Alpaca's own `AAPL`; INVALID_ORDER for a symbol Alpaca does not list as tradable. */
  private async symbol(symbol: string): Promise<string> {
    const unified = await this.symbolOrNull(symbol);
    if (!unified)
      throw new VenueError('INVALID_ORDER', `alpaca lists no tradable stock ${symbol} (symbols are written AAPL/USD)`);
    return unified;
  }

  private async symbolOrNull(symbol: string): Promise<string | null> {
    await this.client.loadMarkets();
    const unified = parseSymbol(symbol)?.symbol ?? symbol;
    for (const s of [unified, symbol, `${symbol}/USD`]) if (this.client.exchange.markets?.[s]) return s;
    return null;
  }
}
