/**
 * JSON text as Vibe-Trading's Python writes it, for the files both programs share: `json.dumps(x, ensure_ascii=
 * False)` for a line of `live/audit.jsonl` (`", "` and `": "` between items), and the canonical form its audit chain
 * hashes (`sort_keys=True, separators=(",", ":"), ensure_ascii=True`). In the canonical form a number is written as
 * Python writes the value it parses from Arbiter's text: an integer literal stays as it is, anything else is a
 * float and gets Python's `repr` (`1e-07`, `1e+16`, `0.5`), so a Python verifier recomputes the same hash.
 */

/** Python's `repr(float(x))` for a finite double: shortest round-trip digits, scientific below 1e-4 or from 1e16. */
export function pythonFloatRepr(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  const sign = x < 0 ? '-' : '';
  const decpt = exp + 1; // value = 0.d1d2… × 10^decpt
  if (decpt <= -4 || decpt > 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (digits.length <= decpt) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** How Python re-writes a number it parsed from JavaScript's JSON text of it. */
function pythonNumber(x: number): string {
  if (!Number.isFinite(x)) return 'null'; // JSON.stringify writes null; Python reads None
  const js = JSON.stringify(x);
  return /^-?\d+$/.test(js) ? js : pythonFloatRepr(Number(js));
}

/** Python's `ensure_ascii=True` string: non-ASCII as lower-case `\uXXXX` (UTF-16 units). */
function asciiString(s: string): string {
  const json = JSON.stringify(s);
  if (/^[\x20-\x7f]*$/.test(json)) return json;
  let out = '';
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    out += c > 0x7f ? `\\u${c.toString(16).padStart(4, '0')}` : json[i];
  }
  return out;
}

/** Python's `sorted()` of str keys: by code point, not by UTF-16 unit. */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
const ASCII_KEY = /^[ -~]*$/;
const sortKeys = (keys: string[]) => (keys.every((k) => ASCII_KEY.test(k)) ? keys.sort() : keys.sort(byCodePoint));

/** `json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=True)` of the JSON value `v`. */
export function pythonCanonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return asciiString(v);
    case 'number':
      return pythonNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x) => pythonCanonical(x)).join(',')}]`;
      const o = v as Record<string, unknown>;
      const keys = sortKeys(Object.keys(o).filter((k) => o[k] !== undefined));
      return `{${keys.map((k) => `${asciiString(k)}:${pythonCanonical(o[k])}`).join(',')}}`;
    }
    default:
      return 'null';
  }
}

/** `json.dumps(v, ensure_ascii=False)`: the line format of `live/audit.jsonl`, numbers as Python writes them. */
export function pythonDumps(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return pythonNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x) => pythonDumps(x)).join(', ')}]`;
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).filter((k) => o[k] !== undefined);
      return `{${keys.map((k) => `${JSON.stringify(k)}: ${pythonDumps(o[k])}`).join(', ')}}`;
    }
    default:
      return 'null';
  }
}

/** Vibe-Trading's audit chain (governance/ledger.py): the first record's `prev_record_hash`. */
export const CHAIN_GENESIS = 'sha256:genesis';
export const CHAIN_FIELDS = ['seq', 'prev_record_hash', 'record_hash'] as const;

/** `compute_record_hash`: `sha256:` + hex sha256 of the canonical `{seq, prev_record_hash, payload}`. */
export function chainRecordHash(
  seq: number,
  prev: string,
  payload: Record<string, unknown>,
  sha256Hex: (text: string) => string,
): string {
  return `sha256:${sha256Hex(pythonCanonical({ seq, prev_record_hash: prev, payload }))}`;
}
