import type {
  AccountSnapshot,
  CostBasisRow,
  DecideOutcome,
  DecideScope,
  DecideState,
  DecisionWrite,
} from '../../ports/store.js';
import { accountRowAsOf, approvalParams, dryOutcome, orderOf, type Row } from './rows.js';
import { applyView, type SqliteTx, viewIsCurrent } from './sqlite-orders.js';

const PASSED = new Set(['ALLOW', 'ALLOW_CAPPED', 'PENDING_APPROVAL']);

export interface DecideTx extends SqliteTx {
  /** Every this-many throttle rows, old ones are pruned. */
  throttleInserts: number;
}

/** Loads (creating and day-rolling as needed) the account row inside the current write transaction. */
export function accountRow(t: SqliteTx, accountId: string, day: string, now: number, initialEquity: number): Row {
  // (An upsert or update … RETURNING * was measured slower than the write and this read.)
  let row = t.s.account.get(accountId) as Row | undefined;
  if (!row) {
    t.s.insertAccount.run(accountId, initialEquity, initialEquity, day, initialEquity, now);
    row = t.s.account.get(accountId) as Row;
  } else if (row.day !== day) {
    t.s.rollDay.run(day, accountId);
    row = t.s.account.get(accountId) as Row;
  }
  return row;
}

/**
 * The client order id's binding: the verdict it is bound to and its order (a replay), or that it is bound to an
 * order with other content (`reused`), or nothing.
 */
function binding(t: SqliteTx, scope: DecideScope): { replay: DecideOutcome | null; reused: boolean } {
  if (scope.clientOrderId === null) return { replay: null, reused: false };
  const prior = t.s.verdictByCoid.get(scope.accountId, scope.agentId, scope.clientOrderId) as Row | undefined;
  if (!prior) return { replay: null, reused: false };
  // Rows bound before order keys were kept (schema v4) replay as they always did.
  if (prior.order_key !== null && prior.order_key !== scope.orderKey) return { replay: null, reused: true };
  const order = t.s.order.get(prior.verdict_id) as Row | undefined;
  return {
    replay: {
      replayed: true,
      verdictId: prior.verdict_id as string,
      certificateJson: prior.certificate as string,
      decision: prior.decision as DecideOutcome['decision'],
      order: order ? orderOf(order) : null,
    },
    reused: false,
  };
}

function readState(t: SqliteTx, scope: DecideScope, row: Row, reused: boolean): DecideState {
  const { accountId, agentId, now } = scope;
  const r = t.s.decideState.get({
    account: accountId,
    symbol: scope.symbol,
    agent: agentId,
    second: now - 1_000,
    minute_sec: Math.floor((now - 60_000) / 1_000),
    content: scope.contentKey,
    dup: now - scope.duplicateWindowMs,
    venue_scope: `venue:${scope.venue}`,
    agent_scope: `agent:${agentId}`,
  }) as Record<string, number | null>;
  const account: AccountSnapshot = {
    equity: row.equity as number,
    peak_equity: row.peak_equity as number,
    day_start_equity: row.day_start_equity as number,
    gross_exposure: (r.pos_exposure ?? 0) + (r.res_exposure ?? 0),
    daily_count: row.daily_count as number,
    position: { qty: r.pos_qty ?? 0, avg_price: r.pos_avg ?? 0, pending_reduce_qty: r.pending_reduce ?? 0 },
    synced_at: (row.synced_at as number | null) ?? null,
  };
  return {
    account,
    throttle: { last_second: r.last_second ?? 0, last_minute: r.last_minute ?? 0 },
    recent_duplicate: scope.contentKey !== null && r.dup === 1,
    breaker_tripped: r.breaker === 1,
    halts: { global: (r.halt_global ?? 0) > 0, venue: (r.halt_venue ?? 0) > 0, agent: (r.halt_agent ?? 0) > 0 },
    client_order_id_reused: reused,
    ...(scope.withBook ? { book: readBook(t, accountId) } : {}),
    ...(scope.withCostBasis ? { cost_basis: readCostBasis(t, accountId) } : {}),
  };
}

