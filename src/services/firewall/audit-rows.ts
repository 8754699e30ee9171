import type { AuditRecord } from '../../core/audit/record.js';
import { redactedJson, redactProperty } from '../../core/audit/redact.js';
import { vibeAuditRecord } from '../../core/audit/vibe-record.js';
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
  /** A live action (an order to send, an amend), not a dry run. */
  readonly execute: boolean;
}

/**
 * A decision's audit row: the redacted record in Vibe-Trading's vocabulary (`vibeAuditRecord`), its JSON text
 * written in one walk (`redactedJson`), with the row's columns as redaction leaves them. `id` is the record's
 * audit id (`la_…`, as Vibe-Trading's).
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
  return vibeAuditRecord({
    auditId: id,
    sessionId: i.session.sessionId,
    broker: i.session.venue,
    remoteTool: i.remoteTool,
    execute: i.execute,
    payload: i.payload,
    intent: i.evaluation?.intent ?? null,
    request: i.request,
    order: i.order,
    orderError: i.orderError,
  });
}

/** The runtime root's `live/audit.jsonl` mirror of a row. The store already holds the record. */
export function mirrorAudit(sink: { write(line: string): void }, row: AuditRow): void {
  try {
    sink.write(row.body);
  } catch {
    // The store holds the record in its transaction; a failed file mirror must not undo it.
  }
}
