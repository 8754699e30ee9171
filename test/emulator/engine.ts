import { type EmuOrder, EmuReject, type EmuSide, type EmuStopOrder, type PlaceInput } from './engine-types.js';
import { type EmuAccount, EmuLedger, type EmuPosition, round } from './ledger.js';
import { DEFAULT_MARKETS, type EmuMarket } from './markets.js';

export type {
  EmuOrder,
  EmuOrderStatus,
  EmuRejectReason,
  EmuSide,
  EmuStopOrder,
  EmuTif,
  PlaceInput,
} from './engine-types.js';
export { EmuReject } from './engine-types.js';

const TAKER = 0.0006;
const MAKER = 0.0002;

/**
 * The emulator's tiny exchange: market orders fill at the current price, limits rest until `setPrice` crosses them,
 * conditional stops trigger on `setPrice`. Venue modules translate their wire format into these calls.
 */
export class EmuEngine {
  readonly markets: readonly EmuMarket[];
  readonly ledger: EmuLedger;
  private readonly prices = new Map<string, number>();
  private readonly orders = new Map<string, EmuOrder>();
  private readonly byClient = new Map<string, EmuOrder>();
  private readonly stops = new Map<string, EmuStopOrder>();
  private seq = 0;

  constructor(opts: { markets?: readonly EmuMarket[]; wallet?: number } = {}) {
    this.markets = opts.markets ?? DEFAULT_MARKETS;
    this.ledger = new EmuLedger(opts.wallet ?? 10_000);
    for (const m of this.markets) this.prices.set(m.symbol, m.initialPrice);
  }

  nextId(): string {
    this.seq += 1;
    return String(7_000_000_000 + this.seq);
  }

  market(symbol: string): EmuMarket {
    const m = this.markets.find((x) => x.symbol === symbol);
    if (!m) throw new EmuReject('invalid', `unknown symbol ${symbol}`);
    return m;
  }

  price(symbol: string): number {
    return this.prices.get(symbol) ?? this.market(symbol).initialPrice;
  }

  /** Moves the price, fills the resting limits it crosses and fires the stops it reaches. */
  setPrice(symbol: string, price: number): void {
    this.prices.set(symbol, price);
    for (const o of this.openOrders(symbol)) {
      const crossed = o.side === 'buy' ? o.price! >= price : o.price! <= price;
      if (crossed) this.fill(o, o.price!, 'maker');
    }
    const p = this.ledger.position(symbol);
    if (p.qty !== 0) {
      const closeSide: EmuSide = p.qty > 0 ? 'sell' : 'buy';
      if (p.tp !== null && reached('tp', closeSide, p.tp, price)) this.closeAtMarket(symbol, closeSide, null);
      else if (p.sl !== null && reached('sl', closeSide, p.sl, price)) this.closeAtMarket(symbol, closeSide, null);
    }
    for (const s of this.liveStops(symbol)) {
      if (!reached(s.kind, s.side, s.trigger, price)) continue;
      s.status = 'triggered';
      this.closeAtMarket(symbol, s.side, s.qty);
    }
  }

  place(input: PlaceInput): EmuOrder {
    const m = this.market(input.symbol);
    if (m.kind !== 'perp') throw new EmuReject('invalid', 'the emulator trades linear perpetuals only');
    const clientId = input.clientId ?? `emu-${this.nextId()}`;
    if (this.byClient.has(clientId)) throw new EmuReject('duplicate', `duplicate client order id ${clientId}`);
    let qty = round(input.qty);
    if (!(qty >= m.minQty) || !onGrid(qty, m.stepSize)) throw new EmuReject('invalid', `bad quantity ${input.qty}`);
    const price = input.type === 'limit' ? (input.price ?? null) : null;
    if (input.type === 'limit' && (price === null || !(price > 0) || !onGrid(price, m.tickSize))) {
      throw new EmuReject('invalid', `bad price ${input.price}`);
    }
    const pos = this.ledger.position(m.symbol);
    if (input.reduceOnly) {
      const reduces = pos.qty !== 0 && (input.side === 'buy') === pos.qty < 0;
      if (!reduces) throw new EmuReject('reduce_only', 'reduce-only order would not reduce the position');
      qty = Math.min(qty, Math.abs(pos.qty));
    } else {
      const need = (qty * (price ?? this.price(m.symbol))) / this.ledger.leverage(m.symbol);
      if (need > this.account().available) throw new EmuReject('insufficient', 'insufficient margin for the order');
    }
    const market = this.price(m.symbol);
    const crosses = price !== null && (input.side === 'buy' ? price >= market : price <= market);
    const tif = input.tif ?? 'GTC';
    const now = Date.now();
    const o: EmuOrder = {
      id: this.nextId(),
      clientId,
      symbol: m.symbol,
      side: input.side,
      type: input.type,
      qty,
      price,
      tif,
      reduceOnly: input.reduceOnly ?? false,
      status: 'new',
      filled: 0,
      avgPrice: 0,
      fee: 0,
      liquidity: null,
      createdAt: now,
      updatedAt: now,
    };
    this.orders.set(o.id, o);
    this.byClient.set(clientId, o);
    // Venues accept a crossing post-only order and cancel it at once rather than reject it.
    if (tif === 'PO' && crosses) o.status = 'cancelled';
    else if (input.type === 'market' || crosses) this.fill(o, market, 'taker');
    else if (tif === 'IOC' || tif === 'FOK') o.status = 'cancelled';
    return o;
  }

