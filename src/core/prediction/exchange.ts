import type { BookLevel } from '../market/types.js';
import { type BookModel, modelBooks, type OutcomeBook } from './book.js';
import { type Outcome, type PredictionMarket, payout, statusAt } from './types.js';

/** Why the paper prediction venue refused an order; the venue's own error, not a firewall verdict. */
export type PredictionOrderErrorCode =
  | 'MARKET_UNKNOWN'
  | 'MARKET_NOT_OPEN'
  | 'INSUFFICIENT_HOLDING'
  | 'INSUFFICIENT_FUNDS'
  | 'ORDER_INVALID';

export class PredictionOrderError extends Error {
  constructor(
    readonly code: PredictionOrderErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'PredictionOrderError';
  }
}

export interface PredictionOrder {
  readonly marketId: string;
  readonly outcome: Outcome;
  readonly side: 'buy' | 'sell';
  /** Shares. */
  readonly quantity: number;
  /** Worst price accepted; absent: any price inside (0, 1). */
  readonly limitPrice?: number | null;
}

export interface PredictionFill {
  readonly status: 'filled' | 'partially_filled' | 'cancelled';
  readonly filledQty: number;
  /** Volume-weighted fill price (0 when nothing filled). */
  readonly avgPrice: number;
  /** Collateral paid (buy) or received (sell) before fees. */
  readonly value: number;
  readonly fee: number;
}

export interface PredictionHolding {
  readonly marketId: string;
  readonly outcome: Outcome;
  readonly qty: number;
  /** Collateral paid for the shares held, fees apart (reduced pro rata by sales): what the cost-basis caps bound. */
  readonly costBasis: number;
}

export interface PredictionExchangeOptions {
  /** Fee rate: each fill pays rate × min(price, 1 − price) × shares, as Polymarket charges. Default 0.02. */
  readonly feeRate?: number;
  readonly book?: BookModel;
}

interface MarketState {
  market: PredictionMarket;
  yesMid: number;
  books: Record<Outcome, { bids: BookLevel[]; asks: BookLevel[] }>;
}

const EPS = 1e-9;

/**
 * A paper venue for binary prediction markets, pure and synchronous (the clock is passed in). Orders take
 * liquidity from the modelled book level by level up to their limit, what the book cannot fill is cancelled
 * (immediate-or-cancel: partial fills), liquidity taken stays taken until the next price. No shorting: a sell is
 * refused beyond the shares held. Resolution pays 1 per winning share and 0 per losing one; after it, or once
 * the resolution time has passed, nothing trades.
 */
export class PredictionExchange {
  private readonly markets = new Map<string, MarketState>();
  private readonly cash = new Map<string, number>();
  private readonly holdings = new Map<string, Map<string, { qty: number; cost: number }>>();
  readonly feeRate: number;

  constructor(private readonly options: PredictionExchangeOptions = {}) {
    this.feeRate = options.feeRate ?? 0.02;
  }

  list(market: PredictionMarket, yesMid: number): void {
    this.markets.set(market.id, { market, yesMid, books: this.books(market, yesMid) });
  }

  /** A new mid for a market's YES token: the modelled books are rebuilt around it (taken liquidity returns). */
  setPrice(marketId: string, yesMid: number): void {
    const s = this.state(marketId);
    if (s.market.status === 'resolved') return;
    s.yesMid = yesMid;
    s.books = this.books(s.market, yesMid);
  }

  deposit(accountId: string, amount: number): void {
    if (!(amount > 0) || !Number.isFinite(amount))
      throw new PredictionOrderError('ORDER_INVALID', `deposit=${amount} (a positive amount)`);
    this.cash.set(accountId, (this.cash.get(accountId) ?? 0) + amount);
  }

  /** Restores shares an account already holds (a stored account brought back), with what was paid for them. */
  hold(accountId: string, marketId: string, outcome: Outcome, qty: number, costBasis: number): void {
    if (!(qty >= 0) || !Number.isFinite(qty) || !(costBasis >= 0) || !Number.isFinite(costBasis))
      throw new PredictionOrderError('ORDER_INVALID', `holding qty=${qty} cost=${costBasis} (finite, not negative)`);
    const h = this.holding(accountId, marketId, outcome);
    h.qty = qty;
    h.cost = costBasis;
  }

  market(marketId: string): PredictionMarket {
    return this.state(marketId).market;
  }

  marketIds(): string[] {
    return [...this.markets.keys()];
  }

  yesMid(marketId: string): number {
    return this.state(marketId).yesMid;
  }

  book(marketId: string, outcome: Outcome): OutcomeBook {
    const b = this.state(marketId).books[outcome];
    return { bids: b.bids.map((l) => ({ ...l })), asks: b.asks.map((l) => ({ ...l })) };
  }

  balance(accountId: string): number {
    return this.cash.get(accountId) ?? 0;
  }

  positions(accountId: string): PredictionHolding[] {
    const out: PredictionHolding[] = [];
    for (const [key, h] of this.holdings.get(accountId) ?? []) {
      const [marketId, outcome] = key.split('|') as [string, Outcome];
      if (h.qty > EPS) out.push({ marketId, outcome, qty: h.qty, costBasis: h.cost });
    }
    return out;
  }

