import type { Json } from '../cert/json-safe.js';
import { applyFill, createAccount } from '../paper/account.js';
import type { PaperAccount, PaperPosition, PaperSide } from '../paper/types.js';
import { SLOTS, type Slot } from './types.js';

/** A fill as the arena books it (one venue fill of one order). */
export interface BookedFill {
  readonly symbol: string;
  readonly orderId: string;
  readonly side: PaperSide;
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  readonly ts: number;
}

const SLOT_INDEX: Readonly<Record<Slot, number>> = { spot: 0, perp: 1 };

/**
 * Every agent's books: cash (wallet), positions, fees, funding and realised P&L, booked with the paper
 * exchange's own fill rule (`applyFill`: average entry on adds, realised P&L on reductions), and mirrored into
 * typed arrays so marking all agents each bar allocates nothing. equity = wallet + Σ qty·(mark − entry).
 */
export class Portfolio {
  readonly size: number;
  readonly wallet: Float64Array;
  readonly fees: Float64Array;
  readonly funding: Float64Array;
  readonly realized: Float64Array;
  /** Σ |fill notional| (for turnover) and the number of fills. */
  readonly traded: Float64Array;
  readonly fillCount: Float64Array;
  /** Per agent × slot (index a * 2 + slot). */
  readonly qty: Float64Array;
  readonly entry: Float64Array;
  readonly leverage: Float64Array;
  private readonly books: PaperAccount[];
  private readonly slotOf: ReadonlyMap<string, number>;

  constructor(
    readonly accountIds: readonly string[],
    /** Each slot's symbol; `perp` null on a market without a perpetual (its quantity then stays 0). */
    readonly symbols: Readonly<{ spot: string; perp: string | null }>,
    readonly capital: number,
  ) {
    const n = accountIds.length;
    this.size = n;
    this.wallet = new Float64Array(n).fill(capital);
    this.fees = new Float64Array(n);
    this.funding = new Float64Array(n);
    this.realized = new Float64Array(n);
    this.traded = new Float64Array(n);
    this.fillCount = new Float64Array(n);
    this.qty = new Float64Array(n * 2);
    this.entry = new Float64Array(n * 2);
    this.leverage = new Float64Array(n).fill(1);
    this.books = accountIds.map((id) => createAccount(id, capital, 0));
    this.slotOf = new Map(SLOTS.flatMap((s) => (symbols[s] === null ? [] : [[symbols[s], SLOT_INDEX[s]] as const])));
  }

  slot(symbol: string): number | undefined {
    return this.slotOf.get(symbol);
  }

  /** Books one fill; returns its realised P&L (0 when it only adds). */
  applyFill(a: number, f: BookedFill): number {
    const booked = applyFill(this.books[a]!, { ...f, source: 'client', liquidity: 'taker' });
    this.books[a] = booked.account;
    this.traded[a]! += Math.abs(f.quantity * f.price);
    this.fillCount[a]! += 1;
    this.refresh(a);
    return booked.event.kind === 'fill' ? booked.event.realizedPnl : 0;
  }

  /** Funding paid by the account (negative: received). */
  applyFunding(a: number, amount: number): void {
    const b = this.books[a]!;
    this.books[a] = {
      ...b,
      wallet: b.wallet - amount,
      totals: { ...b.totals, funding: b.totals.funding + amount },
    };
    this.refresh(a);
  }

  equity(a: number, spotMark: number, perpMark: number): number {
    const k = a * 2;
    const perp = this.qty[k + 1]!;
    // No perpetual held (or none on the market, whose mark is then NaN): it adds nothing.
    return (
      this.wallet[a]! +
      this.qty[k]! * (spotMark - this.entry[k]!) +
      (perp === 0 ? 0 : perp * (perpMark - this.entry[k + 1]!))
    );
  }

  /** Spot holdings at cost plus perpetual initial margin. */
  margin(a: number): number {
    const k = a * 2;
    return (
      Math.abs(this.qty[k]!) * this.entry[k]! + (Math.abs(this.qty[k + 1]!) * this.entry[k + 1]!) / this.leverage[a]!
    );
  }

  book(a: number): PaperAccount {
    return this.books[a]!;
  }

  /**
   * How far the books are from the venue's own account: the largest absolute difference in wallet or in any
   * position quantity (0 when every fill and funding payment was booked exactly once). The books are never
   * overwritten with the venue's numbers, so two runs that book the same events hold bit-identical books.
   */
  discrepancy(a: number, venue: PaperAccount): number {
    const b = this.books[a]!;
    let off = Math.abs(b.wallet - venue.wallet);
    const symbols = new Set([...Object.keys(b.positions), ...Object.keys(venue.positions)]);
    for (const s of symbols) off = Math.max(off, Math.abs((b.positions[s]?.qty ?? 0) - (venue.positions[s]?.qty ?? 0)));
    return off;
  }

  /** The perpetual leverage the venue applies (for the margin figure). */
  noteLeverage(a: number, venue: PaperAccount): void {
    const lev = this.symbols.perp === null ? undefined : venue.leverage[this.symbols.perp];
    if (lev !== undefined) this.leverage[a] = lev;
  }

  private refresh(a: number): void {
    const b = this.books[a]!;
    this.wallet[a] = b.wallet;
    this.fees[a] = b.totals.fees;
    this.funding[a] = b.totals.funding;
    this.realized[a] = b.totals.realizedPnl;
    for (const s of SLOTS) {
      const symbol = this.symbols[s];
      const p = symbol === null ? undefined : b.positions[symbol];
      const k = a * 2 + SLOT_INDEX[s];
      this.qty[k] = p?.qty ?? 0;
      this.entry[k] = p?.entryPrice ?? 0;
    }
  }

  save(): Json {
    return this.books.map((b, a) => ({
      wallet: b.wallet,
      totals: { realizedPnl: b.totals.realizedPnl, fees: b.totals.fees, funding: b.totals.funding },
      positions: Object.values(b.positions).map((p) => ({ symbol: p.symbol, qty: p.qty, entryPrice: p.entryPrice })),
      traded: this.traded[a]!,
      fills: this.fillCount[a]!,
      leverage: this.leverage[a]!,
    }));
  }

  restore(state: readonly SavedBook[]): void {
    state.forEach((s, a) => {
      const positions: Record<string, PaperPosition> = {};
      for (const p of s.positions) positions[p.symbol] = { ...p, takeProfit: null, stopLoss: null };
      this.books[a] = { ...this.books[a]!, wallet: s.wallet, totals: { ...s.totals }, positions };
      this.traded[a] = s.traded;
      this.fillCount[a] = s.fills;
      this.leverage[a] = s.leverage;
      this.refresh(a);
    });
  }
}

export interface SavedBook {
  readonly wallet: number;
  readonly totals: { readonly realizedPnl: number; readonly fees: number; readonly funding: number };
  readonly positions: readonly { readonly symbol: string; readonly qty: number; readonly entryPrice: number }[];
  readonly traded: number;
  readonly fills: number;
  readonly leverage: number;
}
