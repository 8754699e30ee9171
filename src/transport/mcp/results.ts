import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { maskJsonText } from '../../core/audit/redact.js';
import { verdictSummary } from '../../core/cert/certificate.js';
import type { VetResult } from '../../services/firewall-service.js';
import { certificateSha256, certificateUri, type SessionCertificates } from './certificates.js';

/**
 * A result's JSON text with anything credential-shaped masked in its strings, and the structured content that
 * matches it (the same object when nothing was masked, which is always the case for what Arbiter itself writes:
 * client order ids and names cannot be credentials, and certificates bind a masked intent).
 */
function masked<T>(text: string, structured: T): { text: string; structured: T } {
  const safe = maskJsonText(text);
  return safe === text ? { text, structured } : { text: safe, structured: JSON.parse(safe) as T };
}

/** A successful tool result: the JSON as text (for any client) and as structured content (for typed clients). */
export function ok(data: Record<string, unknown>): CallToolResult {
  const m = masked(JSON.stringify(data), data);
  return { content: [{ type: 'text', text: m.text }], structuredContent: m.structured };
}

/** A refusal or failure the agent should read and act on: data, not a protocol error. */
export function denied(data: Record<string, unknown>): CallToolResult {
  const m = masked(JSON.stringify(data), data);
  return { content: [{ type: 'text', text: m.text }], structuredContent: m.structured, isError: true };
}

/**
 * A local failure (unknown symbol, no venue, throttled…): `isError` with a JSON body `{error, message}` as text.
 * No structured content, because it does not have the tool's output shape and clients validate it.
 */
export function failure(code: string, message: string, extra: Record<string, unknown> = {}): CallToolResult {
  const text = maskJsonText(JSON.stringify({ error: code, message, ...extra }));
  return { content: [{ type: 'text', text }], isError: true };
}

const PASSED = new Set(['ALLOW', 'ALLOW_CAPPED']);

export interface VerdictResultOptions {
  /** Fields the tool adds (an amend's `amended_order`). */
  readonly extra?: Record<string, unknown>;
  /** The full signed certificate inline (`include_certificate: true`); otherwise it is behind its resource. */
  readonly includeCertificate?: boolean;
}

/**
 * A verdict as a tool result: passing verdicts succeed; anything else is `isError` with the reason codes. The
 * result is compact (what an agent acts on: decision, effective size, reason codes with their `CODE: key=value`
 * messages, the order) and names the certificate by id, hash and expiry; the certificate itself (several KB) is
 * the resource `arbiter://certificates/{id}`, linked from the result, or inline when asked for.
 */
export function verdictResult(r: VetResult, certs: SessionCertificates, o: VerdictResultOptions = {}): CallToolResult {
  const p = r.certificate.payload;
  // A recorded verdict is read back from the store; a dry run is recorded nowhere, so this session keeps it.
  if (r.dryRun) certs.remember(p.id, r.certificateJson);
  const uri = certificateUri(p.id);
  const data: Record<string, unknown> = {
    ...verdictSummary(p),
    verdict_id: p.id,
    expires_at: p.expires_at,
    certificate_sha256: certificateSha256(r.certificateJson),
    certificate_uri: uri,
    replayed: r.replayed,
    ...(r.dryRun ? { dry_run: true } : {}),
    ...(r.approvalId ? { approval_id: r.approvalId } : {}),
    ...(r.order ? { order: r.order } : {}),
    ...(r.orderState ? { order_state: r.orderState } : {}),
    ...(r.orderError ? { order_error: r.orderError } : {}),
    ...o.extra,
  };
  // Inline, the text is written around the certificate's stored text (which parses to `r.certificate`) rather
  // than serialising the certificate a second time.
  const m = o.includeCertificate
    ? masked(`${JSON.stringify(data).slice(0, -1)},"certificate":${r.certificateJson}}`, {
        ...data,
        certificate: r.certificate,
      })
    : masked(JSON.stringify(data), data);
  return {
    content: [
      { type: 'text', text: m.text },
      {
        type: 'resource_link',
        uri,
        name: `certificate ${p.id}`,
        description: `The signed certificate of this ${p.decision} verdict`,
        mimeType: 'application/json',
      },
    ],
    structuredContent: m.structured,
    ...(PASSED.has(p.decision) && !r.orderError ? {} : { isError: true }),
  };
}
