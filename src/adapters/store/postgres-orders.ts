import type pg from 'pg';
import { isCurrentView } from '../../core/order/account-view.js';
import { isFinal, type OutcomePlan, planOutcome, stateOf, type VenueAnswer } from '../../core/order/lifecycle.js';
import type { AccountView, AuditRow, OrderChange } from '../../ports/store.js';
import { S, type Sql } from './postgres-sql.js';
import { inflightClientIds, orderRecordOf, outcomeBody, positionAfterPlan, type Row } from './rows.js';

/** What the order and view code needs inside an open transaction that holds the account's row lock. */
export interface PgTx {
  readonly c: pg.PoolClient;
  run(s: Sql, values: unknown[]): Promise<pg.QueryResult<Row>>;
  appendLedger(kind: string, ref: string, body: string, now: number): Promise<number>;
  insertAudit(row: AuditRow): Promise<void>;
}

/** Executes the lifecycle's plan for one answer about one order (an `orderWithReservation` row); see SQLite's. */
export async function recordAnswer(
  t: PgTx,
  row: Row,
  answer: VenueAnswer,
  now: number,
  bookFill: boolean,
  audit?: AuditRow,
): Promise<OutcomePlan> {
  const verdictId = row.verdict_id as string;
  const accountId = row.account_id as string;
  const plan = planOutcome(orderRecordOf(row), answer);
  if (audit && !row.audited) {
    await t.insertAudit(audit);
    await t.run(S.markAudited, [verdictId]);
  }
  if (!plan.changed) return plan;
  const r = plan.reservation;
  if (r.kind === 'release') await t.run(S.deleteReservation, [verdictId]);
  else if (r.kind === 'shrink') await t.run(S.shrinkReservation, [r.quantity, r.notional, verdictId]);
  if (plan.uncount) await t.run(S.uncountTrade, [now, accountId, row.counted_day]);
  if (plan.unpass) await t.run(S.unpassVerdict, [verdictId]);
  await t.run(S.updateOrder, [plan.status, plan.venueOrderId, plan.filledQuantity, plan.avgPrice, now, verdictId]);
  if (bookFill && plan.fillDelta > 0 && row.symbol) {
    const symbol = row.symbol as string;
    const next = positionAfterPlan(row, plan, (await t.run(S.position, [accountId, symbol])).rows[0]);
    if (next === null) await t.run(S.deletePosition, [accountId, symbol]);
    else await t.run(S.upsertPosition, [accountId, symbol, next.qty, next.avgPrice, next.mark]);
  }
  await t.appendLedger('order_outcome', verdictId, outcomeBody(verdictId, plan, answer), now);
  return plan;
}

/** Applies a venue view to a locked account whose row exists (see SQLite's `applyView`). */
export async function applyView(
  t: PgTx,
  accountId: string,
  view: AccountView,
  now: number,
  version: number,
): Promise<void> {
  const current = isCurrentView(version, view.asOf);
  const orders = view.orders ?? [];
  // A final order takes no answer (planOutcome leaves it unchanged): only the account's orders in flight are
  // looked up, not each of the venue's recent orders.
  const inflight =
    orders.length > 0 ? inflightClientIds((await t.run(S.inflight, [accountId])).rows) : new Set<string>();
  for (const o of orders) {
    if (o.answer.kind !== 'order' || !inflight.has(o.clientOrderId)) continue;
    const found = (await t.run(S.orderByClient, [accountId, o.clientOrderId])).rows[0];
    if (!found) continue;
    const row = (await t.run(S.orderWithReservation, [found.verdict_id])).rows[0]!;
    await recordAnswer(t, row, o.answer, now, !current);
  }
  if (current) {
    const held = view.positions.filter((p) => p.qty !== 0);
    await t.run(S.deletePositions, [accountId]);
    if (held.length > 0)
      await t.run(S.insertPositions, [
        accountId,
        held.map((p) => p.symbol),
        held.map((p) => p.qty),
        held.map((p) => p.avgPrice),
        held.map((p) => p.mark),
      ]);
    await t.run(S.setEquity, [accountId, view.equity, new Date(now).toISOString().slice(0, 10), now]);
  }
  await t.run(S.bumpVersion, [accountId]);
}

/** One answer about one forwarded order with the view taken after it; the caller holds the account lock. */
export async function recordOutcome(
  t: PgTx,
  row: Row,
  version: number,
  answer: VenueAnswer,
  now: number,
  view: AccountView | undefined,
  audit: AuditRow | undefined,
): Promise<OrderChange> {
  const accountId = row.account_id as string;
  const current = view ? isCurrentView(version, view.asOf) : false;
  const plan = await recordAnswer(t, row, answer, now, !current, audit);
  if (!view) {
    if (plan.changed) await t.run(S.bumpVersion, [accountId]);
    return { changed: plan.changed, status: plan.status, final: plan.final, filledQuantity: plan.filledQuantity };
  }
  await applyView(t, accountId, view, now, version);
  // The view may have carried a newer answer about this order than `answer`.
  const after = (await t.run(S.order, [row.verdict_id])).rows[0]!;
  const status = stateOf(after.status as string);
  return { changed: plan.changed, status, final: isFinal(status), filledQuantity: after.filled_qty as number };
}
