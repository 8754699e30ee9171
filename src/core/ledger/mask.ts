import { maskJsonText, redactString } from '../audit/redact.js';

/**
 * A ledger record as it may leave the server: anything credential-shaped in its stored text (a halt reason someone
 * pasted a key into, say) is masked and the record is marked `redacted: true`. Its `hash` still covers the stored
 * text, so such a record is checked where that text is (`arbiter ledger verify`, GET /v1/ledger/verify), not from
 * the masked copy. Every other record is returned as it is.
 */
export function maskedRecord<R extends { readonly body: string; readonly ref: string }>(
  r: R,
): R | (R & { readonly redacted: true }) {
  const body = maskJsonText(r.body);
  const ref = redactString(r.ref);
  return body === r.body && ref === r.ref ? r : { ...r, body, ref, redacted: true };
}
