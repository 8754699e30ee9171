import type { ModelledBook } from '../market/quote-model.js';
import type { Instrument } from '../market/types.js';
import type { PaperConfig } from './config.js';
import { fillOrder, walkBook } from './orders.js';
import type { PaperAccount, PaperEvent, PaperOrder } from './types.js';

/** How much of an order may execute now: reduce-only never flips, spot never sells what it does not hold. */
export function executableQuantity(account: PaperAccount, order: PaperOrder, inst: Instrument): number {
  let qty = order.quantity - order.filledQuantity;
  const q = account.positions[order.symbol]?.qty ?? 0;
  if (order.reduceOnly) {
    const opposite = (order.side === 'buy' && q < 0) || (order.side === 'sell' && q > 0);
    qty = opposite ? Math.min(qty, Math.abs(q)) : 0;
  }
  if (inst.kind === 'spot' && order.side === 'sell') qty = Math.min(qty, Math.max(0, q));
  return qty;
}

/** Quantity the book offers within the order's limit (for fill-or-kill). */
export function liquidityWithin(book: ModelledBook, order: PaperOrder, quantity: number): number {
  return walkBook(order.side === 'buy' ? book.asks : book.bids, quantity, order.side, order.limitPrice).quantity;
}

/** Executes an order against the book as taker: walks the levels, one fill at the average price. */
export function executeTaker(
  account: PaperAccount,
  order: PaperOrder,
  book: ModelledBook,
  inst: Instrument,
  cfg: PaperConfig,
  ts: number,
  clockTs: number,
): { account: PaperAccount; order: PaperOrder; events: PaperEvent[] } {
  const qty = executableQuantity(account, order, inst);
  if (qty <= 0) return { account, order, events: [] };
  const walk = walkBook(order.side === 'buy' ? book.asks : book.bids, qty, order.side, order.limitPrice);
  if (walk.quantity <= 0) return { account, order, events: [] };
  const feeRate = cfg.fees[inst.kind].taker;
  const r = fillOrder(account, order, {
    quantity: walk.quantity,
    price: walk.avgPrice,
    feeRate,
    liquidity: 'taker',
    ts,
    clockTs,
  });
  return { account: r.account, order: r.order, events: [r.event] };
}
