import { randomUUID } from 'node:crypto';
import { sessionAt } from '../../src/core/market/calendar/session.js';

/** One listed stock of the Alpaca emulator and its current price (the quote is one cent either side). */
export interface AlpacaStock {
  readonly symbol: string;
  readonly price: number;
  readonly fractionable: boolean;
}

export const ALPACA_STOCKS: readonly AlpacaStock[] = [
  { symbol: 'AAPL', price: 230, fractionable: true },
  { symbol: 'TSLA', price: 410, fractionable: true },
  { symbol: 'NVDA', price: 180, fractionable: true },
  { symbol: 'MSFT', price: 480, fractionable: true },
  { symbol: 'GOOGL', price: 190, fractionable: true },
  { symbol: 'META', price: 640, fractionable: true },
  // A stock Alpaca does not trade in fractions.
  { symbol: 'GME', price: 24, fractionable: false },
];

const HALF_SPREAD = 0.01;
const WHOLE = 1e-9;

/** A business refusal, in Alpaca's own words: the HTTP status and the `{code, message}` body it answers. */
export class AlpacaReject extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface AlpacaOrder {
  readonly id: string;
  readonly client_order_id: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit';
  readonly time_in_force: string;
  readonly extended_hours: boolean;
  qty: number;
  limit_price: number | null;
  filled_qty: number;
  filled_avg_price: number | null;
  status: 'new' | 'partially_filled' | 'filled' | 'canceled' | 'replaced' | 'expired';
  readonly created_at: number;
  updated_at: number;
  filled_at: number | null;
  canceled_at: number | null;
  replaced_by: string | null;
  readonly replaces: string | null;
}

export interface NewOrder {
  readonly symbol: string;
  readonly side: string;
  readonly type: string;
  readonly qty: number;
  readonly limit_price: number | null;
  readonly time_in_force: string;
  readonly extended_hours: boolean;
  readonly client_order_id: string;
  readonly replaces?: string;
}

const TIFS = ['day', 'gtc', 'ioc', 'fok', 'opg', 'cls'];

/**
 * The trading side of the Alpaca emulator: a cash account in USD (no margin, no shorting), orders that fill at the
 * quote (market, marketable limit) or rest until the price reaches them, and Alpaca's session rules on its clock:
 * regular hours any order; extended hours (4:00–9:30, after the close until 20:00 New York) only limit DAY orders
 * flagged `extended_hours`; closed (nights, weekends, NYSE holidays) nothing.
 */
export class AlpacaEngine {
  cash: number;
  readonly orders: AlpacaOrder[] = [];
  private readonly prices = new Map<string, number>();
  private readonly held = new Map<string, { qty: number; cost: number }>();
  private lastStamp = 0;

  constructor(
    readonly stocks: readonly AlpacaStock[],
    cash: number,
    readonly now: () => number,
  ) {
    this.cash = cash;
    for (const s of stocks) this.prices.set(s.symbol, s.price);
  }

  /** Strictly increasing instants from the clock (several orders in one clock tick keep their order). */
  stamp(): number {
    this.lastStamp = Math.max(this.now(), this.lastStamp + 1);
    return this.lastStamp;
  }

  stock(symbol: string): AlpacaStock {
    const s = this.stocks.find((x) => x.symbol === symbol);
    if (!s) throw new AlpacaReject(422, 40010001, `asset "${symbol}" not found`);
    return s;
  }

  price(symbol: string): number {
    return this.prices.get(this.stock(symbol).symbol)!;
  }

  bid(symbol: string): number {
    return this.price(symbol) - HALF_SPREAD;
  }

  ask(symbol: string): number {
    return this.price(symbol) + HALF_SPREAD;
  }

  /** Moves a stock's price and fills the resting orders it reaches, at their limit price. */
  setPrice(symbol: string, price: number): void {
    this.prices.set(this.stock(symbol).symbol, price);
    for (const o of this.orders) {
      if ((o.status !== 'new' && o.status !== 'partially_filled') || o.symbol !== symbol || o.limit_price === null)
        continue;
      const reached = o.side === 'buy' ? this.ask(symbol) <= o.limit_price : this.bid(symbol) >= o.limit_price;
      if (reached) this.fill(o, o.limit_price);
    }
  }

  positions(): { symbol: string; qty: number; cost: number }[] {
    return [...this.held.entries()].filter(([, p]) => p.qty > WHOLE).map(([symbol, p]) => ({ symbol, ...p }));
  }

  /** Cash less what open buy orders hold. */
  buyingPower(): number {
    const held = this.open()
      .filter((o) => o.side === 'buy')
      .reduce((s, o) => s + (o.qty - o.filled_qty) * (o.limit_price ?? this.ask(o.symbol)), 0);
    return this.cash - held;
  }

  open(): AlpacaOrder[] {
    return this.orders.filter((o) => o.status === 'new' || o.status === 'partially_filled');
  }

  find(id: string): AlpacaOrder | undefined {
    return this.orders.find((o) => o.id === id);
  }

