import { roundToStep } from '../market/precision.js';
import { accountMetrics, isWorking, spotAvailable } from './account.js';
import type { PaperConfig } from './config.js';
import { markAt, marksAt } from './market-marks.js';
import type { PaperMarketView } from './market-view.js';
import { finish, replaceOrder } from './orders.js';
import { marginError } from './place.js';
import { executeTaker } from './taker.js';
import type { EngineResult, PaperAccount, PaperEvent, PaperOrder } from './types.js';
import { invalid, normaliseLimit, normaliseQuantity } from './validate.js';

function notFound(orderId: string): EngineResult {
  return { ok: false, error: { code: 'ORDER_NOT_FOUND', message: `no order ${orderId} on this account` } };
}

function nowOf(market: PaperMarketView, account: PaperAccount) {
  const t = market.marketTime() ?? account.processedTs;
  return { t, clockTs: market.clockTimeOf(t) };
}

export function cancelOrder(account: PaperAccount, orderId: string, market: PaperMarketView): EngineResult {
  const order = account.orders.find((o) => o.orderId === orderId);
  if (!order) return notFound(orderId);
  if (!isWorking(order)) return { ok: false, error: invalid(`order ${orderId} is ${order.status}, not open`) };
  const done = finish(order, 'cancelled', nowOf(market, account).clockTs, 'cancelled by the account');
  return { ok: true, account: replaceOrder(account, done), events: [], order: done };
}

/**
 * Changes a resting limit order's quantity and/or price. A new price that crosses the book executes at once
 * (GTC) or is refused (post-only). The new quantity may not go below what has already filled.
 */
export function amendOrder(
  account: PaperAccount,
  orderId: string,
  changes: { readonly quantity?: number; readonly limitPrice?: number },
  market: PaperMarketView,
  cfg: PaperConfig,
): EngineResult {
  const order = account.orders.find((o) => o.orderId === orderId);
  if (!order) return notFound(orderId);
  if (!isWorking(order) || order.type !== 'limit') {
    return {
      ok: false,
      error: invalid(`order ${orderId} is a ${order.status} ${order.type} order: only open limits amend`),
    };
  }
  const inst = market.instrumentOf(order.symbol);
  const { t, clockTs } = nowOf(market, account);
  const book = market.bookAt(order.symbol, t);
  if (!inst || !book) return { ok: false, error: invalid(`no market for ${order.symbol} at this time`) };
  let quantity = order.quantity;
  if (changes.quantity !== undefined) {
    const q = normaliseQuantity(changes.quantity, inst);
    if (typeof q !== 'number') return { ok: false, error: q };
    if (q <= order.filledQuantity) {
      return { ok: false, error: invalid(`quantity ${q} is not above the ${order.filledQuantity} already filled`) };
    }
    quantity = q;
  }
  let limitPrice = order.limitPrice!;
  if (changes.limitPrice !== undefined) {
    const p = normaliseLimit(changes.limitPrice, order.side, inst);
    if (typeof p !== 'number') return { ok: false, error: p };
    limitPrice = p;
  }
  const marketable = order.side === 'buy' ? limitPrice >= book.ask : limitPrice <= book.bid;
  if (marketable && order.timeInForce === 'PO') {
    return { ok: false, error: invalid(`post-only amend to ${limitPrice} would cross the book`) };
  }
  if (inst.kind === 'spot' && order.side === 'sell') {
    const available = spotAvailable(account, order.symbol, order.orderId);
    if (quantity - order.filledQuantity > available + 1e-9) {
      return {
        ok: false,
        error: { code: 'INSUFFICIENT_BALANCE', message: `only ${available} ${inst.base} available` },
      };
    }
  }
  const marks = marksAt(market, t);
  const insts = (s: string) => market.instrumentOf(s);
  const before = accountMetrics(account, marks, insts, cfg);
  let amended: PaperOrder = { ...order, quantity, limitPrice, updatedAt: clockTs };
  let acc = replaceOrder(account, amended);
  let events: PaperEvent[] = [];
  if (marketable) {
    const r = executeTaker(acc, amended, book, inst, cfg, t, clockTs);
    acc = r.account;
    amended = r.order;
    events = r.events;
  }
  const refused = marginError(before, accountMetrics(acc, marks, insts, cfg));
  if (refused) return { ok: false, error: refused };
  return { ok: true, account: acc, events, order: amended };
}

export function setLeverage(
  account: PaperAccount,
  symbol: string,
  leverage: number,
  market: PaperMarketView,
  cfg: PaperConfig,
): EngineResult {
  const inst = market.instrumentOf(symbol);
  if (!inst) return { ok: false, error: invalid(`unknown symbol ${symbol}`) };
  const max = inst.kind === 'spot' ? 1 : inst.maxLeverage;
  if (!Number.isFinite(leverage) || leverage < 1 || leverage > max) {
    return { ok: false, error: invalid(`leverage ${leverage} is outside 1..${max} for ${inst.symbol}`) };
  }
  if (inst.kind === 'spot') return { ok: true, account, events: [], order: null };
  const { t } = nowOf(market, account);
  const marks = marksAt(market, t);
  const insts = (s: string) => market.instrumentOf(s);
  const next = { ...account, leverage: { ...account.leverage, [inst.symbol]: leverage } };
  const refused = marginError(accountMetrics(account, marks, insts, cfg), accountMetrics(next, marks, insts, cfg));
  if (refused) return { ok: false, error: refused };
  return { ok: true, account: next, events: [], order: null };
}

/** Sets (a number), clears (null) or keeps (undefined) the take-profit and stop-loss of an open position. */
export function setTradingStop(
  account: PaperAccount,
  symbol: string,
  stops: { readonly takeProfit?: number | null; readonly stopLoss?: number | null },
  market: PaperMarketView,
): EngineResult {
  const inst = market.instrumentOf(symbol);
  const pos = inst ? account.positions[inst.symbol] : undefined;
  if (!inst || !pos) return { ok: false, error: invalid(`no open ${symbol} position to protect`) };
  const mark = markAt(market, inst.symbol, nowOf(market, account).t) ?? pos.entryPrice;
  const long = pos.qty > 0;
  const pick = (v: number | null | undefined, old: number | null) =>
    v === undefined ? old : v === null ? null : roundToStep(v, inst.tickSize);
  const takeProfit = pick(stops.takeProfit, pos.takeProfit);
  const stopLoss = pick(stops.stopLoss, pos.stopLoss);
  for (const [name, v] of [
    ['takeProfit', takeProfit],
    ['stopLoss', stopLoss],
  ] as const) {
    if (v !== null && !(Number.isFinite(v) && v > 0)) return { ok: false, error: invalid(`${name} must be > 0`) };
  }
  if (takeProfit !== null && (long ? takeProfit <= mark : takeProfit >= mark)) {
    return { ok: false, error: invalid(`take-profit ${takeProfit} is on the wrong side of the mark ${mark}`) };
  }
  if (stopLoss !== null && (long ? stopLoss >= mark : stopLoss <= mark)) {
    return { ok: false, error: invalid(`stop-loss ${stopLoss} is on the wrong side of the mark ${mark}`) };
  }
  const positions = { ...account.positions, [inst.symbol]: { ...pos, takeProfit, stopLoss } };
  return { ok: true, account: { ...account, positions }, events: [], order: null };
}
