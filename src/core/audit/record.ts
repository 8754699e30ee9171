/** The Vibe-Trading audit record shape, one JSON object per line of `live/audit.jsonl`. */
export interface AuditRecord {
  readonly audit_id: string;
  readonly ts: string;
  readonly session_id: string;
  readonly kind: string;
  readonly outcome: string;
  readonly server: string;
  readonly remote_tool: string | null;
  readonly intent_normalized: unknown;
  readonly mandate_snapshot_ref: string | null;
  readonly consent_record_ref: string | null;
  readonly broker_request: unknown;
  readonly broker_response: unknown;
  readonly gate_decision: unknown;
  readonly error: string | null;
}
