import { jsonString, keyQuoter } from '../cert/json-text.js';

/**
 * Redaction for everything that leaves the process as a record: the audit log, errors, logs. It is the union of
 * Arbiter's rules and Vibe-Trading's (its `redact_payload` / `redact_text`, tools/redaction.py): a value is hidden
 * when either would hide it, with Vibe-Trading's sentinel `[redacted]`.
 *
 * Keys: Arbiter's (snake, camel and kebab case of api keys, secrets, passwords, tokens, authorization, cookies,
 * signatures, account numbers) and Vibe-Trading's (any key containing api_key / authorization / password / secret /
 * token once case and separators are folded away; exactly `content`, `env`, `headers`, `passphrase`, and its
 * account and PII names: `account_id`, `account_number`, `ssn`, `routing_number`, `tax_id`, …), with its
 * exceptions for token counts (`token_usage` keeps only counts, `total_input_tokens` a non-negative integer, …).
 * Text: `Bearer x` of any length, `scheme://user:pass@`, `password=…` / `api_key: …` / `"token": "…"` pairs,
 * `sk-…`, `ghp_…`, `xox…-`, `AKIA…`, `pypi-…`, JWTs, and Arbiter's own agent and admin tokens.
 */
export const REDACTED = '[redacted]';

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

/** Vibe-Trading's fold: lower case, letters and digits only (`Account Number` → `accountnumber`). */
function fold(key: string): string {
  return key.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Vibe-Trading's exact key names (folded): credential words, `content` / `env` / `headers`, accounts and PII. */
const VT_EXACT = new Set(
  [
    'api_key',
    'authorization',
    'content',
    'env',
    'headers',
    'passphrase',
    'password',
    'secret',
    'token',
    'account_number',
    'account_id',
    'account_no',
    'account_num',
    'brokerage_account_number',
    'brokerage_account_id',
    'account_url',
    'rhs_account_number',
    'ssn',
    'social_security_number',
    'tax_id',
    'taxpayer_id',
    'tin',
    'routing_number',
    'bank_account_number',
  ].map(fold),
);
const VT_MARKERS = ['apikey', 'authorization', 'password', 'secret', 'token'];
/** Token-count names Vibe-Trading lets through when the value has a count's shape. */
const TOKEN_COUNTS = new Set(['tokenbudget', 'tokenusage', 'totalinputtokens', 'totaloutputtokens', 'clobtokenid']);

/** What a key says about its value: secret whatever it is, a token-count name (decided by the value), or neither. */
interface KeyVerdict {
  readonly sensitive: boolean;
  /** The folded token-count name (`tokenusage`, …) when the value decides. */
  readonly count: string | null;
}

/** Keys repeat (records have a handful of shapes), so each key's verdict is computed once. */
const keyVerdicts = new Map<string, KeyVerdict>();

function keyVerdict(key: string): KeyVerdict {
  const hit = keyVerdicts.get(key);
  if (hit !== undefined) return hit;
  const k = normaliseKey(key);
  const f = fold(key);
  const count = TOKEN_COUNTS.has(f) ? f : null;
  const sensitive =
    EXACT.has(k) ||
    /(secret|password|passphrase|privatekey|apikey|accesstoken|refreshtoken|authorization|accountnumber|bearer)/.test(
      k,
    ) ||
    (count === null && (VT_EXACT.has(f) || VT_MARKERS.some((m) => f.includes(m))));
  const verdict = { sensitive, count };
  if (keyVerdicts.size < 10_000) keyVerdicts.set(key, verdict);
  return verdict;
}

/** Whether the key alone makes a value secret (token-count names: decided by the value, see `isSensitiveProperty`). */
export function isSensitiveKey(key: string): boolean {
  return keyVerdict(key).sensitive;
}

const isCount = (v: unknown) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0);

