import { evaluate } from '../firewall/engine.js';
import {
  CERTIFICATE_ALG,
  type Certificate,
  type CertificatePayload,
  canonicalJson,
  contextOf,
  fromBase64url,
  utf8,
} from './certificate.js';
import { fromJsonSafe } from './json-safe.js';
import { ISSUE_SKEW_MS, MAX_CERTIFICATE_TTL_SECONDS } from './lifetime.js';

export { ISSUE_SKEW_MS, MAX_CERTIFICATE_TTL_SECONDS };

export type VerifyStatus =
  | 'valid'
  | 'expired'
  | 'invalid_signature'
  | 'untrusted_issuer'
  | 'malformed'
  | 'rederive_mismatch'
  | 'issued_in_future'
  | 'issued_after_expiry'
  | 'lifetime_too_long';

/** The lifetime the issuer gives a certificate whose mandate could not be loaded (see buildPayload). */
const TTL_WITHOUT_MANDATE_SECONDS = 60;

export interface VerifyResult {
  readonly ok: boolean;
  readonly status: VerifyStatus;
  readonly message: string;
  readonly certificate_id?: string;
  readonly decision?: string;
  readonly rederived?: boolean;
}

export interface PinnedIssuer {
  readonly keyId: string;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
}

export type Ed25519Verify = (
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
) => boolean | Promise<boolean>;

export interface VerifyOptions {
  readonly now: number;
  readonly allowExpired?: boolean;
  readonly rederive?: boolean;
  /** Tolerated clock difference for `issued_at` in the future (default ISSUE_SKEW_MS). */
  readonly skewMs?: number;
}

function fail(status: VerifyStatus, message: string, p?: CertificatePayload): VerifyResult {
  return { ok: false, status, message, ...(p ? { certificate_id: p.id, decision: p.decision } : {}) };
}

function shape(input: unknown): Certificate | string {
  if (input === null || typeof input !== 'object') return 'certificate must be a JSON object';
  const c = input as Record<string, unknown>;
  if (c.alg !== CERTIFICATE_ALG) return `alg must be ${CERTIFICATE_ALG}`;
  if (typeof c.signature !== 'string') return 'signature must be a base64url string';
  const p = c.payload as Record<string, unknown> | undefined;
  if (!p || typeof p !== 'object') return 'payload must be an object';
  if (p.v !== 1) return 'payload.v must be 1';
  if (typeof p.id !== 'string' || typeof p.decision !== 'string') return 'payload.id and payload.decision are required';
  const issuer = p.issuer as Record<string, unknown> | undefined;
  if (!issuer || typeof issuer.key_id !== 'string') return 'payload.issuer.key_id is required';
  if (typeof p.expires_at !== 'string') return 'payload.expires_at is required';
  if (typeof p.issued_at !== 'string') return 'payload.issued_at is required';
  return input as Certificate;
}

/** The lifetime the certificate's own bound mandate allows, in seconds (never more than the schema's maximum). */
function allowedTtlSeconds(p: CertificatePayload): number {
  const m = p.mandate as { arbiter?: { certificate_ttl_seconds?: unknown } } | null;
  const ttl =
    m && typeof m === 'object' && 'error' in m ? TTL_WITHOUT_MANDATE_SECONDS : m?.arbiter?.certificate_ttl_seconds;
  return typeof ttl === 'number' && ttl > 0 ? Math.min(ttl, MAX_CERTIFICATE_TTL_SECONDS) : MAX_CERTIFICATE_TTL_SECONDS;
}

/**
 * Times no honest issuer writes: issued in the future (beyond the skew), issued after it expires, or living longer
 * than the mandate it binds allows (at most MAX_CERTIFICATE_TTL_SECONDS). Checked even with `allowExpired`: such a
 * certificate is not old, it is impossible.
 */
