import type { BookLevel } from '../market/types.js';
import type { Outcome } from './types.js';

export interface BookModel {
  /** Half the spread around the YES mid, in price units (default one tick). */
  readonly halfSpread?: number;
  /** Levels per side (default 5). */
  readonly levels?: number;
  /** Shares at the best level; each further level holds one more lot (default 200). */
  readonly depth?: number;
}

export interface OutcomeBook {
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

const onGrid = (p: number, tick: number) => Math.round(p / tick) * tick;

/**
 * The YES mid the modelled books are centred on: `yesMid`, moved in from the edges just enough that a bid and an
 * ask half a spread away both lie on the grid strictly inside (0, 1). A market at 1¢ is quoted 1¢ bid / 3¢ ask
 * (mid 2¢), never one-sided: a book without a bid or an ask has no reference price, and every order on it would be
 * refused QUOTE_MISSING.
 */
export function bookCentre(yesMid: number, tick: number, halfSpread = tick): number {
  const half = Math.max(halfSpread, tick / 2);
  return Math.min(Math.max(yesMid, tick + half), 1 - tick - half);
}

/**
 * The modelled order books of a binary market from its YES mid (moved in from the edges by `bookCentre`). The NO book mirrors the YES book: a NO ask at q
 * is a YES bid at 1 − q (buying NO is selling YES), so the two books can never offer a free pair. Every level
 * lies strictly inside (0, 1), on the tick grid.
 */
export function modelBooks(yesMid: number, tick: number, model: BookModel = {}): Record<Outcome, OutcomeBook> {
  const half = Math.max(model.halfSpread ?? tick, tick / 2);
  const centre = bookCentre(yesMid, tick, half);
  const n = model.levels ?? 5;
  const depth = model.depth ?? 200;
  const inside = (p: number) => p >= tick - 1e-12 && p <= 1 - tick + 1e-12;
  const yesAsks: BookLevel[] = [];
  const yesBids: BookLevel[] = [];
  for (let k = 0; k < n; k++) {
    const ask = +onGrid(centre + half + k * tick, tick).toFixed(10);
    const bid = +onGrid(centre - half - k * tick, tick).toFixed(10);
    if (inside(ask) && !yesAsks.some((l) => l.price === ask)) yesAsks.push({ price: ask, size: depth * (k + 1) });
    if (inside(bid) && !yesBids.some((l) => l.price === bid)) yesBids.push({ price: bid, size: depth * (k + 1) });
  }
  const flip = (l: BookLevel): BookLevel => ({ price: +(1 - l.price).toFixed(10), size: l.size });
  return {
    YES: { bids: yesBids, asks: yesAsks },
    NO: { bids: yesAsks.map(flip), asks: yesBids.map(flip) },
  };
}

/** Collateral resting within `cents` of the mid on both sides of an outcome's book (the liquidity gate's measure). */
export function depthWithin(book: OutcomeBook, mid: number, cents: number): number {
  const reach = cents / 100 + 1e-12;
  const side = (ls: readonly BookLevel[]) =>
    ls.filter((l) => Math.abs(l.price - mid) <= reach).reduce((a, l) => a + l.price * l.size, 0);
  return side(book.bids) + side(book.asks);
}
