/**
 * Turns any value into plain JSON that RFC 8785 can canonicalize, losslessly for everything an intent can
 * legitimately hold and with explicit tags for what JSON cannot carry (NaN, ±Infinity, bigint), so a verifier
 * re-deriving a verdict sees the same input the firewall saw.
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const MAX_DEPTH = 6;
const MAX_STRING = 1_024;
const MAX_ITEMS = 64;

export function toJsonSafe(value: unknown, depth = 0): Json {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      if (Number.isNaN(value)) return { $nonfinite: 'NaN' };
      if (value === Number.POSITIVE_INFINITY) return { $nonfinite: 'Infinity' };
      if (value === Number.NEGATIVE_INFINITY) return { $nonfinite: '-Infinity' };
      return Object.is(value, -0) ? 0 : value;
    case 'string':
      return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…[truncated]` : value.toWellFormed();
    case 'bigint':
      return { $bigint: value.toString() };
    case 'object': {
      if (depth >= MAX_DEPTH) return { $truncated: 'depth' };
      if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => toJsonSafe(v, depth + 1));
      const out: Record<string, Json> = {};
      let n = 0;
      for (const [k, v] of Object.entries(value)) {
        if (n++ >= MAX_ITEMS) break;
        if (v === undefined) continue;
        out[k.length > 128 ? k.slice(0, 128) : k.toWellFormed()] = toJsonSafe(v, depth + 1);
      }
      return out;
    }
    default:
      return { $type: typeof value };
  }
}

/** Inverse of toJsonSafe's tags, for re-derivation. */
export function fromJsonSafe(value: Json): unknown {
  if (Array.isArray(value)) return value.map(fromJsonSafe);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$nonfinite') {
      const t = value.$nonfinite;
      return t === 'NaN' ? Number.NaN : t === 'Infinity' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    }
    if (keys.length === 1 && keys[0] === '$bigint' && typeof value.$bigint === 'string') return BigInt(value.$bigint);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = fromJsonSafe(value[k] as Json);
    return out;
  }
  return value;
}
