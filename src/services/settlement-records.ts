import type { AuditRecord } from '../core/audit/record.js';
import { redactedJson } from '../core/audit/redact.js';
import { vibeTimestamp } from '../core/audit/vibe-record.js';
import type { OutcomeSettlement } from '../core/prediction/paper-outcomes.js';
import type { AuditSink } from '../ports/runtime.js';
import type { Store } from '../ports/store.js';
import { mirrorAudit } from './firewall/audit-rows.js';

/**
 * Where an auditor finds a prediction market's settlement: one ledger record (`prediction_settlement`, in the
 * hash chain) and one audit row of that kind (an audit record in Vibe-Trading's shape, mirrored to
 * `live/audit.jsonl`) per settled holding, with the account, market, resolved outcome, the outcome held, shares,
 * payout and cost basis. Called by the venue once, after the account it paid is stored (the payment itself
 * happens once, in that stored update).
 */
export async function recordSettlements(
  store: Pick<Store, 'ledgerAppend' | 'appendAudit'>,
  audit: AuditSink,
  broker: string,
  settlements: readonly OutcomeSettlement[],
): Promise<void> {
  for (const s of settlements) {
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
    await store.ledgerAppend('prediction_settlement', s.accountId, JSON.stringify({ ...settlement, ts: iso }), s.ts);
    const record: AuditRecord = {
      audit_id: `la_settle_${s.ts.toString(16)}_${s.marketId}_${s.held}`,
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
    await store.appendAudit(row);
    mirrorAudit(audit, row);
  }
}
