import { type HeldPosition, positionAfterFill } from '../../core/order/account-view.js';
import { type OrderRecord, type OutcomePlan, stateOf, type VenueAnswer } from '../../core/order/lifecycle.js';
import type {
  ApprovalRecord,
  ApprovalRow,
  ApprovalStatus,
  DecideOutcome,
  DecideScope,
  DecisionWrite,
  DocWrite,
  StoredOrder,
} from '../../ports/store.js';

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

/** An `orders` row as the port's StoredOrder (the same columns in SQLite and PostgreSQL). */
export function orderOf(r: Row): StoredOrder {
  return {
    verdictId: r.verdict_id as string,
    accountId: r.account_id as string,
    agentId: (r.agent_id as string | null) ?? '',
    clientOrderId: r.client_order_id as string,
    // An approved execution's binding is the system's, not a client order id the agent gave.
    agentClientOrderId: typeof r.bound_id === 'string' && !r.bound_id.startsWith('#') ? r.bound_id : null,
    symbol: (r.symbol as string | null) ?? null,
    side: (r.side as 'buy' | 'sell' | null) ?? null,
    status: stateOf(r.status as string),
    venueOrderId: (r.venue_order_id as string | null) ?? null,
    filledQuantity: (r.filled_qty as number | null) ?? 0,
    avgPrice: (r.avg_price as number | null) ?? null,
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
  };
}

/** The body of an `order_outcome` ledger record: the order's state after the answer, and why when it ended so. */
export function outcomeBody(verdictId: string, plan: OutcomePlan, answer: VenueAnswer): string {
  return JSON.stringify({
    verdict_id: verdictId,
    status: plan.status,
    filled_quantity: plan.filledQuantity,
    fill_delta: plan.fillDelta,
    avg_price: plan.avgPrice,
    venue_order_id: plan.venueOrderId,
    code: plan.code,
    message: answer.kind === 'order' ? null : answer.message.slice(0, 300),
  });
}

/** The price of a fill delta: from the cumulative average before and after, else the order's sizing price. */
export function deltaPrice(row: Row, plan: OutcomePlan): number {
  const before = (row.filled_qty as number | null) ?? 0;
  const avgBefore = row.avg_price as number | null;
  const fallback =
    row.orig_qty && row.orig_notional ? (row.orig_notional as number) / (row.orig_qty as number) : Number.NaN;
  if (plan.avgPrice === null) return avgBefore ?? fallback;
  if (before > 0 && avgBefore !== null) {
    const p = (plan.avgPrice * plan.filledQuantity - avgBefore * before) / plan.fillDelta;
    if (Number.isFinite(p) && p > 0) return p;
  }
  return plan.avgPrice;
}

/** An `orderWithReservation` row as the lifecycle's OrderRecord (what an answer is planned against). */
export function orderRecordOf(row: Row): OrderRecord {
  return {
    status: stateOf(row.status as string),
    filledQuantity: (row.filled_qty as number | null) ?? 0,
    reservation:
      row.reserved === null || row.reserved === undefined
        ? null
        : { quantity: row.orig_qty as number, notional: row.orig_notional as number },
  };
}

/** The order's position after the plan's new fill (the store's own bookkeeping); `held` its `positions` row. */
export function positionAfterPlan(row: Row, plan: OutcomePlan, held: Row | undefined): HeldPosition | null {
  const symbol = row.symbol as string;
  return positionAfterFill(
    held ? { symbol, qty: held.qty as number, avgPrice: held.avg_price as number, mark: held.mark as number } : null,
    symbol,
    row.side as 'buy' | 'sell',
    plan.fillDelta,
    deltaPrice(row, plan),
  );
}

/**
 * The account row a dry run judges on without writing: as stored, rolled into the scope's day, or, for an account
 * the store has never seen, as a decision would create it.
 */
export function accountRowAsOf(found: Row | undefined, scope: DecideScope): Row {
  if (!found) {
    const e = scope.initialEquity;
    return { equity: e, peak_equity: e, day: scope.day, day_start_equity: e, daily_count: 0, synced_at: null };
  }
  return found.day === scope.day ? found : { ...found, day: scope.day, day_start_equity: found.equity, daily_count: 0 };
}

/** A document update's own value and the other documents to write with it. */
export function docWriteParts(next: string | DocWrite): DocWrite {
  return typeof next === 'string' ? { value: next, also: [] } : next;
}

/** What a dry run's decision returns: the verdict made, and no ledger record (nothing was written). */
export function dryOutcome(w: DecisionWrite): DecideOutcome {
  return {
    replayed: false,
    verdictId: w.verdictId,
    certificateJson: w.certificateJson,
    decision: w.decision,
    seq: null,
  };
}

/** The client order ids of `inflight` rows (the account's orders whose state is not final). */
export function inflightClientIds(rows: readonly Row[]): Set<string> {
  return new Set(rows.map((r) => r.client_order_id as string));
}
