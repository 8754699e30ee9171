import { z } from 'zod';

/** The CLOB's GET /markets/{condition_id}, as far as the venue reads it. */
export const PmMarketSchema = z.object({
  condition_id: z.string(),
  question: z.string().optional(),
  /** The market's rules as Polymarket writes them; the resolution source is named there, when at all. */
  description: z.string().nullish(),
  end_date_iso: z.string().nullish(),
  active: z.boolean().default(true),
  minimum_tick_size: z.coerce.number().positive(),
  minimum_order_size: z.coerce.number().nonnegative().default(0),
  neg_risk: z.boolean().default(false),
  closed: z.boolean().default(false),
  accepting_orders: z.boolean().default(true),
  tokens: z.array(
    z.object({
      token_id: z.string().min(1),
      outcome: z.string(),
      /** The CLOB's price of the token; 1 and 0 once resolved. */
      price: z.coerce.number().optional(),
      /** True on the winning token once the market is resolved. */
      winner: z.boolean().default(false),
    }),
  ),
});
export type PmMarket = z.infer<typeof PmMarketSchema>;

/** POST /order's answer. */
export const PmOrderPostSchema = z.object({
  success: z.boolean().optional().default(true),
  errorMsg: z.string().optional(),
  orderID: z.string().optional(),
  status: z.string().optional(),
});
