import type { Venue, VenueOrder, VenueOrderRequest } from '../../ports/venue.js';
import { VenueError } from '../../ports/venue.js';

/**
 * A venue that accepts every order and rests it unfilled. For the red team this is the worst case for
 * exposure: every accepted order keeps its reservation, so splitting and flooding attacks meet the caps in full.
 */
export class RestingVenue implements Venue {
  readonly name = 'resting';
  readonly live = false;
  readonly orders = new Map<string, VenueOrder>();
  constructor(private readonly now: () => number) {}

  async placeOrder(req: VenueOrderRequest): Promise<VenueOrder> {
    const existing = [...this.orders.values()].find((o) => o.clientOrderId === req.clientOrderId);
    if (existing) return existing;
    const order: VenueOrder = {
      orderId: `rest-${this.orders.size + 1}`,
      clientOrderId: req.clientOrderId,
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      quantity: req.quantity,
      filledQuantity: 0,
      avgFillPrice: null,
      limitPrice: req.limitPrice,
      status: 'open',
      reduceOnly: req.reduceOnly,
      createdAt: this.now(),
      updatedAt: this.now(),
      fills: [],
    };
    this.orders.set(order.orderId, order);
    return order;
  }
  async cancelOrder(_a: string, orderId: string): Promise<VenueOrder> {
    const o = this.orders.get(orderId);
    if (!o) throw new VenueError('ORDER_NOT_FOUND', orderId);
    const c = { ...o, status: 'cancelled' as const };
    this.orders.set(orderId, c);
    return c;
  }
  async amendOrder(): Promise<VenueOrder> {
    throw new VenueError('INVALID_ORDER', 'amend is not supported here');
  }
  async orderByClientId(_a: string, coid: string) {
    return [...this.orders.values()].find((o) => o.clientOrderId === coid) ?? null;
  }
  async openOrders() {
    return [...this.orders.values()].filter((o) => o.status === 'open');
  }
  async orderHistory() {
    return [...this.orders.values()];
  }
  async positions() {
    return [];
  }
  async balance() {
    return { currency: 'USDT', total: 10_000, free: 10_000, used: 0, equity: 10_000 };
  }
  async accountSnapshot(_a: string, coids: readonly string[]) {
    const orders = [...this.orders.values()].filter((o) => coids.includes(o.clientOrderId));
    return { balance: await this.balance(), positions: await this.positions(), orders };
  }
  async setLeverage(): Promise<void> {}
  async setTradingStop(): Promise<void> {}
}