/** The account's cost basis per symbol (positions held and buys in flight), read in the decision's transaction. */
function readCostBasis(t: Pick<SqliteTx, 's'>, accountId: string): CostBasisRow[] {
  return (t.s.costBasis.all({ account: accountId }) as CostBasisRow[]).map((r) => ({
    symbol: r.symbol,
    held: Number(r.held),
    reserved: Number(r.reserved),
  }));
}

/** The account's book (positions at mark and reservations that add), read in the decision's transaction. */
export function readBook(t: Pick<SqliteTx, 's'>, accountId: string): { symbol: string; notional: number }[] {
  return (t.s.book.all({ account: accountId }) as { symbol: string; notional: number }[]).map((r) => ({
    symbol: r.symbol,
    notional: r.notional,
  }));
}

/** A dry run inside a read transaction: the same state and verdict as a real decision, and no write at all. */
export function decideDry(
  t: SqliteTx,
  scope: DecideScope,
  decide: (state: DecideState) => DecisionWrite,
): DecideOutcome {
  const { replay, reused } = binding(t, scope);
  if (replay) return replay;
  const row = accountRowAsOf(t.s.account.get(scope.accountId) as Row | undefined, scope);
  return dryOutcome(decide(readState(t, scope, row, reused)));
}

/** One decision inside the current write transaction (its own savepoint when it shares a commit). */
export function decideInTx(
  t: DecideTx,
  scope: DecideScope,
  decide: (state: DecideState) => DecisionWrite,
): DecideOutcome {
  const { accountId, agentId, now } = scope;
  const s = t.s;
  if (scope.view) {
    // The caller's venue view, applied first under this lock by the view rule (an unseen account starts at its
    // equity, as `applyView` makes it).
    if (!t.s.account.get(accountId)) accountRow(t, accountId, scope.day, now, scope.view.equity);
    applyView(t, accountId, scope.view, now, viewIsCurrent(t, accountId, scope.view));
    s.bumpVersion.run(accountId);
  }
  const { replay, reused } = binding(t, scope);
  if (replay) return replay;
  const row = accountRow(t, accountId, scope.day, now, scope.initialEquity);
  const w = decide(readState(t, scope, row, reused));
  const seq = t.appendLedger('verdict', w.verdictId, w.certificateJson, now);
  s.insertVerdict.run(
    w.verdictId,
    accountId,
    agentId,
    // A refused reuse is recorded, and the client order id stays bound to its first order.
    reused ? null : scope.clientOrderId,
    scope.contentKey,
    scope.orderKey,
    w.decision,
    PASSED.has(w.decision) ? 1 : 0,
    now,
    seq,
  );
  s.throttleInsert.run(agentId, now, w.verdictId);
  s.throttleSecond.run(agentId, Math.floor(now / 1_000));
  // Rows serve the exact per-second count; one-second buckets the (conservative) per-minute count.
  if (++t.throttleInserts % 200 === 0) {
    s.throttlePrune.run(now - 5_000);
    s.throttleSecondsPrune.run(Math.floor((now - 120_000) / 1_000));
  }
  const r = w.reserve;
  if (r) {
    s.insertReservation.run(
      w.verdictId,
      accountId,
      r.symbol,
      r.side,
      r.quantity,
      r.notional,
      r.quantity,
      r.notional,
      r.adds ? 1 : 0,
      now,
    );
    s.insertOrder.run(w.verdictId, accountId, agentId, r.venueClientOrderId, r.symbol, r.side, scope.day, now, now);
    s.countTrade.run(now, accountId);
    s.bumpVersion.run(accountId);
  }
  if (w.breaker === 'trip') s.setBreaker.run(1, now);
  if (w.breaker === 'clear') s.setBreaker.run(0, now);
  if (w.audit) t.insertAudit(w.audit);
  if (w.approval) s.insertApproval.run(...approvalParams(w.approval));
  return { replayed: false, verdictId: w.verdictId, certificateJson: w.certificateJson, decision: w.decision, seq };
}
