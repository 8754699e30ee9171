import { z } from 'zod';
import { profileOf } from './profiles.js';

/** Venues with a tested profile. Any other ccxt exchange id goes through the generic path. */
export const PROFILED_VENUES = ['bybit', 'binance', 'okx', 'bitget', 'hyperliquid'] as const;

export interface VenueCredentials {
  readonly apiKey: string;
  readonly secret: string;
  /** OKX and Bitget only. */
  readonly passphrase?: string;
}

export const CcxtVenueConfigSchema = z
  .object({
    /** ccxt exchange id: `bybit`, `binance`, `okx`, `bitget`, … */
    exchangeId: z.string().regex(/^[a-z0-9]+$/),
    /** `testnet` = ccxt sandbox URLs; `demo` = the venue's demo-trading URLs (where ccxt has them). */
    mode: z.enum(['live', 'testnet', 'demo']).default('testnet'),
    /** Replaces the origin of every REST URL (tests point ccxt at the local emulator). */
    baseUrl: z.url().optional(),
    /** The account this instance trades for; a ccxt venue instance is one venue account. */
    accountId: z.string().min(1).default('default'),
    marketType: z.enum(['swap', 'spot']).default('swap'),
    /** Default: the venue's (USDC on Hyperliquid, USDT elsewhere). */
    settleCurrency: z.string().min(1).optional(),
    marginMode: z.enum(['cross', 'isolated']).default('cross'),
    /** Symbols scanned when a venue needs a symbol to find an order (after a restart the local index is empty). */
    symbols: z.array(z.string()).default([]),
    timeoutMs: z.number().int().positive().default(10_000),
    enableRateLimit: z.boolean().default(true),
  })
  .strict();

export type CcxtVenueConfig = z.output<typeof CcxtVenueConfigSchema> & { readonly settleCurrency: string };
export type CcxtVenueConfigInput = z.input<typeof CcxtVenueConfigSchema>;

export function parseVenueConfig(input: CcxtVenueConfigInput): CcxtVenueConfig {
  const config = CcxtVenueConfigSchema.parse(input);
  return { ...config, settleCurrency: config.settleCurrency ?? profileOf(config.exchangeId).settle };
}
