/**
 * The Polymarket emulator's matching engine: per outcome token, a resting book of outside liquidity seeded around a
 * midpoint (levels one tick apart, `LEVEL_SIZE` shares each, refreshed when the midpoint moves), the accounts' own
 * orders resting beside it, USDC and token balances per wallet, and the venue's taker fee. A wallet can sell only
 * tokens it holds (the CTF exchange moves real tokens: there is no shorting).
 */

export type PmSide = 'BUY' | 'SELL';
export type PmOrderType = 'GTC' | 'GTD' | 'FOK' | 'FAK';
export type PmStatus = 'LIVE' | 'MATCHED' | 'CANCELED';

export interface PmToken {
  readonly tokenId: string;
  readonly outcome: 'Yes' | 'No';
  readonly conditionId: string;
  readonly tickSize: number;
  readonly minSize: number;
  readonly negRisk: boolean;
  readonly feeBps: number;
  mid: number;
}

export interface PmOrder {
  readonly id: string;
  readonly owner: string;
  readonly maker: string;
  readonly token: PmToken;
  readonly side: PmSide;
  readonly price: number;
  readonly size: number;
  readonly orderType: PmOrderType;
  readonly expiration: number;
  readonly createdAt: number;
  matched: number;
  status: PmStatus;
  readonly tradeIds: string[];
}

export interface PmTrade {
  readonly id: string;
  readonly takerOrderId: string;
  readonly makerOrderId: string;
  readonly owner: string;
  readonly maker: string;
  readonly token: PmToken;
  /** The account's side in this trade and whether it was the taker. */
  readonly side: PmSide;
  readonly traderSide: 'TAKER' | 'MAKER';
  readonly price: number;
  readonly size: number;
  readonly fee: number;
  readonly ts: number;
}

/** A refusal the venue answers with HTTP 400 and `{ error }`. */
export class PmReject extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const LEVEL_SIZE = 1_000;
const LEVELS = 5;
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The venue's taker fee: base rate × min(price, 1 − price) × shares, in USDC. Makers pay none. */
export function takerFee(bps: number, price: number, size: number): number {
  return r6((bps / 10_000) * Math.min(price, 1 - price) * size);
}

interface Wallet {
  usdc: number;
  readonly tokens: Map<string, number>;
}

export class PmEngine {
  readonly orders = new Map<string, PmOrder>();
  readonly trades: PmTrade[] = [];
  private readonly wallets = new Map<string, Wallet>();
  private seq = 0;

  constructor(readonly tokens: ReadonlyMap<string, PmToken>) {}

  fund(address: string, usdc: number, tokens: Readonly<Record<string, number>> = {}): void {
    const w = this.wallet(address);
    w.usdc = r6(w.usdc + usdc);
    for (const [id, n] of Object.entries(tokens)) w.tokens.set(id, r6((w.tokens.get(id) ?? 0) + n));
  }

  usdc(address: string): number {
    return this.wallet(address).usdc;
  }

  tokenBalance(address: string, tokenId: string): number {
    return this.wallet(address).tokens.get(tokenId) ?? 0;
  }

  /** Outside liquidity: bids ascending and asks descending (best last), as the CLOB lists them. */
  book(token: PmToken): { bids: { price: number; size: number }[]; asks: { price: number; size: number }[] } {
    const bids: { price: number; size: number }[] = [];
    const asks: { price: number; size: number }[] = [];
    for (let k = LEVELS; k >= 1; k--) {
      const bid = r6(token.mid - k * token.tickSize);
      const ask = r6(token.mid + k * token.tickSize);
      if (bid > 0) bids.push({ price: bid, size: LEVEL_SIZE });
      if (ask < 1) asks.push({ price: ask, size: LEVEL_SIZE });
    }
    return { bids, asks };
  }

  /** Moves a token's midpoint; the accounts' resting orders the new outside book crosses fill as makers. */
  setMid(tokenId: string, mid: number): void {
    const token = this.tokens.get(tokenId);
    if (!token) throw new Error(`no token ${tokenId}`);
    token.mid = r6(mid);
    const { bids, asks } = this.book(token);
    const bestAsk = asks.at(-1)?.price ?? 1;
    const bestBid = bids.at(-1)?.price ?? 0;
    for (const o of this.orders.values()) {
      if (o.token !== token || o.status !== 'LIVE') continue;
      const crossed = o.side === 'BUY' ? o.price >= bestAsk : o.price <= bestBid;
      if (crossed) this.fill(o, o.price, r6(o.size - o.matched), 'MAKER');
    }
  }

