import { z } from 'zod';

/**
 * ccxt's unified structures, as far as Arbiter reads them. ccxt fills what a venue did not send with undefined, so
 * every optional field is nullish; the mapper drops records that lack what the neutral types need.
 */

const num = z.number().finite();
const optNum = num.nullish();

export const CcxtMarketSchema = z.object({
  id: z.string(),
  symbol: z.string(),
  base: z.string(),
  quote: z.string(),
  settle: z.string().nullish(),
  type: z.string(),
  spot: z.boolean(),
  swap: z.boolean(),
  linear: z.boolean().nullish(),
  active: z.boolean().nullish(),
  contractSize: optNum,
  precision: z.object({ amount: optNum, price: optNum }),
  limits: z.object({
    amount: z.object({ min: optNum }).nullish(),
    cost: z.object({ min: optNum }).nullish(),
    leverage: z.object({ max: optNum }).nullish(),
  }),
});
export type CcxtMarket = z.infer<typeof CcxtMarketSchema>;

export const CcxtTickerSchema = z.object({
  symbol: z.string(),
  timestamp: optNum,
  bid: optNum,
  ask: optNum,
  last: optNum,
});
export type CcxtTicker = z.infer<typeof CcxtTickerSchema>;

export const CcxtOhlcvSchema = z.tuple([num, num, num, num, num, optNum]);
export type CcxtOhlcv = z.infer<typeof CcxtOhlcvSchema>;

const level = z.array(num).min(2);
export const CcxtOrderBookSchema = z.object({
  timestamp: optNum,
  bids: z.array(level),
  asks: z.array(level),
});
export type CcxtOrderBook = z.infer<typeof CcxtOrderBookSchema>;

export const CcxtFundingRateSchema = z.object({ symbol: z.string(), fundingRate: num, timestamp: num });
export type CcxtFundingRate = z.infer<typeof CcxtFundingRateSchema>;

export const CcxtOpenInterestSchema = z.object({
  symbol: z.string().nullish(),
  openInterestAmount: optNum,
  openInterestValue: optNum,
  timestamp: optNum,
});
export type CcxtOpenInterest = z.infer<typeof CcxtOpenInterestSchema>;

export const CcxtTradeSchema = z.object({
  timestamp: num,
  price: num,
  amount: num,
  side: z.enum(['buy', 'sell']),
});
export type CcxtTrade = z.infer<typeof CcxtTradeSchema>;

/** One of the account's own executions (ccxt fetchMyTrades). */
export const CcxtMyTradeSchema = CcxtTradeSchema.extend({
  id: z.string().min(1),
  order: z.string().min(1),
  symbol: z.string(),
  takerOrMaker: z.enum(['taker', 'maker']),
  fee: z.object({ cost: optNum }).nullish(),
});
export type CcxtMyTrade = z.infer<typeof CcxtMyTradeSchema>;

export const CcxtOrderSchema = z.object({
  id: z.string().min(1),
  clientOrderId: z.string().nullish(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']).nullish(),
  type: z.string().nullish(),
  amount: optNum,
  filled: optNum,
  average: optNum,
  price: optNum,
  status: z.string().nullish(),
  reduceOnly: z.boolean().nullish(),
  timestamp: optNum,
  lastTradeTimestamp: optNum,
  lastUpdateTimestamp: optNum,
  fee: z.object({ cost: optNum }).nullish(),
  triggerPrice: optNum,
  stopLossPrice: optNum,
  takeProfitPrice: optNum,
  info: z.unknown(),
});
export type CcxtOrder = z.infer<typeof CcxtOrderSchema>;

export const CcxtPositionSchema = z.object({
  symbol: z.string(),
  contracts: optNum,
  contractSize: optNum,
  side: z.enum(['long', 'short']).nullish(),
  entryPrice: optNum,
  markPrice: optNum,
  unrealizedPnl: optNum,
  leverage: optNum,
  notional: optNum,
  liquidationPrice: optNum,
  initialMargin: optNum,
  collateral: optNum,
  takeProfitPrice: optNum,
  stopLossPrice: optNum,
});
export type CcxtPosition = z.infer<typeof CcxtPositionSchema>;

export const CcxtBalanceAccountSchema = z.object({ free: optNum, used: optNum, total: optNum });
export type CcxtBalanceAccount = z.infer<typeof CcxtBalanceAccountSchema>;

/** Parses each item on its own and keeps those that fit: one odd record must not hide the rest. */
export function parseEach<T>(schema: z.ZodType<T>, items: unknown): T[] {
  if (!Array.isArray(items)) return [];
  const out: T[] = [];
  for (const item of items) {
    const r = schema.safeParse(item);
    if (r.success) out.push(r.data);
  }
  return out;
}

export function parseOne<T>(schema: z.ZodType<T>, item: unknown): T | null {
  const r = schema.safeParse(item);
  return r.success ? r.data : null;
}
