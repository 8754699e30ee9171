import { isCurrentView } from '../../core/order/account-view.js';
import { isFinal, type OutcomePlan, planOutcome, stateOf, type VenueAnswer } from '../../core/order/lifecycle.js';
import type { AccountView, AuditRow, OrderChange } from '../../ports/store.js';
import { inflightClientIds, orderRecordOf, outcomeBody, positionAfterPlan, type Row } from './rows.js';
import type { Statements } from './sqlite-statements.js';

/** What the order and view code needs inside an open transaction. */
export interface SqliteTx {
  readonly s: Statements;
  appendLedger(kind: string, ref: string, body: string, now: number): number;
  insertAudit(row: AuditRow): void;
}

/**
 * Executes the lifecycle's plan for one answer about one order (`orderWithReservation` row): its reservation,
 * the daily count, the duplicate key, its status and fills, the store's own position when no current view
 * replaces it (`bookFill`), its audit row (the first one offered) and an `order_outcome` ledger record.
 */
export function recordAnswer(
  t: SqliteTx,
  row: Row,
  answer: VenueAnswer,
  now: number,
  bookFill: boolean,
  audit?: AuditRow,
): OutcomePlan {
  const verdictId = row.verdict_id as string;
  const accountId = row.account_id as string;
  const plan = planOutcome(orderRecordOf(row), answer);
  if (audit && !row.audited) {
    t.insertAudit(audit);
    t.s.markAudited.run(verdictId);
  }
  if (!plan.changed) return plan;
  const r = plan.reservation;
  if (r.kind === 'release') t.s.deleteReservation.run(verdictId);
  else if (r.kind === 'shrink') t.s.shrinkReservation.run(r.quantity, r.notional, verdictId);
  if (plan.uncount) t.s.uncountTrade.run(now, accountId, row.counted_day);
  if (plan.unpass) t.s.unpassVerdict.run(verdictId);
  t.s.updateOrder.run(plan.status, plan.venueOrderId, plan.filledQuantity, plan.avgPrice, now, verdictId);
  if (bookFill && plan.fillDelta > 0 && row.symbol) bookOwnFill(t, row, plan);
  t.appendLedger('order_outcome', verdictId, outcomeBody(verdictId, plan, answer), now);
  return plan;
}

function bookOwnFill(t: SqliteTx, row: Row, plan: OutcomePlan): void {
  const accountId = row.account_id as string;
  const symbol = row.symbol as string;
  const next = positionAfterPlan(row, plan, t.s.position.get(accountId, symbol) as Row | undefined);
  if (next === null) t.s.deletePosition.run(accountId, symbol);
  else t.s.upsertPosition.run(accountId, symbol, next.qty, next.avgPrice, next.mark);
}

/**
 * Applies a venue view to an account whose row exists, under the transaction's lock: the answers it carries about
 * orders in flight (only orders the venue reported: a miss is not an answer here, since the order may be on its
 * way), then, if the view is current, its positions and equity.
 */
export function applyView(t: SqliteTx, accountId: string, view: AccountView, now: number, current: boolean): void {
  const orders = view.orders ?? [];
  // A final order takes no answer (planOutcome leaves it unchanged): only the account's orders in flight are
  // looked up, not each of the venue's recent orders.
  const inflight = orders.length > 0 ? inflightClientIds(t.s.inflight.all(accountId) as Row[]) : new Set<string>();
  for (const o of orders) {
    if (o.answer.kind !== 'order' || !inflight.has(o.clientOrderId)) continue;
    const found = t.s.orderByClient.get(accountId, o.clientOrderId) as Row | undefined;
    if (!found) continue;
    const row = t.s.orderWithReservation.get(found.verdict_id) as Row;
    recordAnswer(t, row, o.answer, now, !current);
  }
  if (!current) return;
  t.s.deletePositions.run(accountId);
  for (const p of view.positions)
    if (p.qty !== 0) t.s.insertPosition.run(accountId, p.symbol, p.qty, p.avgPrice, p.mark);
  t.s.setEquity.run({ account: accountId, equity: view.equity, day: utcDayOf(now), now });
}

/** Whether `view` may replace the account's state now (see the view rule in core/order/account-view.ts). */
export function viewIsCurrent(t: SqliteTx, accountId: string, view: AccountView): boolean {
  const r = t.s.accountVersion.get(accountId) as { version: number } | undefined;
  return isCurrentView(r?.version ?? 0, view.asOf);
}

/** One answer about one forwarded order, with the view taken after it. */
export function recordOutcome(
  t: SqliteTx,
  verdictId: string,
  answer: VenueAnswer,
  now: number,
  view: AccountView | undefined,
  audit: AuditRow | undefined,
): OrderChange {
  const row = t.s.orderWithReservation.get(verdictId) as Row | undefined;
  if (!row) throw new Error(`no forwarded order for verdict ${verdictId}`);
  const accountId = row.account_id as string;
  const current = view ? viewIsCurrent(t, accountId, view) : false;
  const plan = recordAnswer(t, row, answer, now, !current, audit);
  if (!view) {
    if (plan.changed) t.s.bumpVersion.run(accountId);
    return { changed: plan.changed, status: plan.status, final: plan.final, filledQuantity: plan.filledQuantity };
  }
  applyView(t, accountId, view, now, current);
  t.s.bumpVersion.run(accountId);
  // The view may have carried a newer answer about this order than `answer`.
  const after = t.s.order.get(verdictId) as Row;
  const status = stateOf(after.status as string);
  return { changed: plan.changed, status, final: isFinal(status), filledQuantity: after.filled_qty as number };
}

function utcDayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
