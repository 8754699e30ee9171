import type { OpenOrder, Trade } from '@polymarket/clob-client';
import type { OrderStatus, VenueBalance, VenueFill, VenueOrder } from '../../../ports/venue.js';

/** The venue's taker fee: base rate × min(price, 1 − price) × shares, in USDC; makers pay none. */
export function takerFee(bps: number, price: number, size: number): number {
  return Math.round((bps / 10_000) * Math.min(price, 1 - price) * size * 1e6) / 1e6;
}

/** A limit price on the market's tick, never worse for the trader: buys round down, sells up. */
export function onTick(price: number, tick: number, side: 'buy' | 'sell'): number {
  const steps = price / tick;
  const n = side === 'buy' ? Math.floor(steps + 1e-9) : Math.ceil(steps - 1e-9);
  // The tick's own decimals, so 0.29 stays 0.29 and not 0.29000000000000004.
  const decimals = Math.max(0, Math.ceil(-Math.log10(tick) - 1e-9));
  return Number((n * tick).toFixed(decimals));
}

/** Shares are sent on a 0.01 step, rounded down; a reduce-only sale is also cut to what is held. */
export const SHARE_STEP = 0.01;

export function sharesToSend(requested: number, held: number | null): number {
  const floor = (x: number) => Math.round(Math.floor(x / SHARE_STEP + 1e-9) * SHARE_STEP * 100) / 100;
  return Math.max(0, held === null ? floor(requested) : Math.min(floor(requested), floor(held)));
}

/**
 * The account in USDC: cash is the wallet's USDC, open buys reserve what they would pay, tokens count at cost.
 * total = cash + cost, free = cash − reserved (within [0, total]), used = the rest, equity = total + unrealised.
 */
export function accountBalance(
  cash: number,
  reserved: number,
  positions: readonly { readonly margin: number; readonly unrealizedPnl: number }[],
): VenueBalance {
  const cost = positions.reduce((s, p) => s + p.margin, 0);
  const upnl = positions.reduce((s, p) => s + p.unrealizedPnl, 0);
  const total = cash + cost;
  const free = Math.min(Math.max(0, cash - reserved), Math.max(0, total));
  return { currency: 'USDC', total, free, used: total - free, equity: total + upnl };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The fills of one order among the account's trades: as taker (the trade's own side) or as one of its makers. */
export function fillsOf(orderId: string, trades: readonly Trade[]): VenueFill[] {
  const out: VenueFill[] = [];
  for (const t of trades) {
    const ts = Number(t.match_time) * 1000;
    if (t.trader_side === 'TAKER' && same(t.taker_order_id, orderId)) {
      const price = Number(t.price);
      const size = Number(t.size);
      out.push({
        fillId: t.id,
        orderId,
        ts,
        price,
        quantity: size,
        fee: takerFee(Number(t.fee_rate_bps), price, size),
        liquidity: 'taker',
      });
      continue;
    }
    for (const m of t.maker_orders ?? []) {
      if (!same(m.order_id, orderId)) continue;
      out.push({
        fillId: `${t.id}:${m.order_id}`,
        orderId,
        ts,
        price: Number(m.price),
        quantity: Number(m.matched_amount),
        fee: 0,
        liquidity: 'maker',
      });
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/** One signed change of an account's holding of a token: + bought, − sold, at a price. */
export interface OwnFill {
  readonly size: number;
  readonly price: number;
  readonly ts: number;
}

/** The account's own buys (+) and sells (−) in a token's trades, oldest first (its wallet is the maker address). */
export function ownFills(trades: readonly Trade[], wallet: string): OwnFill[] {
  const out: OwnFill[] = [];
  for (const t of trades) {
    const ts = Number(t.match_time);
    if (t.trader_side === 'TAKER' && same(t.maker_address, wallet)) {
      out.push({ size: (t.side === 'BUY' ? 1 : -1) * Number(t.size), price: Number(t.price), ts });
      continue;
    }
    for (const m of t.maker_orders ?? [])
      if (same(m.maker_address, wallet))
        out.push({ size: (m.side === 'BUY' ? 1 : -1) * Number(m.matched_amount), price: Number(m.price), ts });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/** Average cost of what is held: buys add at their price, sells take out at the running average. */
export function averageCost(fills: readonly OwnFill[]): number {
  let qty = 0;
  let cost = 0;
  for (const f of fills) {
    if (f.size > 0) {
      qty += f.size;
      cost += f.size * f.price;
    } else if (qty > 0) {
      const out = Math.min(qty, -f.size);
      cost -= (cost / qty) * out;
      qty -= out;
    }
  }
  return qty > 1e-9 ? cost / qty : 0;
}

/** LIVE / MATCHED / CANCELED (and the prefixed ORDER_STATUS_* spellings) → the port's status. */
export function statusOf(status: string, filled: number, size: number): OrderStatus {
  const s = status.toUpperCase();
  if (s.includes('MATCHED') && !s.includes('UNMATCHED')) return filled >= size - 1e-9 ? 'filled' : 'partially_filled';
  if (s.includes('CANCEL') || s.includes('UNMATCHED') || s.includes('INVALID')) return 'cancelled';
  if (filled >= size - 1e-9 && size > 0) return 'filled';
  return filled > 0 ? 'partially_filled' : 'open';
}

export function toVenueOrder(
  o: OpenOrder,
  symbol: string,
  clientOrderId: string,
  type: 'market' | 'limit',
  trades: readonly Trade[],
): VenueOrder {
  const fills = fillsOf(o.id, trades);
  const size = Number(o.original_size);
  const filled = Number(o.size_matched);
  const filledFromFills = fills.reduce((s, f) => s + f.quantity, 0);
  const avg =
    filledFromFills > 0
      ? fills.reduce((s, f) => s + f.price * f.quantity, 0) / filledFromFills
      : filled > 0
        ? Number(o.price)
        : null;
  const createdAt = Number(o.created_at) * 1000;
  return {
    orderId: o.id,
    clientOrderId,
    symbol,
    side: o.side.toUpperCase() === 'BUY' ? 'buy' : 'sell',
    type,
    quantity: size,
    filledQuantity: filled,
    avgFillPrice: avg,
    limitPrice: type === 'limit' ? Number(o.price) : null,
    status: statusOf(o.status, filled, size),
    reduceOnly: false,
    createdAt,
    updatedAt: Math.max(createdAt, fills.at(-1)?.ts ?? 0),
    fills,
  };
}
