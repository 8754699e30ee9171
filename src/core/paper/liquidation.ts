import { accountMetrics, applyFill, type Instruments, type Marks } from './account.js';
import type { PaperConfig } from './config.js';
import { finish, nextOrderId, systemOrder } from './orders.js';
import type { PaperAccount, PaperEvent } from './types.js';

/**
 * Cross margin: when equity falls below the maintenance margin of the perpetual positions, every perpetual
 * position closes at mark and open perpetual orders are cancelled. The fee is `liquidationFeeRate` of the
 * notional closed, capped at the equity left (the account is never charged into a deeper hole by the fee).
 */
export function liquidateIfNeeded(
  account: PaperAccount,
  marks: Marks,
  insts: Instruments,
  cfg: PaperConfig,
  ts: number,
  clockTs: number,
): { account: PaperAccount; events: PaperEvent[] } {
  const m = accountMetrics(account, marks, insts, cfg);
  const perps = Object.values(account.positions).filter((p) => insts(p.symbol)?.kind === 'perp');
  if (perps.length === 0 || m.equity >= m.maintenance) return { account, events: [] };
  const events: PaperEvent[] = [{ kind: 'liquidation', ts, equity: m.equity, maintenance: m.maintenance }];
  const notional = perps.reduce((a, p) => a + Math.abs(p.qty) * (marks(p.symbol) ?? p.entryPrice), 0);
  const equityAfterClose = m.equity; // closing at mark realises exactly the unrealised P&L
  const totalFee = Math.min(cfg.liquidationFeeRate * notional, Math.max(0, equityAfterClose));
  let acc = account;
  for (const p of perps) {
    const mark = marks(p.symbol) ?? p.entryPrice;
    const share = notional > 0 ? (Math.abs(p.qty) * mark) / notional : 0;
    const side = p.qty > 0 ? 'sell' : 'buy';
    const ids = nextOrderId(acc);
    const fee = totalFee * share;
    const booked = applyFill(ids.account, {
      symbol: p.symbol,
      orderId: ids.id,
      source: 'liquidation',
      side,
      quantity: Math.abs(p.qty),
      price: mark,
      fee,
      liquidity: 'taker',
      ts,
    });
    const order = systemOrder(ids.id, 'liquidation', p.symbol, side, Math.abs(p.qty), clockTs);
    const filled = {
      ...order,
      status: 'filled' as const,
      filledQuantity: order.quantity,
      avgFillPrice: mark,
      fills: [
        {
          fillId: `${ids.id}-f1`,
          orderId: ids.id,
          ts: clockTs,
          price: mark,
          quantity: order.quantity,
          fee,
          liquidity: 'taker' as const,
        },
      ],
    };
    acc = { ...booked.account, orders: [...booked.account.orders, filled] };
    events.push(booked.event);
  }
  const orders = acc.orders.map((o) =>
    (o.status === 'open' || o.status === 'partially_filled') && insts(o.symbol)?.kind === 'perp'
      ? finish(o, 'cancelled', clockTs, 'cancelled by liquidation')
      : o,
  );
  return { account: { ...acc, orders }, events };
}
