import type { OutcomeSettlement } from '../core/prediction/paper-outcomes.js';
import type { AuditSink } from '../ports/runtime.js';
import type { Store } from '../ports/store.js';
import { mirrorAudit } from './firewall/audit-rows.js';

/**
 * Where an auditor finds a prediction market's settlement: one ledger record (`prediction_settlement`, in the
 * hash chain) and one audit row of that kind (mirrored to `live/audit.jsonl`) per settled holding, with the
 * account, market, resolved outcome, the outcome held, shares, payout and cost basis. Called by the venue once,
 * after the account it paid is stored (the payment itself happens once, in that stored update).
 */
export async function recordSettlements(
  store: Pick<Store, 'ledgerAppend' | 'appendAudit'>,
  audit: AuditSink,
  broker: string,
  settlements: readonly OutcomeSettlement[],
): Promise<void> {
  for (const s of settlements) {
    const ts = new Date(s.ts).toISOString();
    const body = {
      kind: 'prediction_settlement',
      broker,
      account_id: s.accountId,
      market_id: s.marketId,
      resolved_outcome: s.resolved,
      held_outcome: s.held,
      shares: s.shares,
      payout: s.payout,
      cost_basis: s.costBasis,
      ts,
    };
    const json = JSON.stringify(body);
    await store.ledgerAppend('prediction_settlement', s.accountId, json, s.ts);
    const row = {
      audit_id: `ps_${s.accountId}_${s.marketId}_${s.held}_${s.ts}`,
      ts,
      kind: 'prediction_settlement',
      agent_id: null,
      body: JSON.stringify({ audit_id: `ps_${s.accountId}_${s.marketId}_${s.held}_${s.ts}`, ...body }),
    };
    await store.appendAudit(row);
    mirrorAudit(audit, row);
  }
}
