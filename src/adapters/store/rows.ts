import type { ApprovalRecord, ApprovalRow, ApprovalStatus } from '../../ports/store.js';

/** A database row as both drivers return it (column name → value). */
export type Row = Record<string, unknown>;

/** An `approvals` row as the port's ApprovalRow (the same columns in SQLite and PostgreSQL). */
export function approvalOf(r: Row): ApprovalRow {
  return {
    approvalId: r.approval_id as string,
    verdictId: r.verdict_id as string,
    accountId: r.account_id as string,
    agentId: r.agent_id as string,
    venue: r.venue as string,
    orderHash: r.order_hash as string,
    intentJson: r.intent_json as string,
    notional: r.notional as number,
    createdAt: r.created_at as number,
    expiresAt: r.expires_at as number,
    status: r.status as ApprovalStatus,
    decidedAt: (r.decided_at as number | null) ?? null,
    decidedBy: (r.decided_by as string | null) ?? null,
    resultVerdictId: (r.result_verdict_id as string | null) ?? null,
  };
}

/** The values of an `approvals` insert, in the column order both drivers' statements use. */
export function approvalParams(a: ApprovalRecord): unknown[] {
  return [
    a.approvalId,
    a.verdictId,
    a.accountId,
    a.agentId,
    a.venue,
    a.orderHash,
    a.intentJson,
    a.notional,
    a.createdAt,
    a.expiresAt,
  ];
}

/** A decision's certificate text: given, or produced now (its signature may have been made on another thread). */
export function certificateText(c: string | (() => string)): string {
  return typeof c === 'string' ? c : c();
}
