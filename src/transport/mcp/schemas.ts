import { z } from 'zod';

export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;

/** Sizes are numbers here; their range (> 0, finite, ≤ 1e12) is the firewall's to judge, with a signed verdict. */
export const intentShape = {
  symbol: z
    .string()
    .min(1)
    .max(64)
    .describe('market, e.g. BTC/USDT (spot) or BTC/USDT:USDT (perpetual); BTCUSDT accepted'),
  side: z.enum(['buy', 'sell']),
  quantity: z.number().optional().describe('size in base units'),
  notional: z.number().optional().describe('size in USD (the larger of quantity×price and notional is enforced)'),
  limit_price: z.number().optional().describe('limit price; makes a limit order'),
  type: z.enum(['market', 'limit']).optional(),
  time_in_force: z.enum(['GTC', 'IOC', 'FOK', 'PO']).optional().describe('PO = post-only'),
  reduce_only: z.boolean().optional().describe('checked against the position, never trusted'),
  client_order_id: z
    .string()
    .max(64)
    .optional()
    .describe(
      'idempotency key, 1-64 characters of A-Z a-z 0-9 _ . : - (never a credential: one is refused): the same id returns the original verdict and order, never a second order',
    ),
  leverage: z.number().optional(),
};

/**
 * An order intent whose market is a symbol or, for a binary prediction market, a market id and an outcome (the
 * outcome token `<MARKET>-<OUTCOME>/USDC`).
 */
export const orderShape = {
  ...intentShape,
  symbol: intentShape.symbol.optional(),
  market_id: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'a prediction market id from list_markets, with outcome, instead of symbol (the outcome token <MARKET_ID>-<OUTCOME>/USDC); in paper (shadow) mode the paper venue fills such orders at once from its modelled book (the rest cancelled) and pays 1 per winning share at resolution',
    ),
  outcome: z.enum(['YES', 'NO']).optional().describe('the prediction-market outcome token to trade (with market_id)'),
};

/** Why the agent places an order: recorded in the ledger beside the verdict, never judged. */
export const reasonShape = {
  reason: z
    .string()
    .max(500)
    .optional()
    .describe(
      'why you trade (e.g. the probability you estimate and why): recorded in the ledger as order_reason with the verdict id; it does not change the verdict',
    ),
};

/** The symbol an order names: `symbol`, or the outcome token of `market_id` + `outcome`; else what was wrong. */
export function orderSymbol(a: {
  symbol?: string | undefined;
  market_id?: string | undefined;
  outcome?: 'YES' | 'NO' | undefined;
}): { symbol: string } | { error: string } {
  const prediction = a.market_id !== undefined || a.outcome !== undefined;
  if (prediction) {
    if (a.symbol !== undefined)
      return { error: 'give symbol, or market_id and outcome (a prediction market), not both' };
    if (a.market_id === undefined || a.outcome === undefined)
      return { error: 'a prediction-market order needs both market_id and outcome ("YES" or "NO")' };
    return { symbol: `${a.market_id.trim().toUpperCase()}-${a.outcome}/USDC` };
  }
  if (a.symbol === undefined) return { error: 'give symbol, or market_id and outcome ("YES" or "NO")' };
  return { symbol: a.symbol };
}

/**
 * A tool's arguments as a strict object: an argument the tool does not take is refused (never dropped silently),
 * naming it and listing the fields the tool accepts, so an agent that guessed a name (`amount`, `notional_usd`)
 * learns the right one.
 */
export function strictInput<S extends z.ZodRawShape>(shape: S) {
  const accepted = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown argument${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; accepted: ${accepted.length > 0 ? accepted.join(', ') : 'none (this tool takes no arguments)'}`
        : undefined,
  });
}

export const symbolShape = { symbol: z.string().min(1).max(64) };

export const verdictOutput = z.looseObject({
  decision: z.enum(['ALLOW', 'ALLOW_CAPPED', 'REJECT', 'PAUSE_FOR_REAUTH', 'PENDING_APPROVAL']),
  effective_notional: z.number(),
  effective_quantity: z.number(),
  reasons: z.array(z.string()),
  messages: z.array(z.string()),
  verdict_id: z.string(),
  expires_at: z.string(),
  certificate_sha256: z.string(),
  certificate_uri: z.string(),
  certificate: z.looseObject({ alg: z.string(), payload: z.looseObject({}), signature: z.string() }).optional(),
});

/** Asks a verdict tool for the full signed certificate inline instead of behind its resource. */
export const includeCertificateShape = {
  include_certificate: z
    .boolean()
    .optional()
    .describe(
      'true: return the full signed certificate (several KB) in the result; by default it is the resource arbiter://certificates/{verdict_id}',
    ),
};

export const anyObject = z.looseObject({});
