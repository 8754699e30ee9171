import { z } from 'zod';
import type { PaperAccount, PaperOrder } from '../../../core/paper/types.js';

const side = z.enum(['buy', 'sell']);
const source = z.enum(['client', 'take_profit', 'stop_loss', 'liquidation']);

const fill = z.object({
  fillId: z.string(),
  orderId: z.string(),
  ts: z.number(),
  price: z.number(),
  quantity: z.number(),
  fee: z.number(),
  liquidity: z.enum(['maker', 'taker']),
});

const order = z.object({
  orderId: z.string(),
  clientOrderId: z.string(),
  symbol: z.string(),
  side,
  type: z.enum(['market', 'limit']),
  quantity: z.number(),
  filledQuantity: z.number(),
  avgFillPrice: z.number().nullable(),
  limitPrice: z.number().nullable(),
  status: z.enum(['open', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired']),
  reduceOnly: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  fills: z.array(fill),
  timeInForce: z.enum(['GTC', 'IOC', 'FOK', 'PO']),
  source,
  note: z.string().nullable(),
});

const position = z.object({
  symbol: z.string(),
  qty: z.number(),
  entryPrice: z.number(),
  takeProfit: z.number().nullable(),
  stopLoss: z.number().nullable(),
});

const account = z.object({
  version: z.literal(1),
  accountId: z.string(),
  startingCash: z.number(),
  wallet: z.number(),
  positions: z.record(z.string(), position),
  leverage: z.record(z.string(), z.number()),
  orders: z.array(order),
  processedTs: z.number(),
  seq: z.number().int(),
  totals: z.object({ realizedPnl: z.number(), fees: z.number(), funding: z.number() }),
  outcomes: z.record(z.string(), z.object({ qty: z.number(), cost: z.number() })).optional(),
  unrecordedSettlements: z
    .array(
      z.object({
        accountId: z.string(),
        marketId: z.string(),
        resolved: z.enum(['YES', 'NO']),
        held: z.enum(['YES', 'NO']),
        shares: z.number(),
        payout: z.number(),
        costBasis: z.number(),
        ts: z.number(),
      }),
    )
    .optional(),
});

/** Reads a stored paper account; a document that does not fit is an error, never silently repaired. */
export function decodeAccount(json: string, key: string): PaperAccount {
  const parsed = account.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`paper account ${key}: stored document is invalid: ${parsed.error.message}`);
  return parsed.data;
}

export function encodeAccount(acc: PaperAccount): string {
  return JSON.stringify(acc);
}

/** One archived order (an order the account document no longer holds). */
export function encodeOrder(o: PaperOrder): string {
  return JSON.stringify(o);
}

export function decodeOrder(json: string, key: string): PaperOrder {
  const parsed = order.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`archived paper order ${key} does not fit the schema: ${parsed.error.message}`);
  return parsed.data;
}
