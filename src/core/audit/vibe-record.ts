import type { CertificatePayload } from '../cert/certificate.js';
import type { Reason, ReasonCode } from '../firewall/reasons.js';
import type { NormalizedIntent } from '../firewall/types.js';
import type { AuditRecord } from './record.js';

/**
 * One verdict's audit record in Vibe-Trading's vocabulary (its `LiveActionEvent`, live/audit.py): the same 14
 * fields in the same order with the same values — `kind` order_placed / order_rejected / breach, `outcome`
 * accepted / error / blocked, `server` the broker key, `intent_normalized` its sentence, `mandate_snapshot_ref` the
 * consent token hash and `consent_record_ref` the account reference, `ts` with `+00:00` — and Arbiter's own detail
 * (certificate, decision, reasons, gates) in the extra field `arbiter`.
 *
 * A dry run (`vet`, `vet_trade`) is not a live action: its record has kind `vet`, is kept in the store and is not
 * written to `live/audit.jsonl`.
 */
export const DRY_RUN_KIND = 'vet';

export interface VibeAuditInput {
  /** `la_…`, as Vibe-Trading's ids. */
  readonly auditId: string;
  readonly sessionId: string;
  /** The broker key (runtime-root folder) the order was for. */
  readonly broker: string;
  readonly remoteTool: string | null;
  /** The order was to be sent (`execute`): a refusal is then a blocked live action, not a dry run. */
  readonly execute: boolean;
  readonly payload: CertificatePayload;
  readonly intent: NormalizedIntent | null;
  /** What was sent to the venue, what it answered, or how it failed. */
  readonly request: unknown;
  readonly order: unknown;
  readonly orderError: { readonly code: string; readonly message: string } | null;
}

type BreachKind = 'universe' | 'instrument' | 'quantitative';

/** Arbiter's reason codes that are one of Vibe-Trading's `check_mandate` breaches: its kind and limit name. */
const BREACHES: Partial<Record<ReasonCode, readonly [BreachKind, string]>> = {
  SYMBOL_EXCLUDED: ['universe', 'exclude_symbols'],
  INSTRUMENT_NOT_ALLOWED: ['instrument', 'allowed_instruments'],
  ASSET_CLASS_NOT_ALLOWED: ['universe', 'asset_classes'],
  SYMBOL_NOT_ALLOWED: ['universe', 'allow_symbols'],
  MARKET_CAP_TOO_LOW: ['universe', 'min_market_cap_usd'],
  LIQUIDITY_TOO_LOW: ['universe', 'min_avg_daily_volume_usd'],
  NOTIONAL_EXCEEDS_ORDER_CAP: ['quantitative', 'max_order_notional_usd'],
  EXPOSURE_EXCEEDS_CAP: ['quantitative', 'max_total_exposure_usd'],
  LEVERAGE_EXCEEDS_CAP: ['quantitative', 'max_leverage'],
  FUNDING_CEILING_EXCEEDED: ['quantitative', 'account_funding_usd'],
  DAILY_TRADE_LIMIT: ['quantitative', 'max_trades_per_day'],
};

