/** JSON text pieces shared by the canonical writer and the one-walk redacted writer. */

/** Strings made only of printable ASCII other than `"` and `\\` are their own JSON text between quotes. */
export const PLAIN_JSON = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A string's JSON text, as JSON.stringify writes it; short plain strings skip the call. */
export function jsonString(s: string): string {
  return s.length < 64 && PLAIN_JSON.test(s) ? `"${s}"` : JSON.stringify(s);
}

/**
 * Object keys repeat (records and payloads have a handful of shapes): a quoting function that makes each key's
 * JSON text once, keeping up to `limit` keys. `check` runs on a key the first time it is seen.
 */
export function keyQuoter(limit: number, check?: (key: string) => void): (key: string) => string {
  const quoted = new Map<string, string>();
  return (key) => {
    let q = quoted.get(key);
    if (q === undefined) {
      check?.(key);
      q = JSON.stringify(key);
      if (quoted.size < limit) quoted.set(key, q);
    }
    return q;
  };
}
