import { floorToStep } from '../market/precision.js';
import { isWorking } from './account.js';
import type { PaperConfig } from './config.js';
import { type LegMove, reachAt } from './legs.js';
import type { PaperMarketView } from './market-view.js';
import { fillOrder, finish, nextOrderId, replaceOrder, systemOrder, walkBook } from './orders.js';
import { executableQuantity } from './taker.js';
import type { PaperAccount, PaperEvent } from './types.js';

interface Trigger {
  readonly at: number;
  /** Stops (0) act before resting orders (1) at the same point: protection first. */
  readonly rank: 0 | 1;
  readonly orderId: string | null;
  readonly stop: 'take_profit' | 'stop_loss' | null;
  readonly level: number;
}

function triggersFor(account: PaperAccount, symbol: string, move: LegMove): Trigger[] {
  const out: Trigger[] = [];
  for (const o of account.orders) {
    if (o.symbol !== symbol || !isWorking(o) || o.limitPrice === null) continue;
    const at = reachAt(move, o.limitPrice, o.side === 'buy' ? 'above' : 'below');
    if (at !== null) out.push({ at, rank: 1, orderId: o.orderId, stop: null, level: o.limitPrice });
  }
  const pos = account.positions[symbol];
  if (pos) {
    const long = pos.qty > 0;
    if (pos.stopLoss !== null) {
      const at = reachAt(move, pos.stopLoss, long ? 'above' : 'below');
      if (at !== null) out.push({ at, rank: 0, orderId: null, stop: 'stop_loss', level: pos.stopLoss });
    }
    if (pos.takeProfit !== null) {
      const at = reachAt(move, pos.takeProfit, long ? 'below' : 'above');
      if (at !== null) out.push({ at, rank: 0, orderId: null, stop: 'take_profit', level: pos.takeProfit });
    }
  }
  return out.sort((x, y) => x.at - y.at || x.rank - y.rank);
}

/**
 * Works one symbol over one straight leg of its price path: resting limits fill as maker at their price when
 * the path reaches them (as much as the modelled depth there allows), and take-profit / stop-loss close the
 * position with a market order at the trigger price (or where the leg started, if it began beyond it).
 */
export function processSymbolLeg(
  account: PaperAccount,
  symbol: string,
  move: LegMove,
  a: number,
  b: number,
  market: PaperMarketView,
  cfg: PaperConfig,
  events: PaperEvent[],
): PaperAccount {
  const inst = market.instrumentOf(symbol);
  if (!inst) return account;
  let acc = account;
  for (const tr of triggersFor(account, symbol, move)) {
    const ts = Math.round(a + tr.at * (b - a));
    const clockTs = market.clockTimeOf(ts);
    if (tr.orderId !== null) {
      const order = acc.orders.find((o) => o.orderId === tr.orderId);
      if (!order || !isWorking(order)) continue;
      const executable = executableQuantity(acc, order, inst);
      if (executable <= 0) {
        if (order.reduceOnly)
          acc = replaceOrder(acc, finish(order, 'cancelled', clockTs, 'reduce-only: the position is closed'));
        continue;
      }
      const book = market.bookAt(symbol, ts, tr.level);
      const levels = order.side === 'buy' ? book?.bids : book?.asks;
      const top = levels?.[0];
      if (!top) continue;
      const step = levels[1] ? Math.abs(levels[1].price - top.price) : inst.tickSize;
      const depth = order.side === 'buy' ? tr.level - move.low : move.high - tr.level;
      const capacity = floorToStep(top.size * (1 + Math.max(0, depth) / step), inst.stepSize);
      const qty = Math.min(executable, capacity);
      if (qty <= 0) continue;
      const feeRate = cfg.fees[inst.kind].maker;
      const r = fillOrder(acc, order, { quantity: qty, price: tr.level, feeRate, liquidity: 'maker', ts, clockTs });
      acc = r.account;
      events.push(r.event);
      continue;
    }
    const pos = acc.positions[symbol];
    const stillSet = pos && (tr.stop === 'stop_loss' ? pos.stopLoss : pos.takeProfit) === tr.level;
    if (!pos || !stillSet) continue;
    const price = tr.at === 0 ? move.p0 : tr.level;
    const side = pos.qty > 0 ? 'sell' : 'buy';
    const ids = nextOrderId(acc);
    const order = systemOrder(ids.id, tr.stop!, symbol, side, Math.abs(pos.qty), clockTs);
    acc = { ...ids.account, orders: [...ids.account.orders, order] };
    const book = market.bookAt(symbol, ts, price);
    const walk = walkBook(
      (side === 'buy' ? book?.asks : book?.bids) ?? [{ price, size: order.quantity }],
      order.quantity,
      side,
      null,
      true,
    );
    const r = fillOrder(acc, order, {
      quantity: order.quantity,
      price: walk.avgPrice,
      feeRate: cfg.fees[inst.kind].taker,
      liquidity: 'taker',
      ts,
      clockTs,
    });
    acc = r.account;
    events.push(r.event);
  }
  return acc;
}
