import { z } from 'zod';
import { DECISIONS } from '../../../core/firewall/types.js';
import { intentShape, orderShape, reasonShape } from '../../mcp/schemas.js';

/**
 * Request shapes at the HTTP boundary. Types are checked here (a string where a number belongs is a 400 naming the
 * field); ranges and meaning (a negative size, an unknown symbol) are the firewall's to judge, with a signed verdict.
 * Unknown keys are refused: an agent cannot smuggle `agent_id` or a quote into an intent.
 */
export const intentBody = z.strictObject(intentShape);

/**
 * An order to place: a symbol, or a prediction market's `market_id` + `outcome` (its outcome token), and an
 * optional `reason` recorded in the ledger beside the verdict.
 */
export const orderBody = z.strictObject({ ...orderShape, ...reasonShape });

const idText = z.string().min(1).max(128);
export const idParams = z.strictObject({ id: idText });

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const isoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO-8601 time');

export const verifyQuery = z.strictObject({
  /** Check the signature of an expired certificate too (its status stays `expired` without this). */
  allow_expired: flag.optional(),
  /** Re-run the firewall on the bound context (default true). */
  rederive: flag.optional(),
});

export const ordersQuery = z.strictObject({
  status: z.enum(['open', 'all']).default('open'),
  limit: int(1, 500).default(100),
});

export const ledgerQuery = z.strictObject({
  /** Records with seq greater than this (0 = from the start). */
  after: int(0, Number.MAX_SAFE_INTEGER).default(0),
  limit: int(1, 1_000).default(100),
  /** `desc` pages backwards from `before` (newest first), for explorers. */
  order: z.enum(['asc', 'desc']).default('asc'),
  before: int(1, Number.MAX_SAFE_INTEGER).optional(),
});

export const auditQuery = z.strictObject({
  agent: z.string().min(1).max(64).optional(),
  kind: z.string().min(1).max(64).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  limit: int(1, 1_000).default(100),
});

export const approvalsQuery = z.strictObject({
  status: z.enum(['pending', 'approved', 'rejected', 'expired', 'executed', 'failed']).optional(),
});

export const haltBody = z.strictObject({
  scope: z.enum(['global', 'venue', 'agent']).default('global'),
  /** Required for scope `venue` (default: this server's venue) and `agent`. */
  venue: z.string().min(1).max(64).optional(),
  agent: z.string().min(1).max(64).optional(),
  reason: z.string().min(1).max(500).default('halted over HTTP'),
});

export const resumeBody = z.strictObject({
  scope: z.enum(['global', 'venue', 'agent']).default('global'),
  venue: z.string().min(1).max(64).optional(),
  agent: z.string().min(1).max(64).optional(),
  /** Also reset the fleet-wide crash breaker. */
  breaker: z.boolean().default(false),
});

export const runParams = z.strictObject({ id: idText });
export const runQuery = z.strictObject({ run: idText.optional() });
export const tradesQuery = z.strictObject({
  run: idText.optional(),
  agent: z.string().min(1).max(64).optional(),
  limit: int(1, 5_000).default(1_000),
});

export const decisionsQuery = z.strictObject({
  run: idText.optional(),
  agent: z.string().min(1).max(64),
  limit: int(1, 500).default(50),
});

export const candlesQuery = z.strictObject({
  symbol: z.string().min(1).max(64).default('BTC/USDT'),
  timeframe: z.enum(['1m', '5m', '15m', '1h', '4h', '1d']).default('1h'),
  limit: int(1, 1_000).default(200),
});

export const quoteQuery = z.strictObject({ symbol: z.string().min(1).max(64) });

export const streamQuery = z.strictObject({
  /** Comma-separated event types to receive (default: all). */
  types: z
    .string()
    .regex(/^[a-z]+(,[a-z]+)*$/, 'must be a comma-separated list of event types')
    .optional(),
  /** Replay up to this many recent events first (a reconnect uses Last-Event-ID instead). */
  backlog: int(0, 500).default(0),
  /** A single-use ticket from POST /v1/stream/ticket, for clients that cannot send headers (EventSource). */
  ticket: z.string().min(1).max(128).optional(),
  /** What Last-Event-ID says, for a client that reconnects with a new ticket (a new EventSource). */
  last_event_id: int(0, Number.MAX_SAFE_INTEGER).optional(),
});

export const decisionNames = DECISIONS;
