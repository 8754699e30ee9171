import { VenueError, type VenueFill, type VenueOrder } from '../../../ports/venue.js';
import type { CcxtClient } from './client.js';
import { contractSizeOf, toVenueOrder } from './mapper.js';
import { OrderIndex } from './order-index.js';
import type { VenueProfile } from './profiles.js';
import type { CcxtMyTrade, CcxtOrder } from './schemas.js';

/** The account's executions per symbol, read at most once per listing or account view. */
export type TradesBySymbol = Map<string, Promise<CcxtMyTrade[]>>;

/**
 * Finds orders by id or client order id. Venues need the symbol; it comes from the local index, else every
 * configured symbol (and every symbol seen) is tried in turn.
 */
export class OrderLookup {
  readonly index = new OrderIndex();
  /** Arbiter's client order id by the venue's, where they differ (Hyperliquid's 0x + 32 hex). */
  private readonly arbiterIds = new Map<string, string>();

  constructor(
    private readonly client: CcxtClient,
    private readonly profile: VenueProfile,
  ) {}

  /** The client order id sent to the venue for Arbiter's; remembered so orders read back carry Arbiter's. */
  venueClientId(clientOrderId: string): string {
    const venueId = this.profile.venueClientId(clientOrderId);
    if (venueId !== clientOrderId) {
      this.arbiterIds.delete(venueId);
      this.arbiterIds.set(venueId, clientOrderId);
      if (this.arbiterIds.size > 5_000) this.arbiterIds.delete(this.arbiterIds.keys().next().value as string);
    }
    return venueId;
  }

  /** The order by venue id on a known symbol; null when the venue does not know it. */
  async fetch(orderId: string, symbol: string): Promise<VenueOrder | null> {
    const o = await notFoundAsNull(() => this.client.fetchOrder(orderId, symbol, { ...this.profile.fetchOrderParams }));
    return o ? this.toOrder(o) : null;
  }

  /** `trades`: shared by the lookups of one account view, so the account's executions are read once for them all. */
  async byClientId(clientOrderId: string, trades?: TradesBySymbol): Promise<VenueOrder | null> {
    const known = this.index.symbolOfClient(clientOrderId);
    for (const symbol of known !== undefined ? [known] : this.candidates()) {
      const found = await this.byClientIdOn(clientOrderId, symbol, trades);
      if (found) {
        this.index.rememberClient(clientOrderId, symbol);
        this.index.rememberOrder(found.orderId, symbol);
        return found;
      }
    }
    return null;
  }

  /** The symbol an order id belongs to; ORDER_NOT_FOUND when no candidate symbol knows it. */
  async symbolOfOrder(orderId: string): Promise<string> {
    const known = this.index.symbolOfOrder(orderId);
    if (known !== undefined) return known;
    for (const symbol of this.candidates()) {
      if (await this.fetch(orderId, symbol)) {
        this.index.rememberOrder(orderId, symbol);
        return symbol;
      }
    }
    throw new VenueError('ORDER_NOT_FOUND', `order ${orderId} not found on ${this.client.id}`);
  }

  async open(symbol?: string): Promise<VenueOrder[]> {
    return this.mapAll(await this.client.fetchOpenOrders(symbol));
  }

  /** Every order (open, filled, cancelled) over every candidate symbol, newest first. */
  async history(limit: number): Promise<VenueOrder[]> {
    const symbols = this.candidates();
    const rows: CcxtOrder[] = await this.client.fetchOpenOrders();
    if (symbols.length === 0) rows.push(...(await this.client.fetchClosedOrders(undefined, limit)));
    for (const s of symbols) rows.push(...(await this.client.fetchClosedOrders(s, limit)));
    const byId = new Map((await this.mapAll(rows)).map((o) => [o.orderId, o]));
    return [...byId.values()].sort((a, b) => b.createdAt - a.createdAt || b.updatedAt - a.updatedAt).slice(0, limit);
  }

  private async byClientIdOn(
    clientOrderId: string,
    symbol: string,
    trades?: TradesBySymbol,
  ): Promise<VenueOrder | null> {
    if (this.profile.clientIdLookup === 'bybit-order-link-id') {
      // /v5/order/realtime answers recent orders of any status by orderLinkId; history covers older ones.
      const params = { orderLinkId: clientOrderId };
      const open = await this.client.fetchOpenOrders(symbol, undefined, params);
      const rows = open.length > 0 ? open : await this.client.fetchClosedOrders(symbol, undefined, params);
      const o = rows.find((r) => r.clientOrderId === clientOrderId);
      return o ? this.toOrder(o, trades) : null;
    }
    const venueId = this.venueClientId(clientOrderId);
    const o = await notFoundAsNull(() => this.client.fetchOrder('', symbol, { clientOrderId: venueId }));
    return o && o.clientOrderId === venueId ? this.toOrder(o, trades) : null;
  }

  private candidates(): string[] {
    return [...new Set([...this.client.config.symbols, ...this.index.symbols()])];
  }

  private async mapAll(rows: readonly CcxtOrder[]): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    const trades: TradesBySymbol = new Map();
    for (const o of rows) {
      const mapped = await this.toOrder(o, trades);
      if (mapped) out.push(mapped);
    }
    return out;
  }

  /** `trades`: the account's executions per symbol, read once for a listing rather than once per order. */
  private async toOrder(o: CcxtOrder, trades: TradesBySymbol = new Map()): Promise<VenueOrder | null> {
    const m = await this.client.market(o.symbol);
    const size = m ? contractSizeOf(m) : 1;
    const mapped = toVenueOrder(o, size);
    if (!mapped) return null;
    const arbiterId = this.arbiterIds.get(mapped.clientOrderId);
    const fills =
      mapped.filledQuantity > 0 && this.profile.executionFills ? await this.fillsOf(mapped, size, trades) : null;
    return { ...mapped, ...(arbiterId ? { clientOrderId: arbiterId } : {}), ...(fills ? { fills } : {}) };
  }

  /** The order's executions as the venue lists them (null when it lists none, e.g. past its retention). */
  private async fillsOf(order: VenueOrder, contractSize: number, trades: TradesBySymbol): Promise<VenueFill[] | null> {
    let mine = trades.get(order.symbol);
    if (!mine) {
      mine = this.client.fetchMyTrades(order.symbol);
      trades.set(order.symbol, mine);
    }
    const fills = (await mine)
      .filter((t) => t.order === order.orderId)
      .map((t) => ({
        fillId: t.id,
        orderId: order.orderId,
        ts: t.timestamp,
        price: t.price,
        quantity: t.amount * contractSize,
        fee: t.fee?.cost ?? 0,
        liquidity: t.takerOrMaker,
      }));
    return fills.length > 0 ? fills : null;
  }
}

/** A venue call whose ORDER_NOT_FOUND means "no such order": null instead. */
export async function notFoundAsNull<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof VenueError && err.code === 'ORDER_NOT_FOUND') return null;
    throw err;
  }
}
