/**
 * The Vibe-Trading audit record (its `LiveActionEvent.to_record()`), one JSON object per line of `live/audit.jsonl`,
 * fields in its order, plus Arbiter's detail in `arbiter`. Built by `vibeAuditRecord`.
 */
export interface AuditRecord {
  readonly audit_id: string;
  readonly ts: string;
  readonly session_id: string;
  readonly kind: string;
  readonly intent_normalized: string | null;
  readonly mandate_snapshot_ref: string | null;
  readonly consent_record_ref: string | null;
  readonly broker_request: unknown;
  readonly broker_response: unknown;
  readonly outcome: string;
  readonly gate_decision: unknown;
  readonly server: string;
  readonly remote_tool: string | null;
  readonly error: string | null;
  readonly arbiter: unknown;
}
