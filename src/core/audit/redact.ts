import { jsonString, keyQuoter } from '../cert/json-text.js';

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
  // AWS access key ids, GitHub tokens (classic and fine-grained).
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
];

/** Every pattern above needs at least one of these (case-insensitively); most strings have none. */
const MAY_HOLD_SECRET = /bearer|sk-|eyj|arb_|akia|asia|gh[pousr]_|github_pat_/i;

export function redactString(value: string): string {
  if (value.length < 8 || !MAY_HOLD_SECRET.test(value)) return value;
  let out = value;
  for (const re of VALUE_PATTERNS) out = out.replace(re, REDACTED);
  return out;
}

/** True when `value` holds something credential-shaped (what `redactString` would mask). */
export function isSecretShaped(value: string): boolean {
  return redactString(value) !== value;
}

/** True when `redact(value)` would change anything: a secret-shaped string or key, or a sensitive key's value. */
export function holdsSecret(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return true;
  if (typeof value === 'string') return isSecretShaped(value);
  if (Array.isArray(value)) return value.some((v) => holdsSecret(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (isSensitiveKey(k) && v !== null && v !== undefined && v !== '' && v !== REDACTED) return true;
      if (holdsSecret(v, depth + 1)) return true;
    }
  }
  return false;
}

/** Deeper than this, a value is replaced whole. */
const MAX_DEPTH = 12;

/** Returns a deep copy with sensitive keys' values replaced and secret-shaped substrings masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return REDACTED;
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactProperty(k, v, depth + 1);
    return out;
  }
  return value;
}

/** What `redact` makes of the value of property `key` of an object at depth `depth - 1`. */
export function redactProperty(key: string, value: unknown, depth = 1): unknown {
  return isSensitiveKey(key) && value !== null && value !== undefined && value !== '' ? REDACTED : redact(value, depth);
}

const QUOTED_REDACTED = JSON.stringify(REDACTED);
/** Thrown inside `redactedJson` for what only the two-step form handles exactly (toJSON, BigInt, __proto__). */
const UNUSUAL: unique symbol = Symbol('unusual');

/**
 * `JSON.stringify(redact(value))`, written in one walk without the redacted copy (the audit row of every
 * decision is this text). Property-tested against the two steps byte for byte; a value with an own `toJSON`
 * function, an own `__proto__` key or a BigInt anywhere inside is handed to the two steps.
 */
export function redactedJson(value: unknown): string | undefined {
  try {
    return writeRedacted(value, 0);
  } catch (e) {
    if (e === UNUSUAL) return JSON.stringify(redact(value));
    throw e;
  }
}

const quoteKey = keyQuoter(10_000);

function writeRedacted(v: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return QUOTED_REDACTED;
  switch (typeof v) {
    case 'string':
      return jsonString(redactString(v));
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) s += ',';
          // A hole stays a hole in redact's copy (map skips it): null, even past the depth limit.
          s += (i in v ? writeRedacted(v[i], depth + 1) : undefined) ?? 'null';
        }
        return `${s}]`;
      }
      const keys = Object.keys(v);
      let s = '{';
      let first = true;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const x = (v as Record<string, unknown>)[k];
        // The copy would hide this key (it sets the prototype) or JSON.stringify would call the function.
        if (k === '__proto__' || (k === 'toJSON' && typeof x === 'function')) throw UNUSUAL;
        const item =
          x !== null && x !== undefined && x !== '' && isSensitiveKey(k)
            ? QUOTED_REDACTED
            : writeRedacted(x, depth + 1);
        if (item === undefined) continue;
        if (first) first = false;
        else s += ',';
        s += quoteKey(k);
        s += ':';
        s += item;
      }
      return `${s}}`;
    }
    case 'bigint':
      throw UNUSUAL;
    default:
      return undefined; // undefined, functions and symbols: left out of objects, null in arrays
  }
}