/** Python's `format(x, 'g')`: six significant digits, scientific below 1e-4 or from 1e6, no trailing zeros. */
export function pythonG(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [m, e] = x.toExponential(5).split('e') as [string, string];
  const exp = Number(e);
  const trim = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= 6) return `${trim(m)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return trim(x.toFixed(5 - exp));
}

/** `_describe_intent`: `"buy $1500 BTC/USDT (crypto)"`, or `"… 0.02 units …"` when no notional is known. */
function describe(intent: NormalizedIntent | null, p: CertificatePayload): string | null {
  if (!intent) return null;
  const notional = p.requested?.notional ?? intent.notional;
  const size =
    notional !== null && notional !== undefined
      ? `$${pythonG(notional)}`
      : intent.quantity !== null
        ? `${pythonG(intent.quantity)} units`
        : '?';
  const type = p.context.instrument?.instrumentType ?? 'unknown';
  return `${intent.side} ${size} ${intent.symbol} (${type})`;
}

const VT_DECISION: Record<string, string> = {
  ALLOW: 'allow',
  ALLOW_CAPPED: 'allow',
  REJECT: 'deny',
  PAUSE_FOR_REAUTH: 'pause_for_reauth',
  PENDING_APPROVAL: 'pending_approval',
};

/** The limit's value and the value the order would have reached, in the limit's unit, as Vibe-Trading reports it. */
function breachValues(limit: string, p: CertificatePayload): [number, number] {
  const m = 'hard_caps' in p.mandate ? p.mandate : null;
  if (!m) return [0, 0];
  const notional = p.requested?.notional ?? 0;
  const exposure = p.context.account.gross_exposure + notional;
  const caps = m.hard_caps;
  switch (limit) {
    case 'max_order_notional_usd':
      return [caps.max_order_notional_usd, notional];
    case 'max_total_exposure_usd':
      return [caps.max_total_exposure_usd, exposure];
    case 'max_leverage':
      return [caps.max_leverage, exposure / caps.account_funding_usd];
    case 'account_funding_usd':
      return [caps.account_funding_usd, exposure];
    case 'max_trades_per_day':
      return [caps.max_trades_per_day, p.context.account.daily_count + 1];
    case 'min_market_cap_usd':
      return [m.universe.min_market_cap_usd ?? 0, p.context.instrument?.marketCapUsd ?? 0];
    case 'min_avg_daily_volume_usd':
      return [m.universe.min_avg_daily_volume_usd ?? 0, p.context.instrument?.avgDailyVolumeUsd ?? 0];
    default:
      return [0, 0];
  }
}

function refusal(reasons: readonly Reason[]): { kind: BreachKind; limit: string } | null {
  const r = reasons.find((x) => BREACHES[x.code] !== undefined) ?? null;
  if (r === null) return null;
  if (r.code === 'INSTRUMENT_NOT_ALLOWED' && r.message.includes('market_kind='))
    return { kind: 'instrument', limit: 'market_kinds' };
  const [kind, limit] = BREACHES[r.code]!;
  return { kind, limit };
}

/** `ts` as Vibe-Trading writes it: ISO 8601 with milliseconds and `+00:00`. */
export function vibeTimestamp(iso: string): string {
  return iso.endsWith('Z') ? `${iso.slice(0, -1)}+00:00` : iso;
}

export function vibeAuditRecord(input: VibeAuditInput): AuditRecord {
  const p = input.payload;
  const consent = 'consent' in p.mandate ? p.mandate.consent : null;
  const passed = p.decision === 'ALLOW' || p.decision === 'ALLOW_CAPPED';
  const sent = input.request !== null;
  const breach = passed ? null : refusal(p.reasons);
  const kind = sent
    ? input.orderError
      ? 'order_rejected'
      : 'order_placed'
    : !input.execute
      ? DRY_RUN_KIND
      : breach
        ? 'breach'
        : 'order_rejected';
  const outcome = sent ? (input.orderError ? 'error' : 'accepted') : passed ? 'accepted' : 'blocked';
  const evaluated = p.gates.filter((g) => g.status !== 'skipped').map((g) => g.gate);
  const gateDecision: Record<string, unknown> = {
    allowed: passed,
    decision: VT_DECISION[p.decision] ?? p.decision,
  };
  if (breach) {
    const [limitValue, attempted] = breachValues(breach.limit, p);
    gateDecision.limit = breach.limit;
    gateDecision.kind = breach.kind;
    gateDecision.limit_value = limitValue;
    gateDecision.attempted_value = attempted;
  } else gateDecision.checked_limits = evaluated;
  const error = input.orderError ? input.orderError.message : passed ? null : (p.reasons[0]?.message ?? null);
  return {
    audit_id: input.auditId,
    ts: vibeTimestamp(p.issued_at),
    session_id: input.sessionId,
    kind,
    intent_normalized: describe(input.intent, p),
    mandate_snapshot_ref: consent?.consent_token_sha256 ?? null,
    consent_record_ref: consent?.account_ref ?? null,
    broker_request: input.request ?? null,
    broker_response:
      input.order ??
      (input.orderError ? { status: 'error', error: input.orderError.message, code: input.orderError.code } : null),
    outcome,
    gate_decision: gateDecision,
    server: input.broker,
    remote_tool: input.remoteTool,
    error,
    arbiter: {
      certificate_id: p.id,
      agent_id: p.agent_id,
      decision: p.decision,
      reasons: p.reasons,
      requested: p.requested,
      effective: p.effective,
      gates: p.gates.map((g) => `${g.gate}:${g.status}`),
      mandate_hash: p.mandate_hash,
    },
  };
}