  amend(id: string, changes: { qty?: number; price?: number }): EmuOrder {
    const o = this.order(id);
    if (!o || !isOpen(o)) throw new EmuReject('not_found', `order ${id} is not open`);
    const m = this.market(o.symbol);
    if (changes.qty !== undefined && (!onGrid(changes.qty, m.stepSize) || changes.qty <= o.filled)) {
      throw new EmuReject('invalid', `bad quantity ${changes.qty}`);
    }
    if (changes.price !== undefined && !onGrid(changes.price, m.tickSize)) {
      throw new EmuReject('invalid', `bad price ${changes.price}`);
    }
    if (changes.qty !== undefined) o.qty = round(changes.qty);
    if (changes.price !== undefined) o.price = changes.price;
    o.updatedAt = Date.now();
    const market = this.price(o.symbol);
    if (o.side === 'buy' ? o.price! >= market : o.price! <= market) this.fill(o, market, 'taker');
    return o;
  }

  cancel(id: string): EmuOrder {
    const o = this.order(id);
    if (!o || !isOpen(o)) throw new EmuReject('not_found', `order ${id} does not exist or is finished`);
    o.status = 'cancelled';
    o.updatedAt = Date.now();
    return o;
  }

  cancelAll(symbol?: string): EmuOrder[] {
    return this.openOrders(symbol).map((o) => this.cancel(o.id));
  }

  /** The order with this venue id, else this client id; not_found otherwise. */
  find(id: string | undefined, clientId: string | undefined): EmuOrder {
    const o = id !== undefined ? this.order(id) : clientId !== undefined ? this.orderByClientId(clientId) : undefined;
    if (!o) throw new EmuReject('not_found', 'Order does not exist');
    return o;
  }

  order(id: string): EmuOrder | undefined {
    return this.orders.get(id);
  }

  orderByClientId(clientId: string): EmuOrder | undefined {
    return this.byClient.get(clientId);
  }

  /** Newest first. */
  allOrders(symbol?: string): EmuOrder[] {
    return [...this.orders.values()].filter((o) => symbol === undefined || o.symbol === symbol).reverse();
  }

  openOrders(symbol?: string): EmuOrder[] {
    return this.allOrders(symbol).filter(isOpen);
  }

  positions(): EmuPosition[] {
    return this.ledger.open();
  }

  position(symbol: string): EmuPosition {
    return this.ledger.position(symbol);
  }

  setLeverage(symbol: string, leverage: number): void {
    const m = this.market(symbol);
    if (!(leverage >= 1 && leverage <= m.maxLeverage))
      throw new EmuReject('invalid', `leverage ${leverage} out of range`);
    this.ledger.setLeverage(symbol, leverage);
  }

  /** Position-level TP/SL; `null` clears, `undefined` keeps. */
  setPositionStops(symbol: string, stops: { tp?: number | null; sl?: number | null }): void {
    const p = this.ledger.position(symbol);
    if (p.qty === 0) throw new EmuReject('invalid', 'no open position');
    if (stops.tp !== undefined) p.tp = stops.tp;
    if (stops.sl !== undefined) p.sl = stops.sl;
  }

  addStop(input: Omit<EmuStopOrder, 'id' | 'status' | 'createdAt' | 'clientId'> & { clientId?: string }): EmuStopOrder {
    this.market(input.symbol);
    const id = this.nextId();
    const s: EmuStopOrder = {
      ...input,
      id,
      clientId: input.clientId ?? `stop-${id}`,
      status: 'live',
      createdAt: Date.now(),
    };
    this.stops.set(id, s);
    return s;
  }

  cancelStop(id: string): EmuStopOrder {
    const s = this.stops.get(id);
    if (s?.status !== 'live') throw new EmuReject('not_found', `stop order ${id} does not exist`);
    s.status = 'cancelled';
    return s;
  }

  liveStops(symbol?: string): EmuStopOrder[] {
    return [...this.stops.values()].filter((s) => s.status === 'live' && (symbol === undefined || s.symbol === symbol));
  }

  account(): EmuAccount {
    let orderMargin = 0;
    for (const o of this.openOrders()) {
      if (!o.reduceOnly) orderMargin += ((o.qty - o.filled) * o.price!) / this.ledger.leverage(o.symbol);
    }
    return this.ledger.account(this.markets, (s) => this.price(s), orderMargin);
  }

  private closeAtMarket(symbol: string, side: EmuSide, qty: number | null): void {
    const p = this.ledger.position(symbol);
    if (p.qty === 0 || (side === 'buy') !== p.qty < 0) return;
    this.place({ symbol, side, type: 'market', qty: qty ?? Math.abs(p.qty), reduceOnly: true });
  }

  private fill(o: EmuOrder, price: number, liquidity: 'maker' | 'taker'): void {
    const qty = round(o.qty - o.filled);
    const fee = qty * price * (liquidity === 'maker' ? MAKER : TAKER);
    this.ledger.apply(o.symbol, o.side, qty, price, fee);
    o.avgPrice = (o.avgPrice * o.filled + price * qty) / (o.filled + qty);
    o.filled = round(o.filled + qty);
    o.fee += fee;
    o.status = 'filled';
    o.liquidity = liquidity;
    o.updatedAt = Date.now();
  }
}

export function isOpen(o: EmuOrder): boolean {
  return o.status === 'new' || o.status === 'partially_filled';
}

function onGrid(value: number, step: number): boolean {
  const n = value / step;
  return Math.abs(n - Math.round(n)) < 1e-6;
}

/** Whether a close order of `side` with trigger `trigger` fires at `price`. */
function reached(kind: 'tp' | 'sl', side: EmuSide, trigger: number, price: number): boolean {
  const upward = (kind === 'tp') === (side === 'sell');
  return upward ? price >= trigger : price <= trigger;
}
