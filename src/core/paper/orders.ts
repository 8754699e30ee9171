import type { BookLevel } from '../market/types.js';
import { applyFill } from './account.js';
import { QTY_EPSILON } from './config.js';
import type { OrderSource, PaperAccount, PaperEvent, PaperOrder, PaperOrderStatus, PaperSide } from './types.js';

/** The next order id for an account, and the account with its counter moved on. */
export function nextOrderId(account: PaperAccount): { id: string; account: PaperAccount } {
  const seq = account.seq + 1;
  return { id: `${account.accountId}-o${seq}`, account: { ...account, seq } };
}

export function replaceOrder(account: PaperAccount, order: PaperOrder): PaperAccount {
  const orders = account.orders.map((o) => (o.orderId === order.orderId ? order : o));
  return { ...account, orders };
}

export function finish(
  order: PaperOrder,
  status: PaperOrderStatus,
  ts: number,
  note: string | null = null,
): PaperOrder {
  return { ...order, status, updatedAt: ts, note: note ?? order.note };
}

/** Result of walking one side of a book: how much fills and at what average price. */
export interface Walk {
  readonly quantity: number;
  readonly avgPrice: number;
}

/**
 * Takes liquidity level by level (asks for a buy, bids for a sell) up to `quantity`, never past `limit`.
 * With `sweepRest` the part beyond the modelled depth fills at the last level (a stop or liquidation must close).
 */
export function walkBook(
  levels: readonly BookLevel[],
  quantity: number,
  side: PaperSide,
  limit: number | null,
  sweepRest = false,
): Walk {
  let filled = 0;
  let cost = 0;
  let last: number | null = null;
  for (const lvl of levels) {
    if (filled >= quantity - QTY_EPSILON) break;
    if (limit !== null && (side === 'buy' ? lvl.price > limit : lvl.price < limit)) break;
    const take = Math.min(lvl.size, quantity - filled);
    filled += take;
    cost += take * lvl.price;
    last = lvl.price;
  }
  if (sweepRest && filled < quantity && last !== null) {
    cost += (quantity - filled) * last;
    filled = quantity;
  }
  return { quantity: filled, avgPrice: filled > 0 ? cost / filled : 0 };
}

/** Books a fill on the order and the account; returns the updated order too (status moves to filled or partial). */
export function fillOrder(
  account: PaperAccount,
  order: PaperOrder,
  fill: { quantity: number; price: number; feeRate: number; liquidity: 'maker' | 'taker'; ts: number; clockTs: number },
): { account: PaperAccount; order: PaperOrder; event: PaperEvent } {
  const fee = fill.quantity * fill.price * fill.feeRate;
  const booked = applyFill(account, {
    symbol: order.symbol,
    orderId: order.orderId,
    source: order.source,
    side: order.side,
    quantity: fill.quantity,
    price: fill.price,
    fee,
    liquidity: fill.liquidity,
    ts: fill.ts,
  });
  const filledQuantity = order.filledQuantity + fill.quantity;
  const prevCost = (order.avgFillPrice ?? 0) * order.filledQuantity;
  const done = filledQuantity >= order.quantity - QTY_EPSILON;
  const next: PaperOrder = {
    ...order,
    filledQuantity: done ? order.quantity : filledQuantity,
    avgFillPrice: (prevCost + fill.quantity * fill.price) / filledQuantity,
    status: done ? 'filled' : 'partially_filled',
    updatedAt: fill.clockTs,
    fills: [
      ...order.fills,
      {
        fillId: `${order.orderId}-f${order.fills.length + 1}`,
        orderId: order.orderId,
        ts: fill.clockTs,
        price: fill.price,
        quantity: fill.quantity,
        fee,
        liquidity: fill.liquidity,
      },
    ],
  };
  const withOrder = account.orders.some((o) => o.orderId === order.orderId)
    ? replaceOrder(booked.account, next)
    : booked.account;
  return { account: withOrder, order: next, event: booked.event };
}

/** A market order made by the venue itself (a take-profit, stop-loss or liquidation close). */
export function systemOrder(
  id: string,
  source: OrderSource,
  symbol: string,
  side: PaperSide,
  quantity: number,
  clockTs: number,
): PaperOrder {
  return {
    orderId: id,
    clientOrderId: `${source}-${id}`,
    symbol,
    side,
    type: 'market',
    quantity,
    filledQuantity: 0,
    avgFillPrice: null,
    limitPrice: null,
    status: 'open',
    reduceOnly: true,
    createdAt: clockTs,
    updatedAt: clockTs,
    fills: [],
    timeInForce: 'IOC',
    source,
    note: null,
  };
}
