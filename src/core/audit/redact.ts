/**
 * Redaction for everything that leaves the process as a record: the audit log, errors, logs. Keys are matched
 * in snake, camel and kebab case; values are scanned for bearer tokens, `sk-` keys and JWTs wherever they sit.
 */
export const REDACTED = '[REDACTED]';

const SENSITIVE_WORDS = [
  'apikey',
  'apisecret',
  'secret',
  'secretkey',
  'password',
  'passwd',
  'passphrase',
  'token',
  'accesstoken',
  'refreshtoken',
  'authorization',
  'auth',
  'cookie',
  'privatekey',
  'accountnumber',
  'accountno',
  'signature',
  'clientsecret',
];

/** `api_key`, `apiKey`, `api-key`, `API-KEY` all normalise to `apikey`. */
function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

const EXACT = new Set(SENSITIVE_WORDS);

/** Keys repeat (records have a handful of shapes), so each key's answer is computed once. */
const keyVerdicts = new Map<string, boolean>();

export function isSensitiveKey(key: string): boolean {
  const hit = keyVerdicts.get(key);
  if (hit !== undefined) return hit;
  const k = normaliseKey(key);
  const sensitive =
    EXACT.has(k) ||
    /(secret|password|passphrase|privatekey|apikey|accesstoken|refreshtoken|authorization|accountnumber|bearer)/.test(
      k,
    );
  if (keyVerdicts.size < 10_000) keyVerdicts.set(key, sensitive);
  return sensitive;
}

const VALUE_PATTERNS: readonly RegExp[] = [
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g,
  /\barb_(?:agent|admin)_[A-Za-z0-9_-]{16,}/g,
];

/** Every pattern above needs at least one of these (case-insensitively); most strings have none. */
const MAY_HOLD_SECRET = /bearer|sk-|eyj|arb_/i;

export function redactString(value: string): string {
  if (value.length < 8 || !MAY_HOLD_SECRET.test(value)) return value;
  let out = value;
  for (const re of VALUE_PATTERNS) out = out.replace(re, REDACTED);
  return out;
}

/** Returns a deep copy with sensitive keys' values replaced and secret-shaped substrings masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 12) return REDACTED;
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSensitiveKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