/** Vibe-Trading's value-shaped exception for token-count names; everything else is decided by the key. */
function isSensitiveProperty(key: string, value: unknown): boolean {
  const v = keyVerdict(key);
  if (v.sensitive) return true;
  const f = v.count;
  if (f === null) return false;
  if (f === 'clobtokenid')
    return !(typeof value === 'string' && /^[0-9]{1,78}$/.test(value) && BigInt(value) < 2n ** 256n);
  if (f === 'tokenusage' && isPlainObject(value)) return false;
  return !isCount(value);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** `token_usage` keeps only counts (Vibe-Trading's `_redact_token_usage`). */
function redactUsage(v: unknown): unknown {
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = isSensitiveProperty(k, x) ? REDACTED : redactUsage(x);
    return out;
  }
  return isCount(v) ? v : REDACTED;
}

const CREDENTIAL_NAMES =
  'api[_-]?key|api[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|bearer[_-]?token|id[_-]?token' +
  '|session[_-]?token|client[_-]?secret|secret[_-]?key|private[_-]?key|app[_-]?secret' +
  '|passphrase|password|passwd|authorization|secret|token';
/** `key=value`, `key: value`, `"key": "value"` (Vibe-Trading's `_TEXT_KV_PATTERN`). */
const KV = new RegExp(
  `(["']?)(${CREDENTIAL_NAMES})\\b\\1(\\s*[:=]\\s*)(?!["']?\\[redacted\\]["']?|bearer\\b)("[^"\\n]*"|'[^'\\n]*'|[^\\s,;{}\\[\\]()"']+)`,
  'gi',
);
const BEARER = /\b(bearer)\s+[A-Za-z0-9._~+/-]+=*/gi;
const USERINFO = /(?<=:\/\/)[^\s/?#@]+@/g;
const SHAPED =
  /(?<![A-Za-z0-9_-])(?:sk-[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{30,}|xox[baprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|pypi-[A-Za-z0-9_-]{16,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{5,})(?![A-Za-z0-9_-])/g;
/** Arbiter's own shapes, which also catch shorter `sk-` keys and JWTs, and its agent and admin tokens. */
const ARBITER_SHAPES: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g,
  /\barb_(?:agent|admin)_[A-Za-z0-9_-]{16,}/g,
  // AWS access key ids, GitHub tokens (classic and fine-grained).
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
];

/** Every rule above needs one of these (case-insensitively); most strings have none and are returned as they are. */
const MAY_HOLD_SECRET =
  /bearer|:\/\/|key|secret|token|passw|passph|auth|sk-|gh[pousr]_|github_pat_|xox[baprs]-|akia|asia|pypi-|eyj|arb_/i;

export function redactString(value: string): string {
  if (!MAY_HOLD_SECRET.test(value)) return value;
  let out = value.replace(BEARER, `$1 ${REDACTED}`);
  out = out.replace(USERINFO, `${REDACTED}@`);
  out = out.replace(KV, (_m, q: string, name: string, sep: string, v: string) => {
    const quote = v[0] === '"' || v[0] === "'" ? v[0] : '';
    return `${q}${name}${q}${sep}${quote}${REDACTED}${quote}`;
  });
  out = out.replace(SHAPED, REDACTED);
  for (const re of ARBITER_SHAPES) out = out.replace(re, REDACTED);
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
  if (value === undefined) return undefined;
  if (isSensitiveProperty(key, value)) return REDACTED;
  return keyVerdict(key).count === 'tokenusage' ? redactUsage(value) : redact(value, depth);
}

const QUOTED_REDACTED = JSON.stringify(REDACTED);
/** Thrown inside `redactedJson` for what only the two-step form handles exactly (toJSON, BigInt, __proto__). */
const UNUSUAL: unique symbol = Symbol('unusual');

/**
 * `JSON.stringify(redact(value))`, written in one walk without the redacted copy (the audit row of every
 * decision is this text). Property-tested against the two steps byte for byte; a value with an own `toJSON`
 * function, an own `__proto__` key or a BigInt anywhere inside is handed to the two steps.
 */
/**
 * A JSON text with credential-shaped text masked inside its string values only, its structure left whole (a rule
 * such as `token: …` must never rewrite `"token":true` into invalid JSON). The same text, byte for byte, when
 * nothing needed masking; text that is not JSON is masked as text.
 */
export function maskJsonText(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return redactString(text);
  }
  const box = { changed: false };
  const out = maskStrings(parsed, box, 0);
  return box.changed ? JSON.stringify(out) : text;
}

function maskStrings(v: unknown, box: { changed: boolean }, depth: number): unknown {
  if (typeof v === 'string') {
    const r = redactString(v);
    if (r !== v) box.changed = true;
    return r;
  }
  if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return v;
  if (Array.isArray(v)) return v.map((x) => maskStrings(x, box, depth + 1));
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = maskStrings(x, box, depth + 1);
  return o;
}

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
          x === undefined
            ? undefined
            : isSensitiveProperty(k, x)
              ? QUOTED_REDACTED
              : keyVerdict(k).count === 'tokenusage'
                ? JSON.stringify(redactUsage(x))
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