function impossibleTimes(p: CertificatePayload, now: number, skewMs: number): VerifyResult | null {
  const issued = Date.parse(p.issued_at);
  const expires = Date.parse(p.expires_at);
  if (!Number.isFinite(issued) || !Number.isFinite(expires))
    return fail('malformed', `MALFORMED: issued_at and expires_at must be ISO-8601 times`, p);
  if (issued > now + skewMs)
    return fail(
      'issued_in_future',
      `ISSUED_IN_FUTURE: issued_at=${p.issued_at} now=${new Date(now).toISOString()} skew_ms=${skewMs}`,
      p,
    );
  if (issued > expires)
    return fail('issued_after_expiry', `ISSUED_AFTER_EXPIRY: issued_at=${p.issued_at} expires_at=${p.expires_at}`, p);
  const allowed = allowedTtlSeconds(p);
  const lifetime = (expires - issued) / 1000;
  if (lifetime > allowed)
    return fail(
      'lifetime_too_long',
      `LIFETIME_TOO_LONG: lifetime_s=${lifetime} max_s=${allowed} (the bound mandate's certificate_ttl_seconds, at most ${MAX_CERTIFICATE_TTL_SECONDS})`,
      p,
    );
  return null;
}

/** Re-runs evaluate() on the context the certificate binds and checks it reaches the same verdict. */
export function rederive(payload: CertificatePayload): { same: boolean; detail: string } {
  const again = evaluate(fromJsonSafe(payload.intent), contextOf(payload));
  const codes = (rs: readonly { code: string }[]) => rs.map((r) => r.code).join(',');
  const gates = (gs: readonly { gate: string; status: string }[]) => gs.map((g) => `${g.gate}:${g.status}`).join(',');
  const checks: [string, string, string][] = [
    ['decision', payload.decision, again.decision],
    ['reasons', codes(payload.reasons), codes(again.reasons)],
    ['gates', gates(payload.gates), gates(again.gates)],
    ['effective', canonicalJson(payload.effective), canonicalJson(again.effective)],
  ];
  for (const [what, bound, derived] of checks) {
    if (bound !== derived) return { same: false, detail: `${what} differs: certificate=${bound} rederived=${derived}` };
  }
  return { same: true, detail: 'same decision, reasons, gates and effective size' };
}

/**
 * Checks a certificate against a pinned issuer key only: the key inside the certificate is never trusted.
 * Order: shape, issuer, signature, impossible times, expiry, then (optionally) re-derivation.
 */
export async function verifyCertificate(
  input: unknown,
  issuer: PinnedIssuer,
  ed25519Verify: Ed25519Verify,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const cert = shape(input);
  if (typeof cert === 'string') return fail('malformed', `MALFORMED: ${cert}`);
  const p = cert.payload;
  if (p.issuer.key_id !== issuer.keyId)
    return fail('untrusted_issuer', `UNTRUSTED_ISSUER: key_id=${p.issuer.key_id} pinned=${issuer.keyId}`, p);
  let signature: Uint8Array;
  let message: Uint8Array;
  try {
    signature = fromBase64url(cert.signature);
    message = utf8(canonicalJson(p));
  } catch (e) {
    return fail('malformed', `MALFORMED: ${(e as Error).message}`, p);
  }
  let good = false;
  try {
    good = signature.length === 64 && (await ed25519Verify(issuer.publicKey, message, signature));
  } catch {
    good = false;
  }
  if (!good) return fail('invalid_signature', 'INVALID_SIGNATURE: the payload or signature was changed', p);
  const impossible = impossibleTimes(p, options.now, options.skewMs ?? ISSUE_SKEW_MS);
  if (impossible) return impossible;
  const expires = Date.parse(p.expires_at);
  if (!options.allowExpired && !(expires > options.now))
    return fail('expired', `EXPIRED: expires_at=${p.expires_at}`, p);
  if (options.rederive) {
    const r = rederive(p);
    if (!r.same) return fail('rederive_mismatch', `REDERIVE_MISMATCH: ${r.detail}`, p);
  }
  return {
    ok: true,
    status: 'valid',
    message: `VALID: signature good, issuer ${issuer.keyId}${options.rederive ? ', re-derived the same verdict' : ''}`,
    certificate_id: p.id,
    decision: p.decision,
    rederived: options.rederive === true,
  };
}