  place(req: NewOrder): AlpacaOrder {
    const stock = this.stock(req.symbol);
    this.validate(req, stock);
    const price = req.type === 'market' ? (req.side === 'buy' ? this.ask(req.symbol) : this.bid(req.symbol)) : null;
    const exclude = req.replaces;
    if (req.side === 'buy') {
      const cost = req.qty * (req.limit_price ?? price!);
      const replaced = exclude ? this.find(exclude) : undefined;
      const freed = replaced ? (replaced.qty - replaced.filled_qty) * (replaced.limit_price ?? 0) : 0;
      if (cost > this.buyingPower() + freed + 1e-9) throw new AlpacaReject(403, 40310000, 'insufficient buying power');
    } else {
      const pending = this.open()
        .filter((o) => o.side === 'sell' && o.symbol === req.symbol && o.id !== exclude)
        .reduce((s, o) => s + o.qty - o.filled_qty, 0);
      const available = (this.held.get(req.symbol)?.qty ?? 0) - pending;
      if (req.qty > available + WHOLE)
        throw new AlpacaReject(
          403,
          40310000,
          `insufficient qty available for order (requested: ${req.qty}, available: ${Math.max(0, available)})`,
        );
    }
    const t = this.stamp();
    const o: AlpacaOrder = {
      id: randomUUID(),
      client_order_id: req.client_order_id,
      symbol: req.symbol,
      side: req.side as 'buy' | 'sell',
      type: req.type as 'market' | 'limit',
      time_in_force: req.time_in_force,
      extended_hours: req.extended_hours,
      qty: req.qty,
      limit_price: req.limit_price,
      filled_qty: 0,
      filled_avg_price: null,
      status: 'new',
      created_at: t,
      updated_at: t,
      filled_at: null,
      canceled_at: null,
      replaced_by: null,
      replaces: req.replaces ?? null,
    };
    this.orders.push(o);
    if (price !== null) {
      this.fill(o, price);
      return o;
    }
    const touch = o.side === 'buy' ? this.ask(o.symbol) : this.bid(o.symbol);
    const marketable = o.side === 'buy' ? touch <= o.limit_price! : touch >= o.limit_price!;
    if (marketable) this.fill(o, touch);
    else if (o.time_in_force === 'ioc' || o.time_in_force === 'fok') this.end(o, 'canceled');
    return o;
  }

  cancel(o: AlpacaOrder): void {
    if (o.status !== 'new' && o.status !== 'partially_filled')
      throw new AlpacaReject(422, 42210000, `order is already in "${o.status}" state`);
    this.end(o, 'canceled');
  }

  /** Alpaca's replace: a new order for the rest, the old one ends `replaced`. */
  replace(o: AlpacaOrder, changes: { qty?: number; limit_price?: number; client_order_id: string }): AlpacaOrder {
    if (o.status !== 'new' && o.status !== 'partially_filled')
      throw new AlpacaReject(422, 42210000, `order is not replaceable in "${o.status}" state`);
    const next = this.place({
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      qty: changes.qty ?? o.qty,
      limit_price: changes.limit_price ?? o.limit_price,
      time_in_force: o.time_in_force,
      extended_hours: o.extended_hours,
      client_order_id: changes.client_order_id,
      replaces: o.id,
    });
    if (o.status === 'new' || o.status === 'partially_filled') {
      o.replaced_by = next.id;
      this.end(o, 'replaced');
    }
    return next;
  }

  private validate(req: NewOrder, stock: AlpacaStock): void {
    if (req.side !== 'buy' && req.side !== 'sell') throw new AlpacaReject(422, 40010001, 'invalid side');
    if (req.type !== 'market' && req.type !== 'limit')
      throw new AlpacaReject(422, 40010001, `invalid order type "${req.type}"`);
    if (!TIFS.includes(req.time_in_force))
      throw new AlpacaReject(422, 40010001, `invalid time_in_force "${req.time_in_force}"`);
    if (!(req.qty > 0)) throw new AlpacaReject(422, 40010001, 'qty must be > 0');
    if (req.type === 'limit' && !(req.limit_price !== null && req.limit_price > 0))
      throw new AlpacaReject(422, 40010001, 'limit_price is required for limit orders');
    if (this.orders.some((o) => o.client_order_id === req.client_order_id))
      throw new AlpacaReject(422, 40010001, 'client_order_id must be unique');
    if (Math.abs(req.qty - Math.round(req.qty)) > WHOLE) {
      if (!stock.fractionable) throw new AlpacaReject(422, 40010001, `asset "${stock.symbol}" is not fractionable`);
      if (req.time_in_force !== 'day') throw new AlpacaReject(422, 40010001, 'fractional orders must be DAY orders');
    }
    const phase = sessionAt({ kind: 'us_equity' }, this.now()).phase;
    if (phase === 'closed') throw new AlpacaReject(403, 40310000, 'market is closed');
    if (phase === 'extended' && !req.extended_hours)
      throw new AlpacaReject(403, 40310000, 'market is closed; extended_hours orders only');
    if (req.extended_hours && !(req.type === 'limit' && req.time_in_force === 'day'))
      throw new AlpacaReject(422, 42210000, 'extended hours order must be DAY limit orders');
  }

  private fill(o: AlpacaOrder, price: number): void {
    const qty = o.qty - o.filled_qty;
    const p = this.held.get(o.symbol) ?? { qty: 0, cost: 0 };
    if (o.side === 'buy') {
      this.cash -= qty * price;
      this.held.set(o.symbol, { qty: p.qty + qty, cost: p.cost + qty * price });
    } else {
      const left = p.qty - qty;
      this.cash += qty * price;
      this.held.set(o.symbol, { qty: left, cost: left > WHOLE ? (p.cost * left) / p.qty : 0 });
    }
    const filled = o.filled_qty + qty;
    o.filled_avg_price = ((o.filled_avg_price ?? 0) * o.filled_qty + price * qty) / filled;
    o.filled_qty = filled;
    o.status = 'filled';
    o.filled_at = this.stamp();
    o.updated_at = o.filled_at;
  }

  private end(o: AlpacaOrder, status: 'canceled' | 'replaced'): void {
    o.status = status;
    o.updated_at = this.stamp();
    if (status === 'canceled') o.canceled_at = o.updated_at;
  }
}
