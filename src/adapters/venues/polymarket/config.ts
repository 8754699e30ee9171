import { z } from 'zod';

/** The CLOB's public origin and chain for real money; anything else is an emulator or proxy (`baseUrl`). */
export const POLYMARKET_HOST = 'https://clob.polymarket.com';
export const POLYGON = 137;
export const AMOY = 80002;

const MARKET_ID = /^[A-Z0-9](?:[A-Z0-9-]{0,32}[A-Z0-9])?$/;
const CONDITION_ID = /^0x[0-9a-fA-F]{64}$/;

const ConfigSchema = z
  .object({
    /** `live`: clob.polymarket.com on Polygon (137). `testnet`: Amoy (80002); Polymarket runs no public testnet CLOB, so it needs `baseUrl`. */
    mode: z.enum(['live', 'testnet']),
    baseUrl: z.string().url().optional(),
    /** Arbiter market id → the CLOB condition id; its YES/NO token ids are read from the CLOB's market listing. */
    markets: z.record(z.string().regex(MARKET_ID), z.string().regex(CONDITION_ID)),
    /** Where the client order id → order id map is kept (the CLOB has no client order ids). */
    orderIndexPath: z.string().min(1),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  })
  .strict();

export type PolymarketConfigInput = z.input<typeof ConfigSchema>;
export interface PolymarketConfig extends z.output<typeof ConfigSchema> {
  readonly host: string;
  readonly chainId: number;
}

/** Validates the configuration; every problem is named, with what is accepted. */
export function parsePolymarketConfig(input: PolymarketConfigInput): PolymarketConfig {
  const r = ConfigSchema.safeParse(input);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    throw new Error(`POLYMARKET_CONFIG_INVALID: ${problems.join('; ')}`);
  }
  if (r.data.mode === 'testnet' && !r.data.baseUrl)
    throw new Error(
      'POLYMARKET_CONFIG_INVALID: Polymarket has no public testnet CLOB; set ARBITER_VENUE_URL to an emulator, or use ARBITER_VENUE_MODE=live',
    );
  if (Object.keys(r.data.markets).length === 0)
    throw new Error(
      'POLYMARKET_CONFIG_INVALID: no markets; set ARBITER_POLYMARKET_MARKETS=MARKET-ID=0x<condition id>[,…]',
    );
  return {
    ...r.data,
    host: (r.data.baseUrl ?? POLYMARKET_HOST).replace(/\/$/, ''),
    chainId: r.data.mode === 'live' ? POLYGON : AMOY,
  };
}

/** `FED-CUT=0xabc…,BTC-150K=0xdef…` → a map; throws naming the entry that does not fit. */
export function parseMarketList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [id, condition, extra] = entry.split('=');
    if (!id || !condition || extra !== undefined || !MARKET_ID.test(id.trim()) || !CONDITION_ID.test(condition.trim()))
      throw new Error(
        `POLYMARKET_CONFIG_INVALID: ARBITER_POLYMARKET_MARKETS entry ${JSON.stringify(entry)} must be MARKET-ID=0x<64 hex condition id>`,
      );
    out[id.trim()] = condition.trim();
  }
  return out;
}
