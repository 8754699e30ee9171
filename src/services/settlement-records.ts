import type { AuditRecord } from '../core/audit/record.js';
import { redactedJson } from '../core/audit/redact.js';
import { vibeTimestamp } from '../core/audit/vibe-record.js';
import { type OutcomeSettlement, settlementKey } from '../core/prediction/paper-outcomes.js';
import type { AuditSink } from '../ports/runtime.js';
import type { Hasher } from '../ports/signer.js';
import type { Store } from '../ports/store.js';
import { mirrorAudit } from './firewall/audit-rows.js';

/**
 * Where an auditor finds a prediction market's settlement: one ledger record (`prediction_settlement`, in the
 * hash chain) and one audit row of that kind (an audit record in Vibe-Trading's shape, mirrored to
 * `live/audit.jsonl`) per settled holding, with the account, market, resolved outcome, the outcome held, shares,
 * payout and cost basis. The venue pays in a stored update of the account that also leaves the settlement owed
 * there, and calls this after it, and again on the account's later calls until it succeeds (after a crash too):
 * each settlement's record and row are written in one transaction keyed by account, market and outcome held, so a
 * repeat writes nothing. The audit mirror line is written when the row is.
 */
export async function recordSettlements(
  store: Pick<Store, 'recordOnce'>,
  hasher: Hasher,
  audit: AuditSink,
  broker: string,
  settlements: readonly OutcomeSettlement[],
): Promise<void> {
  for (const s of settlements) {
    const key = `prediction_settlement:${settlementKey(s)}`;
    const iso = new Date(s.ts).toISOString();
    const settlement = {
      status: 'settled',
      account_id: s.accountId,
      market_id: s.marketId,
      resolved_outcome: s.resolved,
      held_outcome: s.held,
      shares: s.shares,
      payout: s.payout,
      cost_basis: s.costBasis,
    };
    const record: AuditRecord = {
      // One id per settlement (two accounts settle one market at one time), without the account in clear.
      audit_id: `la_settle_${hasher.sha256Hex(key).slice(0, 32)}`,
      ts: vibeTimestamp(iso),
      session_id: 'settlement',
      kind: 'prediction_settlement',
      intent_normalized: `settle ${s.shares} ${s.marketId}-${s.held} shares: ${s.resolved} won, paid ${s.payout}`,
      mandate_snapshot_ref: null,
      consent_record_ref: null,
      broker_request: null,
      broker_response: settlement,
      outcome: 'accepted',
      gate_decision: null,
      server: broker,
      remote_tool: null,
      error: null,
      arbiter: { account_id: s.accountId },
    };
    const row = {
      audit_id: record.audit_id,
      ts: record.ts,
      kind: record.kind,
      agent_id: null,
      body: redactedJson(record) as string,
    };
    const body = JSON.stringify({ ...settlement, ts: iso });
    const written = await store.recordOnce(
      key,
      { kind: 'prediction_settlement', ref: s.accountId, body, now: s.ts },
      row,
    );
    if (written) mirrorAudit(audit, row);
  }
}
