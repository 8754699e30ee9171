import { isSecretShaped, REDACTED, redactString } from '../audit/redact.js';
import { parseSymbol } from '../market/symbols.js';
import { type Reason, reason } from './reasons.js';
import type { NormalizedIntent, OrderType, Side, TimeInForce } from './types.js';

/** Largest size accepted anywhere (units or USD). */
export const MAX_SIZE = 1e12;
const CLIENT_ORDER_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const ALLOWED_KEYS = new Set([
  'symbol',
  'side',
  'type',
  'quantity',
  'notional',
  'limit_price',
  'reduce_only',
  'client_order_id',
  'leverage',
  'time_in_force',
]);
const SIDES: readonly Side[] = ['buy', 'sell'];
const TYPES: readonly OrderType[] = ['market', 'limit'];
const TIFS: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK', 'PO'];

export type IntentParse = { ok: true; intent: NormalizedIntent } | { ok: false; reason: Reason };

function bad(field: string, problem: string, got?: unknown): IntentParse {
  return { ok: false, reason: reason('INTENT_MALFORMED', { field: redactString(field), problem, got: describe(got) }) };
}

/** What was received, for the message: short, and never a credential (the reason is signed and shown). */
function describe(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && isSecretShaped(value)) return REDACTED;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  return typeof value;
}

/**
 * A size must be a real JavaScript number: finite, > 0 and ≤ 1e12. Strings are refused even when they look
 * numeric ("1e400", "0x10", " 5") because every edge parses its own text into numbers before this point.
 */
function size(value: unknown, field: string): { ok: true; v: number | null } | { ok: false; r: IntentParse } {
  if (value === undefined || value === null) return { ok: true, v: null };
  if (typeof value !== 'number') return { ok: false, r: bad(field, 'must be a number', value) };
  if (Number.isNaN(value)) return { ok: false, r: bad(field, 'must not be NaN', value) };
  if (!Number.isFinite(value)) return { ok: false, r: bad(field, 'must be finite', value) };
  if (value <= 0) return { ok: false, r: bad(field, 'must be greater than 0', value) };
  if (value > MAX_SIZE) return { ok: false, r: bad(field, 'must be at most 1e12', value) };
  return { ok: true, v: value };
}

/** Gate 3's parser. Pure and total: any input at all yields a normalized intent or a reason naming the field. */
export function parseIntent(raw: unknown): IntentParse {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return bad('(root)', 'must be an object', raw);
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!ALLOWED_KEYS.has(key)) {
      const why = key === 'agent_id' ? 'identity comes from the session, never from the intent' : 'unknown field';
      return bad(key.slice(0, 40), why);
    }
  }
  if (typeof o.symbol !== 'string' || o.symbol.length === 0) return bad('symbol', 'is required', o.symbol);
  const parsed = parseSymbol(o.symbol);
  if (!parsed) return bad('symbol', 'is not a recognised market symbol (e.g. BTC/USDT, BTC/USDT:USDT)', o.symbol);
  if (typeof o.side !== 'string' || !SIDES.includes(o.side as Side)) return bad('side', 'must be buy or sell', o.side);

  const quantity = size(o.quantity, 'quantity');
  if (!quantity.ok) return quantity.r;
  const notional = size(o.notional, 'notional');
  if (!notional.ok) return notional.r;
  if (quantity.v === null && notional.v === null) return bad('quantity', 'quantity or notional is required');
  const limit = size(o.limit_price, 'limit_price');
  if (!limit.ok) return limit.r;
  const leverage = size(o.leverage, 'leverage');
  if (!leverage.ok) return leverage.r;

  let type: OrderType = limit.v === null ? 'market' : 'limit';
  if (o.type !== undefined) {
    if (typeof o.type !== 'string' || !TYPES.includes(o.type as OrderType))
      return bad('type', 'must be market or limit', o.type);
    type = o.type as OrderType;
  }
  if (type === 'limit' && limit.v === null) return bad('limit_price', 'is required for a limit order');
  if (type === 'market' && limit.v !== null) return bad('limit_price', 'is not accepted on a market order');

  let tif: TimeInForce = type === 'market' ? 'IOC' : 'GTC';
  if (o.time_in_force !== undefined) {
    if (typeof o.time_in_force !== 'string' || !TIFS.includes(o.time_in_force as TimeInForce))
      return bad('time_in_force', 'must be GTC, IOC, FOK or PO', o.time_in_force);
    tif = o.time_in_force as TimeInForce;
    if (tif === 'PO' && type !== 'limit') return bad('time_in_force', 'PO (post-only) needs a limit order', tif);
  }
  if (o.reduce_only !== undefined && typeof o.reduce_only !== 'boolean')
    return bad('reduce_only', 'must be a boolean', o.reduce_only);
  let coid: string | null = null;
  if (o.client_order_id !== undefined && o.client_order_id !== null) {
    if (typeof o.client_order_id !== 'string' || !CLIENT_ORDER_ID.test(o.client_order_id))
      return bad('client_order_id', 'must be 1-64 characters of A-Z a-z 0-9 _ . : -', o.client_order_id);
    // Ids are echoed in verdicts, orders, listings and events: a credential pasted as one would leak everywhere.
    if (isSecretShaped(o.client_order_id))
      return bad(
        'client_order_id',
        'looks like a credential (sk-…, AKIA…, ghp_…, a JWT or an Arbiter token); use an id of your own: 1-64 characters of A-Z a-z 0-9 _ . : - that is not a secret',
        o.client_order_id,
      );
    coid = o.client_order_id;
  }
  return {
    ok: true,
    intent: {
      symbol: parsed.symbol,
      side: o.side as Side,
      type,
      quantity: quantity.v,
      notional: notional.v,
      limit_price: limit.v,
      reduce_only: o.reduce_only === true,
      client_order_id: coid,
      leverage: leverage.v,
      time_in_force: tif,
    },
  };
}

/**
 * The content of an order, apart from its client order id: what the duplicate window compares and what a human
 * approval is bound to. Hashed by the caller (`sha256(canonicalJson(orderContent(intent)))`).
 */
export function orderContent(intent: NormalizedIntent): Omit<NormalizedIntent, 'client_order_id'> {
  const { client_order_id: _ignored, ...content } = intent;
  return content;
}