  /** Places a verified order: checks balance, matches it against the outside book, rests what its type allows. */
  place(o: Omit<PmOrder, 'matched' | 'status' | 'tradeIds' | 'createdAt'>, now: number): PmOrder {
    if (this.orders.has(o.id)) throw new PmReject(400, 'INVALID_ORDER_DUPLICATED: order already placed');
    const t = o.token;
    if (Math.abs(o.price / t.tickSize - Math.round(o.price / t.tickSize)) > 1e-6 || o.price <= 0 || o.price >= 1)
      throw new PmReject(400, `INVALID_ORDER_MIN_TICK_SIZE: price ${o.price} is not on the tick size ${t.tickSize}`);
    if (o.size < t.minSize && o.orderType !== 'FOK' && o.orderType !== 'FAK')
      throw new PmReject(400, `INVALID_ORDER_MIN_SIZE: size ${o.size} is below the minimum ${t.minSize}`);
    const w = this.wallet(o.maker);
    if (o.side === 'BUY') {
      const need = o.size * o.price + takerFee(t.feeBps, o.price, o.size);
      if (need > w.usdc - this.reservedUsdc(o.maker) + 1e-9) throw new PmReject(400, 'not enough balance / allowance');
    } else if (o.size > this.tokenBalance(o.maker, t.tokenId) - this.reservedTokens(o.maker, t.tokenId) + 1e-9) {
      throw new PmReject(400, 'not enough balance / allowance');
    }
    const levels = this.book(t)[o.side === 'BUY' ? 'asks' : 'bids'].reverse();
    const crossing = levels.filter((l) => (o.side === 'BUY' ? l.price <= o.price : l.price >= o.price));
    const available = crossing.reduce((s, l) => s + l.size, 0);
    if (o.orderType === 'FOK' && available < o.size)
      throw new PmReject(400, "order couldn't be fully filled. FOK orders are fully filled or killed.");
    const order: PmOrder = { ...o, createdAt: now, matched: 0, status: 'LIVE', tradeIds: [] };
    this.orders.set(order.id, order);
    for (const l of crossing) {
      const rest = r6(order.size - order.matched);
      if (rest <= 0) break;
      this.fill(order, l.price, Math.min(rest, l.size), 'TAKER');
    }
    if (order.status === 'LIVE' && (o.orderType === 'FOK' || o.orderType === 'FAK')) order.status = 'CANCELED';
    return order;
  }

  cancel(id: string, owner: string): PmOrder | string {
    const o = this.orders.get(id);
    if (!o || o.owner !== owner) return 'Order not found';
    if (o.status !== 'LIVE') return o.status === 'MATCHED' ? 'order already matched' : 'order already canceled';
    o.status = 'CANCELED';
    return o;
  }

  private fill(o: PmOrder, price: number, size: number, role: 'TAKER' | 'MAKER'): void {
    const w = this.wallet(o.maker);
    const fee = role === 'TAKER' ? takerFee(o.token.feeBps, price, size) : 0;
    const cash = r6(price * size);
    const id = this.token(o.token, 'trade');
    const held = w.tokens.get(o.token.tokenId) ?? 0;
    if (o.side === 'BUY') {
      w.usdc = r6(w.usdc - cash - fee);
      w.tokens.set(o.token.tokenId, r6(held + size));
    } else {
      w.usdc = r6(w.usdc + cash - fee);
      w.tokens.set(o.token.tokenId, r6(held - size));
    }
    o.matched = r6(o.matched + size);
    if (o.matched >= o.size - 1e-9) o.status = 'MATCHED';
    o.tradeIds.push(id);
    const outside = this.token(o.token, 'outside');
    this.trades.push({
      id,
      takerOrderId: role === 'TAKER' ? o.id : outside,
      makerOrderId: role === 'MAKER' ? o.id : outside,
      owner: o.owner,
      maker: o.maker,
      token: o.token,
      side: o.side,
      traderSide: role,
      price,
      size,
      fee,
      ts: Math.floor(Date.now() / 1000),
    });
  }

  private reservedUsdc(address: string): number {
    let s = 0;
    for (const o of this.orders.values())
      if (o.maker === address && o.status === 'LIVE' && o.side === 'BUY') s += (o.size - o.matched) * o.price;
    return s;
  }

  private reservedTokens(address: string, tokenId: string): number {
    let s = 0;
    for (const o of this.orders.values())
      if (o.maker === address && o.status === 'LIVE' && o.side === 'SELL' && o.token.tokenId === tokenId)
        s += o.size - o.matched;
    return s;
  }

  private wallet(address: string): Wallet {
    const key = address.toLowerCase();
    let w = this.wallets.get(key);
    if (!w) {
      w = { usdc: 0, tokens: new Map() };
      this.wallets.set(key, w);
    }
    return w;
  }

  private token(t: PmToken, kind: string): string {
    this.seq += 1;
    return `${kind}-${t.tokenId.slice(-6)}-${this.seq}`;
  }
}
