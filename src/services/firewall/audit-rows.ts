import type { AuditRecord } from '../../core/audit/record.js';
import { redactedJson, redactProperty } from '../../core/audit/redact.js';
import type { CertificatePayload } from '../../core/cert/certificate.js';
import type { Evaluation } from '../../core/firewall/types.js';
import type { AuditRow } from '../../ports/store.js';
import type { VenueOrder, VenueOrderRequest } from '../../ports/venue.js';
import type { Session } from './types.js';

export interface AuditInput {
  readonly session: Session;
  readonly payload: CertificatePayload;
  readonly evaluation: Evaluation | null;
  readonly request: VenueOrderRequest | null;
  readonly order: VenueOrder | null;
  readonly orderError: { readonly code: string; readonly message: string } | null;
  readonly remoteTool: string | null;
}

/**
 * A decision's audit row: the redacted Vibe-Trading record's JSON text, written in one walk (`redactedJson`),
 * with the row's columns as redaction leaves them. `id` is the record's audit id.
 */
export function auditRow(id: string, input: AuditInput): AuditRow {
  const record = auditRecord(id, input);
  return {
    audit_id: redactProperty('audit_id', record.audit_id) as string,
    ts: redactProperty('ts', record.ts) as string,
    kind: redactProperty('kind', record.kind) as string,
    agent_id: input.session.agentId,
    body: redactedJson(record) as string,
  };
}

function auditRecord(id: string, i: AuditInput): AuditRecord {
  const p = i.payload;
  const consent = 'consent' in p.mandate ? p.mandate.consent : null;
  return {
    audit_id: id,
    ts: p.issued_at,
    session_id: i.session.sessionId,
    kind: i.request ? 'order_intent' : 'vet',
    outcome: i.orderError ? `${p.decision}:VENUE_${i.orderError.code}` : p.decision,
    server: `arbiter:${i.session.venue}`,
    remote_tool: i.remoteTool,
    intent_normalized: i.evaluation?.intent ?? p.intent,
    mandate_snapshot_ref: p.mandate_hash,
    consent_record_ref: consent?.consent_token_sha256 ?? null,
    broker_request: i.request,
    broker_response: i.order ?? (i.orderError ? { error: i.orderError } : null),
    gate_decision: {
      certificate_id: p.id,
      agent_id: p.agent_id,
      decision: p.decision,
      reasons: p.reasons,
      effective: p.effective,
      gates: p.gates.map((g) => `${g.gate}:${g.status}`),
    },
    error: i.orderError?.message ?? null,
  };
}

/** The runtime root's `live/audit.jsonl` mirror of a row. The store already holds the record. */
export function mirrorAudit(sink: { write(line: string): void }, row: AuditRow): void {
  try {
    sink.write(row.body);
  } catch {
    // The store holds the record in its transaction; a failed file mirror must not undo it.
  }
}
