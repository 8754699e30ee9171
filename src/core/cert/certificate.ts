import { holdsSecret, redact } from '../audit/redact.js';
import type { Reason } from '../firewall/reasons.js';
import type { Decision, Effective, Evaluation, EvaluationContext, GateOutcome } from '../firewall/types.js';
import type { Mandate } from '../mandate/types.js';
import { tidy } from '../market/precision.js';
import { canonicalJson } from './canonical.js';
import { type Json, toJsonSafe } from './json-safe.js';

export const CERTIFICATE_VERSION = 1;
export const CERTIFICATE_ALG = 'Ed25519';

/** What the signature covers. Everything a verifier needs to re-run evaluate() is bound here. */
export interface CertificatePayload {
  readonly v: 1;
  readonly id: string;
  readonly issuer: { readonly key_id: string };
  readonly issued_at: string;
  readonly expires_at: string;
  readonly agent_id: string;
  readonly account_id: string;
  readonly venue: string;
  /**
   * The intent as received (JSON-safe encoding), with anything credential-shaped masked: the firewall refuses
   * such an intent (INTENT_MALFORMED), and the refusal re-derives the same from the masked copy, so no secret is
   * ever signed into a certificate, the ledger or an answer.
   */
  readonly intent: Json;
  readonly intent_hash: string;
  readonly decision: Decision;
  readonly reasons: readonly Reason[];
  readonly gates: readonly GateOutcome[];
  readonly requested: Effective | null;
  readonly effective: Effective | null;
  readonly reduces: boolean;
  readonly regime: 'normal' | 'crash';
  readonly mandate_hash: string | null;
  /** The mandate judged on, or the reason it could not be loaded. */
  readonly mandate: Mandate | { readonly error: string; readonly message: string };
  readonly context: Omit<EvaluationContext, 'mandate'>;
  readonly approval_id?: string;
  /** A dry run: judged exactly as an order would be, and nothing was reserved, counted, recorded or sent. */
  readonly dry_run?: true;
}

export interface Certificate {
  readonly alg: typeof CERTIFICATE_ALG;
  readonly payload: CertificatePayload;
  /** base64url Ed25519 signature over the RFC 8785 canonical JSON of `payload`. */
  readonly signature: string;
}

export type Sha256Hex = (data: string) => string;

export { canonicalJson };

export function hashMandate(mandate: Mandate, sha256: Sha256Hex): string {
  return `sha256:${sha256(canonicalJson(mandate))}`;
}

export interface PayloadInput {
  readonly id: string;
  readonly keyId: string;
  readonly raw: unknown;
  readonly ctx: EvaluationContext;
  readonly evaluation: Evaluation;
  readonly approvalId?: string;
  /** The mandate's hash when the caller already has it (it changes only when the mandate file does). */
  readonly mandateHash?: string;
  readonly dryRun?: boolean;
}

/** Builds the signed payload of a verdict. Deterministic for the same inputs. */
export function buildPayload(input: PayloadInput, sha256: Sha256Hex): CertificatePayload {
  const { ctx, evaluation: e } = input;
  const safe = toJsonSafe(input.raw);
  const intent = holdsSecret(safe) ? (redact(safe) as Json) : safe;
  const { mandate: load, ...context } = ctx;
  const ttl = load.ok ? load.mandate.arbiter.certificate_ttl_seconds : 60;
  const payload: CertificatePayload = {
    v: CERTIFICATE_VERSION,
    id: input.id,
    issuer: { key_id: input.keyId },
    issued_at: new Date(ctx.now).toISOString(),
    expires_at: new Date(ctx.now + ttl * 1000).toISOString(),
    agent_id: ctx.agent_id,
    account_id: ctx.account_id,
    venue: ctx.venue,
    intent,
    intent_hash: `sha256:${sha256(canonicalJson(intent))}`,
    decision: e.decision,
    reasons: e.reasons,
    gates: e.gates,
    requested: e.requested,
    effective: e.effective,
    reduces: e.reduces,
    regime: e.regime,
    mandate_hash: load.ok ? (input.mandateHash ?? hashMandate(load.mandate, sha256)) : null,
    mandate: load.ok ? load.mandate : { error: load.code, message: load.message },
    context: context as Omit<EvaluationContext, 'mandate'>,
    ...(input.approvalId ? { approval_id: input.approvalId } : {}),
    ...(input.dryRun ? { dry_run: true as const } : {}),
  };
  return payload;
}

/** Rebuilds the evaluation context a certificate was judged on. */
export function contextOf(payload: CertificatePayload): EvaluationContext {
  const m = payload.mandate;
  const mandate =
    'error' in m
      ? { ok: false as const, code: m.error as 'MANDATE_MISSING', message: m.message }
      : { ok: true as const, mandate: m };
  return { ...payload.context, mandate };
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url (RFC 4648 §5). Written out because Node's `btoa` is slow, and this runs once per verdict. */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64URL[v >> 18]! + B64URL[(v >> 12) & 63]! + B64URL[(v >> 6) & 63]! + B64URL[v & 63]!;
  }
  if (n - i === 1) {
    const v = bytes[i]! << 16;
    out += B64URL[v >> 18]! + B64URL[(v >> 12) & 63]!;
  } else if (n - i === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64URL[v >> 18]! + B64URL[(v >> 12) & 63]! + B64URL[(v >> 6) & 63]!;
  }
  return out;
}

export function fromBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  // Base64 has several spellings of the same bytes (unused low bits in the last character); only the canonical
  // one is accepted, so a signature cannot be altered and still verify.
  if (base64url(out) !== text) throw new Error('not canonical base64url');
  return out;
}

const ENCODER = new TextEncoder();
export const utf8 = (s: string): Uint8Array => ENCODER.encode(s);

/** The agent a certificate's JSON text was issued to (null when the text is not a readable certificate). */
export function certificateAgent(json: string): string | null {
  try {
    const agent = (JSON.parse(json) as { payload?: { agent_id?: unknown } }).payload?.agent_id;
    return typeof agent === 'string' ? agent : null;
  } catch {
    return null;
  }
}

/**
 * The readable head of a verdict, derived only from the signed payload. The CLI, MCP and HTTP all start their
 * answers with it (and add what their channel needs), so the three never drift apart.
 */
export function verdictSummary(p: CertificatePayload) {
  // Sizes on the venue's grid, free of binary noise: the quantity on the step, the notional on tick × step.
  const inst = p.context.instrument;
  return {
    decision: p.decision,
    effective_notional: tidy(p.effective?.notional ?? 0, inst ? inst.tickSize * inst.stepSize : null),
    effective_quantity: tidy(p.effective?.quantity ?? 0, inst?.stepSize),
    reasons: p.reasons.map((x) => x.code),
    messages: p.reasons.map((x) => x.message),
  };
}
