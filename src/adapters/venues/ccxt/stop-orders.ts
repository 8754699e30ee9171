import { z } from 'zod';
import type { CcxtOrder } from './schemas.js';

/**
 * How each venue represents a position's take-profit / stop-loss as conditional close orders, and how to tell
 * which is which from the venue's own order record (ccxt does not unify that for algo / plan orders).
 */

export type StopKind = 'tp' | 'sl';
type Params = Record<string, unknown>;

export interface StopLevels {
  readonly tp: number | null;
  readonly sl: number | null;
}

/** One createOrder call: the amount (contracts) is the position size, or undefined for "close the position". */
export interface StopPlacement {
  readonly amount: number | undefined;
  readonly params: Params;
}

export interface StopOrderDialect {
  /** fetchOpenOrders params listing the open TP/SL orders. */
  readonly listParams: Params;
  /** cancelOrder params for one of them. */
  readonly cancelParams: Params;
  /** The TP and/or SL levels an open conditional order carries. */
  levels(order: CcxtOrder): Partial<StopLevels>;
  /** The createOrder calls that put `levels` in place for a position of `contracts`. */
  place(levels: Partial<StopLevels>, contracts: number): StopPlacement[];
}

/** Binance USDⓈ-M algo order (`/fapi/v1/openAlgoOrders`). */
const BinanceAlgoOrderSchema = z.object({ orderType: z.string(), triggerPrice: z.coerce.number() });

/** OKX algo order (`/api/v5/trade/orders-algo-pending`), `conditional` or `oco`. */
const OkxAlgoOrderSchema = z.object({ tpTriggerPx: z.string().optional(), slTriggerPx: z.string().optional() });

/** Bitget plan order (`/api/v2/mix/order/orders-plan-pending`, planType profit_loss). */
const BitgetPlanOrderSchema = z.object({ planType: z.string(), triggerPrice: z.coerce.number() });

function positive(s: string | undefined): number | undefined {
  const n = s === undefined || s === '' ? Number.NaN : Number(s);
  return n > 0 ? n : undefined;
}

/** One order per level, each closing the whole position when it triggers. */
function perLevel(levels: Partial<StopLevels>, extra: Params, amount: number | undefined): StopPlacement[] {
  const out: StopPlacement[] = [];
  if (levels.tp) out.push({ amount, params: { ...extra, takeProfitPrice: levels.tp } });
  if (levels.sl) out.push({ amount, params: { ...extra, stopLossPrice: levels.sl } });
  return out;
}

const binance: StopOrderDialect = {
  listParams: { trigger: true },
  cancelParams: { trigger: true },
  levels(order) {
    const info = BinanceAlgoOrderSchema.safeParse(order.info);
    if (!info.success) return {};
    if (info.data.orderType.startsWith('TAKE_PROFIT')) return { tp: info.data.triggerPrice };
    if (info.data.orderType.startsWith('STOP')) return { sl: info.data.triggerPrice };
    return {};
  },
  place: (levels) => perLevel(levels, { closePosition: true }, undefined),
};

const okx: StopOrderDialect = {
  listParams: { trigger: true, ordType: 'conditional,oco' },
  cancelParams: { trigger: true },
  levels(order) {
    const info = OkxAlgoOrderSchema.safeParse(order.info);
    if (!info.success) return {};
    const tp = positive(info.data.tpTriggerPx);
    const sl = positive(info.data.slTriggerPx);
    return { ...(tp ? { tp } : {}), ...(sl ? { sl } : {}) };
  },
  // One `conditional` algo order per level closing the whole position (ccxt would route a market-typed `oco` to the
  // plain order endpoint, so both levels are never sent together).
  place: (levels) => perLevel(levels, { closeFraction: '1', reduceOnly: true }, undefined),
};

const bitget: StopOrderDialect = {
  listParams: { trigger: true, planType: 'profit_loss' },
  cancelParams: { trigger: true, planType: 'profit_loss' },
  levels(order) {
    const info = BitgetPlanOrderSchema.safeParse(order.info);
    if (!info.success) return {};
    if (info.data.planType.endsWith('profit') || info.data.planType === 'profit_plan')
      return { tp: info.data.triggerPrice };
    if (info.data.planType.endsWith('loss') || info.data.planType === 'loss_plan')
      return { sl: info.data.triggerPrice };
    return {};
  },
  // pos_profit / pos_loss: position TP/SL, executed at market for the whole position.
  place: (levels, contracts) => perLevel(levels, {}, contracts),
};

/** Generic ccxt: unified stopLossPrice / takeProfitPrice reduce-only orders for the position size. */
const generic: StopOrderDialect = {
  listParams: { trigger: true },
  cancelParams: { trigger: true },
  levels: (order) => ({
    ...(order.takeProfitPrice ? { tp: order.takeProfitPrice } : {}),
    ...(order.stopLossPrice ? { sl: order.stopLossPrice } : {}),
  }),
  place: (levels, contracts) => perLevel(levels, { reduceOnly: true }, contracts),
};

const DIALECTS: Readonly<Record<string, StopOrderDialect>> = { binance, okx, bitget };

export function stopOrderDialect(exchangeId: string): StopOrderDialect {
  return DIALECTS[exchangeId] ?? generic;
}
