/**
 * The one closed set of reason codes. The CLI, HTTP, MCP, the dashboard, the audit log and the ledger all use
 * these codes; messages are written `CODE: key=value …` so a person and a parser read the same line.
 */
export const REASON_CODES = [
  // gate 1: mandate
  'MANDATE_MISSING',
  'MANDATE_INVALID',
  'MANDATE_SCHEMA_UNSUPPORTED',
  'MANDATE_EXPIRED',
  // gate 2: halts
  'HALTED_GLOBAL',
  'HALTED_VENUE',
  'HALTED_AGENT',
  // gate 3: intent
  'INTENT_MALFORMED',
  // gate 4: reference price
  'QUOTE_MISSING',
  'QUOTE_STALE',
  'QUOTE_FROM_FUTURE',
  'QUOTE_CROSSED',
  'QUOTE_LOCKED',
  'QUOTE_INVALID',
  'INSTRUMENT_UNKNOWN',
  'ORDER_BELOW_MINIMUM',
  // gate 4, first step: the instrument's trading session
  'MARKET_CLOSED',
  // gate 5: universe
  'SYMBOL_EXCLUDED',
  'INSTRUMENT_NOT_ALLOWED',
  'ASSET_CLASS_NOT_ALLOWED',
  'SYMBOL_NOT_ALLOWED',
  'UNIVERSE_DATA_MISSING',
  'MARKET_CAP_TOO_LOW',
  'LIQUIDITY_TOO_LOW',
  // gate 6: collar
  'PRICE_OUTSIDE_COLLAR',
  // gate 7: duplicates
  'DUPLICATE_ORDER',
  'CLIENT_ORDER_ID_REUSED',
  // gate 8: throttle
  'THROTTLE_PER_SECOND',
  'THROTTLE_PER_MINUTE',
  // gate 9: per-order cap
  'NOTIONAL_EXCEEDS_ORDER_CAP',
  // gate 10: exposure / leverage / position
  'EXPOSURE_EXCEEDS_CAP',
  'LEVERAGE_EXCEEDS_CAP',
  'FUNDING_CEILING_EXCEEDED',
  'REDUCE_ONLY_NOT_REDUCING',
  'INSUFFICIENT_POSITION',
  'ACCOUNT_STATE_STALE',
  // gate 10, the mandate's portfolio-risk limits (arbiter.risk)
  'POSITION_SHARE_EXCEEDS_CAP',
  'PORTFOLIO_VAR_EXCEEDS_CAP',
  'CORRELATION_EXCEEDS_CAP',
  'KELLY_CAP_EXCEEDED',
  'KELLY_RECORD_TOO_SHORT',
  'RISK_DATA_MISSING',
  // gate 11: daily count
  'DAILY_TRADE_LIMIT',
  'ORDER_SUBMISSION_BUSY',
  // gate 12: loss limits
  'DAILY_LOSS_LIMIT',
  'DRAWDOWN_LIMIT',
  // gate 13: crash breaker
  'CRASH_BREAKER',
  // gate 14: human approval
  'APPROVAL_REQUIRED',
  // anything thrown inside evaluation
  'INTERNAL_ERROR',
  // prediction markets (outcome tokens): steps of gates 4, 5 and 10
  'PREDICTION_DATA_MISSING',
  'PREDICTION_MARKET_CLOSED',
  'PREDICTION_MARKET_RESOLVED',
  'PREDICTION_PRICE_OUT_OF_RANGE',
  'PREDICTION_LIQUIDITY_TOO_LOW',
  'PREDICTION_RESOLUTION_TOO_SOON',
  'PREDICTION_COST_BASIS_EXCEEDS_CAP',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

const REASON_SET: ReadonlySet<string> = new Set(REASON_CODES);

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && REASON_SET.has(value);
}

export interface Reason {
  readonly code: ReasonCode;
  readonly message: string;
}

type Detail = Record<string, string | number | boolean | null | undefined>;

function formatValue(value: string | number | boolean | null | undefined): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(+value.toPrecision(12)) : String(value);
  if (typeof value === 'string') return /[\s=]/.test(value) ? JSON.stringify(value) : value;
  return String(value);
}

/** Builds a reason whose message is `CODE: key=value key=value`. */
export function reason(code: ReasonCode, detail: Detail = {}): Reason {
  const parts = Object.entries(detail)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${formatValue(v)}`);
  return { code, message: parts.length ? `${code}: ${parts.join(' ')}` : code };
}