  place(accountId: string, order: PredictionOrder, now: number): PredictionFill {
    const s = this.markets.get(order.marketId);
    if (!s) throw new PredictionOrderError('MARKET_UNKNOWN', `market=${order.marketId}`);
    const status = statusAt(s.market, now);
    if (status !== 'open')
      throw new PredictionOrderError('MARKET_NOT_OPEN', `market=${order.marketId} status=${status}`);
    if (!(order.quantity > 0) || !Number.isFinite(order.quantity))
      throw new PredictionOrderError('ORDER_INVALID', `quantity=${order.quantity} (a positive number of shares)`);
    const limit = order.limitPrice ?? null;
    if (limit !== null && !(limit > 0 && limit < 1))
      throw new PredictionOrderError('ORDER_INVALID', `limit_price=${limit} (strictly between 0 and 1)`);
    const held = this.holding(accountId, order.marketId, order.outcome);
    if (order.side === 'sell' && order.quantity > held.qty + EPS)
      throw new PredictionOrderError(
        'INSUFFICIENT_HOLDING',
        `market=${order.marketId} outcome=${order.outcome} held=${held.qty} quantity=${order.quantity}`,
      );
    const levels = order.side === 'buy' ? s.books[order.outcome].asks : s.books[order.outcome].bids;
    const takes: { level: BookLevel & { size: number }; qty: number }[] = [];
    let left = order.quantity;
    let value = 0;
    let fee = 0;
    for (const level of levels) {
      if (left <= EPS) break;
      const ok = limit === null || (order.side === 'buy' ? level.price <= limit + EPS : level.price >= limit - EPS);
      if (!ok) break;
      const q = Math.min(left, level.size);
      if (q <= 0) continue;
      takes.push({ level: level as BookLevel & { size: number }, qty: q });
      value += q * level.price;
      fee += this.feeRate * Math.min(level.price, 1 - level.price) * q;
      left -= q;
    }
    const filled = order.quantity - Math.max(0, left);
    if (filled <= EPS) return { status: 'cancelled', filledQty: 0, avgPrice: 0, value: 0, fee: 0 };
    const cash = this.balance(accountId);
    if (order.side === 'buy' && value + fee > cash + EPS)
      throw new PredictionOrderError('INSUFFICIENT_FUNDS', `cost=${value + fee} balance=${cash}`);
    for (const t of takes) (t.level as { size: number }).size -= t.qty;
    if (order.side === 'buy') {
      this.cash.set(accountId, cash - value - fee);
      held.qty += filled;
      held.cost += value;
    } else {
      this.cash.set(accountId, cash + value - fee);
      held.cost -= held.qty > EPS ? held.cost * (filled / held.qty) : held.cost;
      held.qty -= filled;
      if (held.qty <= EPS) {
        held.qty = 0;
        held.cost = 0;
      }
    }
    return {
      status: left > EPS ? 'partially_filled' : 'filled',
      filledQty: filled,
      avgPrice: value / filled,
      value,
      fee,
    };
  }

  /** Trading stops (before resolution); the outcome is not known yet. */
  close(marketId: string): void {
    const s = this.state(marketId);
    if (s.market.status === 'open') s.market = { ...s.market, status: 'closed' };
  }

  /**
   * Settles the market: every account is paid 1 per winning share and 0 per losing one, and its shares of the
   * market are gone. Returns what each account was paid. Resolving twice is refused.
   */
  resolve(marketId: string, outcome: Outcome): Map<string, number> {
    const s = this.state(marketId);
    if (s.market.status === 'resolved')
      throw new PredictionOrderError('MARKET_NOT_OPEN', `market=${marketId} is already resolved`);
    s.market = { ...s.market, status: 'resolved', outcome };
    s.yesMid = outcome === 'YES' ? 1 : 0;
    s.books = { YES: { bids: [], asks: [] }, NO: { bids: [], asks: [] } };
    const paid = new Map<string, number>();
    for (const [accountId, hs] of this.holdings) {
      let total = 0;
      for (const o of ['YES', 'NO'] as const) {
        const key = `${marketId}|${o}`;
        const h = hs.get(key);
        if (!h) continue;
        total += h.qty * payout(o, outcome);
        hs.delete(key);
      }
      if (total > 0) this.cash.set(accountId, this.balance(accountId) + total);
      paid.set(accountId, total);
    }
    return paid;
  }

  private holding(accountId: string, marketId: string, outcome: Outcome): { qty: number; cost: number } {
    let hs = this.holdings.get(accountId);
    if (!hs) {
      hs = new Map();
      this.holdings.set(accountId, hs);
    }
    const key = `${marketId}|${outcome}`;
    let h = hs.get(key);
    if (!h) {
      h = { qty: 0, cost: 0 };
      hs.set(key, h);
    }
    return h;
  }

  private state(marketId: string): MarketState {
    const s = this.markets.get(marketId);
    if (!s) throw new PredictionOrderError('MARKET_UNKNOWN', `market=${marketId}`);
    return s;
  }

  private books(market: PredictionMarket, yesMid: number): MarketState['books'] {
    const b = modelBooks(yesMid, market.tickSize, this.options.book);
    const copy = (ls: readonly BookLevel[]) => ls.map((l) => ({ ...l }));
    return {
      YES: { bids: copy(b.YES.bids), asks: copy(b.YES.asks) },
      NO: { bids: copy(b.NO.bids), asks: copy(b.NO.asks) },
    };
  }
}
