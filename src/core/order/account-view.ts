/**
 * The account-view rule, as pure functions the stores execute under the account lock. A venue's view of an
 * account (positions, equity) is taken outside any lock, so by the time it is applied the store may have reserved
 * or recorded more. The store keeps a version per account, moved by every reservation, order answer and applied
 * view; a view taken at the current version replaces the store's positions and equity, and any other view is
 * stale: only the order answers it carries are applied, each fill moving the store's own position once.
 */

export interface HeldPosition {
  readonly symbol: string;
  /** Signed base quantity. */
  readonly qty: number;
  readonly avgPrice: number;
  readonly mark: number;
}

/** Whether a view taken at `asOf` may replace the store's state now (null: taken by the sole writer in step). */
export function isCurrentView(accountVersion: number, asOf: number | null): boolean {
  return asOf === null || asOf === accountVersion;
}

/**
 * A position after a fill of `quantity` (> 0) on `side` at `price`: the store's own bookkeeping when no current
 * view of the venue is at hand. Adding keeps a size-weighted average price; reducing keeps it; crossing through
 * zero starts the new side at the fill price. The mark becomes the fill price. Null when the position is flat.
 */
export function positionAfterFill(
  held: HeldPosition | null,
  symbol: string,
  side: 'buy' | 'sell',
  quantity: number,
  price: number,
): HeldPosition | null {
  if (!(quantity > 0) || !Number.isFinite(price)) return held;
  const q0 = held?.qty ?? 0;
  const signed = side === 'buy' ? quantity : -quantity;
  const q1 = q0 + signed;
  // Sizes are on the venue's step grid; a sum that lands within float noise of zero is flat.
  if (Math.abs(q1) <= 1e-12 * Math.max(1, Math.abs(q0), quantity)) return null;
  let avg: number;
  if (q0 === 0 || Math.sign(q0) !== Math.sign(q1)) avg = price;
  else if (Math.sign(signed) === Math.sign(q0))
    avg = (Math.abs(q0) * (held?.avgPrice ?? price) + quantity * price) / Math.abs(q1);
  else avg = held?.avgPrice ?? price;
  return { symbol, qty: q1, avgPrice: avg, mark: price };
}
