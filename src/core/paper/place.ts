import { type AccountMetrics, accountMetrics, spotAvailable } from './account.js';
import type { PaperConfig } from './config.js';
import { marksAt } from './market-marks.js';
import type { PaperMarketView } from './market-view.js';
import { finish, nextOrderId } from './orders.js';
import { executeTaker, liquidityWithin } from './taker.js';
import type { EngineResult, OrderRequest, PaperAccount, PaperEvent, PaperOrder } from './types.js';
import { invalid, validateRequest } from './validate.js';

const EPS = 1e-9;

/** Free margin before and after a change: refuse a change that leaves it negative and made it worse. */
export function marginError(before: AccountMetrics, after: AccountMetrics) {
  if (after.free < -EPS && after.free < before.free - EPS) {
    return {
      code: 'INSUFFICIENT_BALANCE' as const,
      message: `needs ${(before.free - after.free).toFixed(2)} USDT of margin, ${before.free.toFixed(2)} free`,
    };
  }
  return null;
}

/**
 * Places an order at the current market time: validates it, takes liquidity if marketable (walking the
 * modelled book), rests the remainder for GTC / post-only, and refuses what the account cannot pay for.
 * The same clientOrderId returns the order already placed, unchanged.
 */
export function placeOrder(
  account: PaperAccount,
  request: OrderRequest,
  market: PaperMarketView,
  cfg: PaperConfig,
): EngineResult {
  const existing = account.orders.find((o) => o.clientOrderId === request.clientOrderId && o.source === 'client');
  if (existing) return { ok: true, account, events: [], order: existing };
  const inst = market.instrumentOf(request.symbol);
  if (!inst) return { ok: false, error: invalid(`unknown symbol ${request.symbol}`) };
  const t = market.marketTime();
  const book = t === null ? null : market.bookAt(inst.symbol, t);
  if (t === null || !book) return { ok: false, error: invalid(`no market for ${inst.symbol} at this time`) };
  const held = account.positions[inst.symbol]?.qty ?? 0;
  const req = validateRequest({ ...request, symbol: inst.symbol }, inst, book.mid, held);
  if ('code' in req) return { ok: false, error: req };
  const marks = marksAt(market, t);
  const insts = (s: string) => market.instrumentOf(s);
  const before = accountMetrics(account, marks, insts, cfg);

  let acc = account;
  if (req.leverage !== null && inst.kind === 'perp') {
    acc = { ...acc, leverage: { ...acc.leverage, [inst.symbol]: req.leverage } };
  }
  const pos = acc.positions[inst.symbol]?.qty ?? 0;
  if (req.reduceOnly && !((req.side === 'buy' && pos < 0) || (req.side === 'sell' && pos > 0))) {
    return { ok: false, error: invalid(`reduce-only ${req.side} would not reduce the ${inst.symbol} position`) };
  }
  if (
    inst.kind === 'spot' &&
    req.side === 'sell' &&
    !req.reduceOnly &&
    req.quantity > spotAvailable(acc, inst.symbol) + EPS
  ) {
    return {
      ok: false,
      error: {
        code: 'INSUFFICIENT_BALANCE',
        message: `sell ${req.quantity} ${inst.base} but only ${spotAvailable(acc, inst.symbol)} available (no spot shorting)`,
      },
    };
  }
  const ids = nextOrderId(acc);
  acc = ids.account;
  const clockTs = market.clockTimeOf(t);
  let order: PaperOrder = {
    orderId: ids.id,
    clientOrderId: req.clientOrderId,
    symbol: inst.symbol,
    side: req.side,
    type: req.type,
    quantity: req.quantity,
    filledQuantity: 0,
    avgFillPrice: null,
    limitPrice: req.limitPrice,
    status: 'open',
    reduceOnly: req.reduceOnly,
    createdAt: clockTs,
    updatedAt: clockTs,
    fills: [],
    timeInForce: req.timeInForce,
    source: 'client',
    note: null,
  };
  let events: PaperEvent[] = [];
  const marketable =
    req.type === 'market' || (req.side === 'buy' ? req.limitPrice! >= book.ask : req.limitPrice! <= book.bid);
  if (req.timeInForce === 'PO' && marketable) {
    order = finish(
      order,
      'rejected',
      clockTs,
      `post-only order would cross the book (bid ${book.bid}, ask ${book.ask})`,
    );
  } else if (req.timeInForce === 'FOK' && liquidityWithin(book, order, order.quantity) < order.quantity - EPS) {
    order = finish(order, 'expired', clockTs, 'fill-or-kill: not enough liquidity within the limit');
  } else {
    if (marketable) {
      const r = executeTaker(acc, order, book, inst, cfg, t, clockTs);
      acc = r.account;
      order = r.order;
      events = r.events;
    }
    const rests = req.type === 'limit' && (req.timeInForce === 'GTC' || req.timeInForce === 'PO');
    if (order.status !== 'filled') {
      const nothingLeft = req.reduceOnly && !acc.positions[inst.symbol];
      if (nothingLeft) order = finish(order, 'cancelled', clockTs, 'reduce-only: the position is closed');
      else if (!rests) order = finish(order, 'expired', clockTs, 'not filled immediately: the rest is cancelled');
    }
  }
  acc = { ...acc, orders: [...acc.orders, order] };
  const refused = marginError(before, accountMetrics(acc, marks, insts, cfg));
  if (refused) return { ok: false, error: refused };
  return { ok: true, account: acc, events, order };
}
