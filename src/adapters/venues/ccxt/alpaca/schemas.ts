import { z } from 'zod';

/**
 * Alpaca's own payloads, as far as Arbiter reads them (trading API v2 and market data API v2). Numbers arrive as
 * strings on the trading API and as numbers on the data API; both are coerced.
 */

const amount = z.coerce.number().finite();

/** `GET /v2/assets?asset_class=us_equity` — one listed stock. */
export const AlpacaAssetSchema = z.object({
  symbol: z.string().regex(/^[A-Z][A-Z0-9.]*$/),
  class: z.literal('us_equity'),
  status: z.string(),
  tradable: z.boolean(),
  fractionable: z.boolean().default(false),
  shortable: z.boolean().default(false),
  easy_to_borrow: z.boolean().default(false),
});
export type AlpacaAsset = z.infer<typeof AlpacaAssetSchema>;

/** `GET /v2/account`. */
export const AlpacaAccountSchema = z.object({
  currency: z.string().default('USD'),
  cash: amount,
  equity: amount,
  buying_power: amount,
  shorting_enabled: z.boolean().default(false),
  trading_blocked: z.boolean().default(false),
});
export type AlpacaAccount = z.infer<typeof AlpacaAccountSchema>;

/** `GET /v2/positions` — one open position. */
export const AlpacaPositionSchema = z.object({
  symbol: z.string(),
  asset_class: z.string().optional(),
  qty: amount,
  side: z.enum(['long', 'short']),
  avg_entry_price: amount,
  current_price: amount.nullish(),
  cost_basis: amount,
  unrealized_pl: amount.nullish(),
});
export type AlpacaPosition = z.infer<typeof AlpacaPositionSchema>;

const quote = z.object({ t: z.string(), ap: amount, as: amount, bp: amount, bs: amount });
const trade = z.object({ t: z.string(), p: amount, s: amount });

/** `GET /v2/stocks/{symbol}/snapshot`: the latest quote and trade in one call. */
export const AlpacaSnapshotSchema = z.object({ latestQuote: quote, latestTrade: trade.nullish() });

/** `GET /v2/stocks/{symbol}/quotes/latest`. */
export const AlpacaLatestQuoteSchema = z.object({
  symbol: z.string(),
  quote,
});

/** `GET /v2/stocks/{symbol}/trades/latest`. */
export const AlpacaLatestTradeSchema = z.object({
  symbol: z.string(),
  trade,
});

/** `GET /v2/stocks/{symbol}/bars`. */
export const AlpacaBarsSchema = z.object({
  symbol: z.string(),
  bars: z.array(z.object({ t: z.string(), o: amount, h: amount, l: amount, c: amount, v: amount })).nullable(),
});
