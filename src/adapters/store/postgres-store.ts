import pg from 'pg';
import { chainPreimage } from '../../core/ledger/chain.js';
import type { VenueAnswer } from '../../core/order/lifecycle.js';
import type { Hasher } from '../../ports/signer.js';
import type {
  AccountSnapshot,
  AccountView,
  ApprovalStatus,
  AuditRow,
  Checkpoint,
  DecideOutcome,
  DecideScope,
  DecideState,
  DecisionWrite,
  DocWrite,
  LedgerRecord,
  OnceRecord,
  OrderChange,
  Store,
} from '../../ports/store.js';
import { applyView, type PgTx, recordOutcome } from './postgres-orders.js';
import { runPostgresMigrations } from './postgres-schema.js';
import { S, type Sql } from './postgres-sql.js';
import { accountRowAsOf, approvalOf, approvalParams, docWriteParts, dryOutcome, orderOf } from './rows.js';

type Row = Record<string, unknown>;
type Client = pg.PoolClient;

const PASSED = new Set(['ALLOW', 'ALLOW_CAPPED', 'PENDING_APPROVAL']);
const MAX_ATTEMPTS = 8;
/** SQLSTATEs after which the whole transaction is safely re-run: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** bigint (counts, timestamps, seq) and numeric come back as JS numbers, like SQLite's; all fit in 2^53. */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID
      ? Number
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresStoreOptions {
  readonly url: string;
  readonly hasher: Hasher;
  /** Connections in this process's pool (default 10). */
  readonly poolSize?: number;
}

function retryable(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string } | null;
  if (!err || typeof err.code !== 'string') return false;
  // A racing insert of the same client order id: the re-run finds the winner's verdict and replays it.
  return RETRYABLE.has(err.code) || (err.code === '23505' && err.constraint === 'verdicts_coid');
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Applies pending migrations to the database at `url` (the `arbiter db migrate` command). */
export async function migratePostgres(url: string): Promise<{ applied: number; version: number }> {
  const c = new pg.Client({ connectionString: url, application_name: 'arbiter-migrate' });
  await c.connect();
  try {
    return await runPostgresMigrations(c);
  } finally {
    await c.end();
  }
}

/**
 * The scale-out store. A decision is one READ COMMITTED transaction holding the account's row lock from its
 * first read to its commit, so any number of processes serving one account serialise on it as SQLite's
 * `BEGIN IMMEDIATE` makes them, while different accounts run in parallel up to the ledger append. Locks are
 * taken in one order (agent → account → breaker → ledger head; see postgres-sql.ts), so they cannot deadlock;
 * a transaction that still fails with a serialization failure or deadlock is re-run from the start (the
 * `decide` callback is pure, so calling it again is safe).
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly hasher: Hasher;
  private throttleInserts = 0;
  private closed = false;

  constructor(opts: PostgresStoreOptions) {
    this.hasher = opts.hasher;
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      types: TYPES,
      application_name: 'arbiter',
      // A frozen instance must not hold an account lock for ever.
      options: '-c idle_in_transaction_session_timeout=60000',
    });
    // An idle connection that dies (server restart) is discarded; the next query reports the problem.
    this.pool.on('error', () => undefined);
  }

  async init(): Promise<void> {
    const c = await this.pool.connect();
    try {
      await runPostgresMigrations(c);
    } finally {
      c.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private run<R extends Row = Row>(c: Client | pg.Pool, s: Sql, values: unknown[]): Promise<pg.QueryResult<R>> {
    return c.query<R>({ name: s.name, text: s.text, values });
  }

  /** One transaction, re-run from the start on a serialization failure or deadlock. */
  private async tx<T>(work: (c: Client) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await c.query('BEGIN');
        const out = await work(c);
        await c.query('COMMIT');
        return out;
      } catch (e) {
        await c.query('ROLLBACK').catch((err: Error) => {
          broken = err;
        });
        if (attempt >= MAX_ATTEMPTS || !retryable(e)) throw e;
      } finally {
        c.release(broken);
      }
      await sleep(Math.random() * Math.min(100, 2 ** attempt));
    }
  }

  /** Locks the account row, creating it first if the store has never seen it. */
  private async lockAccount(c: Client, accountId: string, day: string, now: number, initialEquity: number) {
    let r = await this.run(c, S.lockAccount, [accountId]);
    if (r.rows.length === 0) {
      await this.run(c, S.insertAccount, [accountId, initialEquity, day, now]);
      r = await this.run(c, S.lockAccount, [accountId]);
    }
    return r.rows[0]!;
  }

  /** Takes the agent lock and then the account row lock, creating the account first if it is new. */
  private async lockAgentAccount(c: Client, scope: DecideScope): Promise<Row> {
    const { agentId, accountId } = scope;
    const r = await this.run(c, S.lockAgentAccount, [agentId, accountId]);
    if (r.rows[0]) return r.rows[0];
    // Hold the agent lock before the insert, so the insert can only wait on a transaction that needs nothing of ours.
    await this.run(c, S.lockAgent, [agentId]);
    await this.run(c, S.insertAccount, [accountId, scope.initialEquity, scope.day, scope.now]);
    return (await this.run(c, S.lockAgentAccount, [agentId, accountId])).rows[0]!;
  }

  private async rollDay(c: Client, accountId: string, row: Row, day: string): Promise<Row> {
    if (row.day === day) return row;
    return (await this.run(c, S.rollDay, [day, accountId])).rows[0]!;
  }

  private snapshotOf(row: Row, st: Row): AccountSnapshot {
    return {
      equity: row.equity as number,
      peak_equity: row.peak_equity as number,
      day_start_equity: row.day_start_equity as number,
      gross_exposure: (st.pos_exposure as number) + (st.res_exposure as number),
      daily_count: row.daily_count as number,
      synced_at: (row.synced_at as number | null) ?? null,
      position: {
        qty: (st.qty as number | null) ?? 0,
        avg_price: (st.avg_price as number | null) ?? 0,
        pending_reduce_qty: st.pending as number,
      },
    };
  }

  /** Appends after `head`, which the caller has locked (FOR UPDATE) in this transaction. */
  private async appendAfter(c: Client, head: Row | undefined, kind: string, ref: string, body: string, now: number) {
    if (!head) throw new Error('ledger_head row is missing: the PostgreSQL schema is damaged');
    const seq = (head.seq as number) + 1;
    const prev = head.hash as string;
    const hash = this.hasher.sha256Hex(chainPreimage({ seq, ts: now, kind, ref, body, prev_hash: prev }));
    await this.run(c, S.ledgerInsert, [seq, now, kind, ref, body, prev, hash]);
    return seq;
  }

  /** The helpers the order and view code runs with inside a transaction on `c`. */
  private pgTx(c: Client): PgTx {
    return {
      c,
      run: (sq, values) => this.run(c, sq, values),
      appendLedger: async (kind, ref, body, now) =>
        this.appendAfter(c, (await this.run(c, S.lockLedgerHead, [])).rows[0], kind, ref, body, now),
      insertAudit: (row) => this.insertAudit(c, row),
    };
  }

  private stateOf(
    row: Row,
    st: Row,
    reused: boolean,
    book?: DecideState['book'],
    costBasis?: DecideState['cost_basis'],
  ): DecideState {
    return {
      ...(book ? { book } : {}),
      ...(costBasis ? { cost_basis: costBasis } : {}),
      account: this.snapshotOf(row, st),
      throttle: { last_second: st.last_second as number, last_minute: st.last_minute as number },
      recent_duplicate: st.duplicate as boolean,
      breaker_tripped: st.breaker as boolean,
      halts: {
        global: st.halt_global as boolean,
        venue: st.halt_venue as boolean,
        agent: st.halt_agent as boolean,
      },
      client_order_id_reused: reused,
    };
  }

  private decideStateValues(scope: DecideScope): unknown[] {
    const { accountId, agentId, now } = scope;
    return [
      accountId,
      scope.symbol,
      agentId,
      now - 1_000,
      now - 60_000,
      scope.contentKey,
      now - scope.duplicateWindowMs,
      `venue:${scope.venue}`,
      `agent:${agentId}`,
      scope.clientOrderId,
    ];
  }

  /** The binding of the scope's client order id, from a decide-state row: a replay, a reuse, or nothing. */
  private async binding(c: Client | pg.Pool, scope: DecideScope, st: Row) {
    if (st.prior_verdict_id === null || st.prior_verdict_id === undefined) return { replay: null, reused: false };
    if (st.prior_order_key !== null && st.prior_order_key !== scope.orderKey) return { replay: null, reused: true };
    const order = (await this.run(c, S.order, [st.prior_verdict_id])).rows[0];
    const replay: DecideOutcome = {
      replayed: true,
      verdictId: st.prior_verdict_id as string,
      certificateJson: st.prior_certificate as string,
      decision: st.prior_decision as DecideOutcome['decision'],
      order: order ? orderOf(order) : null,
    };
    return { replay, reused: false };
  }

  /** A dry run: one read-only snapshot, no lock taken, nothing written. */
  private async decideDry(scope: DecideScope, decide: (state: DecideState) => DecisionWrite): Promise<DecideOutcome> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const st = (await this.run(c, S.decideState, this.decideStateValues(scope))).rows[0]!;
      const { replay, reused } = await this.binding(c, scope, st);
      if (replay) return replay;
      const row = accountRowAsOf((await this.run(c, S.readAccount, [scope.accountId])).rows[0], scope);
      return dryOutcome(
        decide(this.stateOf(row, st, reused, await this.lockedBook(c, scope), await this.lockedCostBasis(c, scope))),
      );
    } finally {
      await c.query('COMMIT').catch(() => undefined);
      c.release();
    }
  }

  async decide(scope: DecideScope, decide: (state: DecideState) => DecisionWrite): Promise<DecideOutcome> {
    if (scope.dryRun) return this.decideDry(scope, decide);
    const { accountId, agentId, now } = scope;
    const out = await this.tx(async (c): Promise<DecideOutcome> => {
      // An unseen account starts at the view's equity when there is one (as `applyView` makes it).
      let locked = await this.lockAgentAccount(c, scope.view ? { ...scope, initialEquity: scope.view.equity } : scope);
      if (scope.view) {
        // The caller's venue view, applied first under this lock by the view rule.
        await applyView(this.pgTx(c), accountId, scope.view, now, locked.version as number);
        locked = (await this.run(c, S.lockAccount, [accountId])).rows[0]!;
      }
      const st = (await this.run(c, S.decideState, this.decideStateValues(scope))).rows[0]!;
      const { replay, reused } = await this.binding(c, scope, st);
      if (replay) return replay;
      const row = await this.rollDay(c, accountId, locked, scope.day);
      const w = decide(
        this.stateOf(row, st, reused, await this.lockedBook(c, scope), await this.lockedCostBasis(c, scope)),
      );
      if (w.breaker !== 'none') await this.run(c, S.setBreaker, [w.breaker === 'trip', now]);
      if (w.approval) await this.run(c, S.insertApproval, approvalParams(w.approval));
      const r = w.reserve;
      const head = await this.run(c, S.decideWrites, [
        w.verdictId,
        accountId,
        agentId,
        // A refused reuse is recorded, and the client order id stays bound to its first order.
        reused ? null : scope.clientOrderId,
        scope.contentKey,
        w.decision,
        PASSED.has(w.decision),
        now,
        w.certificateJson,
        r?.symbol ?? null,
        r?.side ?? null,
        r?.quantity ?? null,
        r?.notional ?? null,
        r?.adds ?? null,
        r?.venueClientOrderId ?? null,
        scope.day,
        ...auditValues(w.audit),
        scope.orderKey,
      ]);
      const seq = await this.appendAfter(c, head.rows[0], 'verdict', w.verdictId, w.certificateJson, now);
      return { replayed: false, verdictId: w.verdictId, certificateJson: w.certificateJson, decision: w.decision, seq };
    });
    // Pruning runs outside the decision so it never holds row locks on other agents' throttle rows.
    if (!out.replayed && ++this.throttleInserts % 200 === 0) {
      await this.run(this.pool, S.throttlePrune, [now - 5_000]);
      await this.run(this.pool, S.throttleSecondsPrune, [now - 120_000]);
    }
    return out;
  }

  async recordOrderOutcome(
    verdictId: string,
    answer: VenueAnswer,
    now: number,
    view?: AccountView,
    audit?: AuditRow,
  ): Promise<OrderChange> {
    return this.tx(async (c) => {
      const locked = (await this.run(c, S.lockOrderAccount, [verdictId])).rows[0];
      const row = (await this.run(c, S.orderWithReservation, [verdictId])).rows[0];
      if (!row || !locked) throw new Error(`no forwarded order for verdict ${verdictId}`);
      return recordOutcome(this.pgTx(c), row, locked.version as number, answer, now, view, audit);
    });
  }

  async viewBasis(accountId: string) {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const v = (await c.query('SELECT version FROM accounts WHERE account_id = $1', [accountId])).rows[0] as
        | Row
        | undefined;
      const rows = (await this.run(c, S.inflight, [accountId])).rows;
      return {
        asOf: (v?.version as number | undefined) ?? 0,
        inflight: rows.map((r) => ({ verdictId: r.verdict_id as string, clientOrderId: r.client_order_id as string })),
      };
    } finally {
      await c.query('COMMIT').catch(() => undefined);
      c.release();
    }
  }

  async applyView(accountId: string, view: AccountView, now: number): Promise<void> {
    await this.tx(async (c) => {
      // Lock first (creating the account as the view would), so concurrent views of a new account queue up.
      const locked = await this.lockAccount(c, accountId, new Date(now).toISOString().slice(0, 10), now, view.equity);
      await applyView(this.pgTx(c), accountId, view, now, locked.version as number);
    });
  }

  /** The book in the decision's transaction (under the account lock), when the scope asks for it. */
  private async lockedBook(c: Client, scope: DecideScope): Promise<DecideState['book']> {
    if (!scope.withBook) return undefined;
    const rows = (await this.run(c, S.book, [scope.accountId])).rows;
    return rows.map((r) => ({ symbol: r.symbol as string, notional: Number(r.notional) }));
  }

  /** The cost basis in the decision's transaction (under the account lock), when the scope asks for it. */
  private async lockedCostBasis(c: Client, scope: DecideScope): Promise<DecideState['cost_basis']> {
    if (!scope.withCostBasis) return undefined;
    const rows = (await this.run(c, S.costBasis, [scope.accountId])).rows;
    return rows.map((r) => ({ symbol: r.symbol as string, held: Number(r.held), reserved: Number(r.reserved) }));
  }

  async book(accountId: string) {
    const rows = (await this.run(this.pool, S.book, [accountId])).rows;
    return rows.map((r) => ({ symbol: r.symbol as string, notional: Number(r.notional) }));
  }

  async accountSnapshot(accountId: string, symbol: string | null, now: number, initialEquity: number) {
    const day = new Date(now).toISOString().slice(0, 10);
    return this.tx(async (c) => {
      const locked = await this.lockAccount(c, accountId, day, now, initialEquity);
      const row = await this.rollDay(c, accountId, locked, day);
      const st = (await this.run(c, S.accountState, [accountId, symbol || null])).rows[0]!;
      return this.snapshotOf(row, st);
    });
  }

  async orderForVerdict(verdictId: string) {
    const o = (await this.run(this.pool, S.order, [verdictId])).rows[0];
    return o ? orderOf(o) : null;
  }

  async orderByVenueId(accountId: string, venueOrderId: string) {
    const o = (await this.run(this.pool, S.orderByVenueId, [accountId, venueOrderId])).rows[0];
    return o ? orderOf(o) : null;
  }

  async orderByClientId(accountId: string, clientOrderId: string) {
    const o = (await this.run(this.pool, S.orderByClient, [accountId, clientOrderId])).rows[0];
    return o ? orderOf(o) : null;
  }

  async resizeReservation(verdictId: string, quantity: number, notional: number, _now: number): Promise<void> {
    await this.tx(async (c) => {
      // Under the account lock, so a concurrent decision sees the reservation either before or after, whole.
      const locked = (await this.run(c, S.lockReservationAccount, [verdictId])).rows[0];
      await this.run(c, S.resizeReservation, [quantity, notional, verdictId]);
      if (locked) await this.run(c, S.bumpVersion, [locked.account_id]);
    });
  }

  async unresolvedOrders(accountId: string, before: number) {
    return (await this.run(this.pool, S.unresolved, [accountId, before])).rows.map(orderOf);
  }

  async setHalt(scope: string, reason: string | null, now: number): Promise<void> {
    if (reason === null) await this.pool.query('DELETE FROM halts WHERE scope = $1', [scope]);
    else
      await this.pool.query(
        'INSERT INTO halts (scope, reason, ts) VALUES ($1, $2, $3) ON CONFLICT (scope) DO UPDATE SET reason = excluded.reason, ts = excluded.ts',
        [scope, reason, now],
      );
  }

  async halts() {
    const r = await this.pool.query('SELECT scope, reason, ts FROM halts ORDER BY scope');
    return r.rows as { scope: string; reason: string; ts: number }[];
  }

  async resetBreaker(now: number): Promise<void> {
    await this.run(this.pool, S.setBreaker, [false, now]);
  }

  async ledgerAppend(kind: string, ref: string, body: string, now: number): Promise<number> {
    return this.tx(async (c) =>
      this.appendAfter(c, (await this.run(c, S.lockLedgerHead, [])).rows[0], kind, ref, body, now),
    );
  }

  async ledgerRange(fromSeq: number, limit: number): Promise<readonly LedgerRecord[]> {
    const r = await this.pool.query(
      'SELECT seq, ts, kind, ref, body, prev_hash, hash FROM ledger WHERE seq >= $1 ORDER BY seq LIMIT $2',
      [fromSeq, noLimitIfNegative(limit)],
    );
    return r.rows as LedgerRecord[];
  }

  /** The head row is written in the same transaction as every append, so it is the chain's count and hash. */
  async ledgerHead() {
    const r = await this.pool.query('SELECT seq, hash FROM ledger_head WHERE id = 1');
    const head = r.rows[0] as { seq: number; hash: string } | undefined;
    if (!head) throw new Error('ledger_head row is missing: the PostgreSQL schema is damaged');
    return { count: head.seq, head_hash: head.hash };
  }

  async addCheckpoint(cp: Checkpoint): Promise<void> {
    await this.pool.query(
      'INSERT INTO checkpoints (count, head_hash, ts, key_id, signature) VALUES ($1, $2, $3, $4, $5)',
      [cp.count, cp.head_hash, cp.ts, cp.key_id, cp.signature],
    );
  }

  async checkpoints(): Promise<readonly Checkpoint[]> {
    const r = await this.pool.query('SELECT count, head_hash, ts, key_id, signature FROM checkpoints ORDER BY id');
    return r.rows as Checkpoint[];
  }

  async verdict(verdictId: string): Promise<string | null> {
    const r = await this.pool.query('SELECT certificate FROM verdicts WHERE verdict_id = $1', [verdictId]);
    return ((r.rows[0] as Row | undefined)?.certificate as string | undefined) ?? null;
  }

  async putAgent(agentId: string, tokenSha256: string, accountId: string, now: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO agents (agent_id, token_sha256, account_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (agent_id) DO UPDATE SET token_sha256 = excluded.token_sha256, account_id = excluded.account_id',
      [agentId, tokenSha256, accountId, now],
    );
  }

  async agentByToken(tokenSha256: string) {
    const r = await this.pool.query('SELECT agent_id, account_id FROM agents WHERE token_sha256 = $1', [tokenSha256]);
    const a = r.rows[0] as Row | undefined;
    return a ? { agentId: a.agent_id as string, accountId: a.account_id as string } : null;
  }

  async agents() {
    const r = await this.pool.query('SELECT agent_id, account_id, created_at FROM agents ORDER BY agent_id');
    return (r.rows as Row[]).map((a) => ({
      agentId: a.agent_id as string,
      accountId: a.account_id as string,
      createdAt: a.created_at as number,
    }));
  }

  async approval(approvalId: string) {
    const r = await this.pool.query('SELECT * FROM approvals WHERE approval_id = $1', [approvalId]);
    const a = r.rows[0] as Row | undefined;
    return a ? approvalOf(a) : null;
  }

  async approvals(filter: { status?: ApprovalStatus; agentId?: string } = {}) {
    const r = await this.pool.query(
      'SELECT * FROM approvals WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR agent_id = $2) ORDER BY created_at, n',
      [filter.status ?? null, filter.agentId ?? null],
    );
    return (r.rows as Row[]).map((a) => approvalOf(a));
  }

  async transitionApproval(
    approvalId: string,
    from: ApprovalStatus,
    to: ApprovalStatus,
    by: string | null,
    now: number,
    resultVerdictId: string | null = null,
  ): Promise<boolean> {
    // Under READ COMMITTED a racing UPDATE waits for the winner, re-checks `status = from` and matches nothing.
    const r = await this.run(this.pool, S.transitionApproval, [to, now, by, resultVerdictId, approvalId, from]);
    return r.rowCount === 1;
  }

  private async insertAudit(c: Client | pg.Pool, row: AuditRow): Promise<void> {
    await this.run(c, S.insertAudit, [row.audit_id, row.ts, row.kind, row.agent_id, row.body]);
  }

  async appendAudit(row: AuditRow): Promise<void> {
    await this.insertAudit(this.pool, row);
  }

  async recordOnce(key: string, record: OnceRecord, audit: AuditRow): Promise<boolean> {
    return this.tx(async (c) => {
      // The key's document is inserted first: a concurrent writer of the same key waits here, then finds it.
      const claimed = await this.run(c, S.insertDocIfMissing, [RECORDED_ONCE, key, String(record.now), record.now]);
      if (claimed.rowCount !== 1) return false;
      const head = (await this.run(c, S.lockLedgerHead, [])).rows[0];
      await this.appendAfter(c, head, record.kind, record.ref, record.body, record.now);
      await this.insertAudit(c, audit);
      return true;
    });
  }

  async audit(filter: { agentId?: string; kind?: string; since?: string; until?: string; limit: number }) {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (cond: string, v: unknown) => {
      args.push(v);
      where.push(cond.replace('?', `$${args.length}`));
    };
    if (filter.agentId) add('agent_id = ?', filter.agentId);
    if (filter.kind) add('kind = ?', filter.kind);
    if (filter.since) add('ts >= ?', filter.since);
    if (filter.until) add('ts <= ?', filter.until);
    args.push(noLimitIfNegative(filter.limit));
    const sql = `SELECT audit_id, ts, kind, agent_id, body FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, n DESC LIMIT $${args.length}`;
    return (await this.pool.query(sql, args)).rows as AuditRow[];
  }

  async getDoc(ns: string, key: string): Promise<string | null> {
    const r = await this.run(this.pool, S.getDoc, [ns, key]);
    return ((r.rows[0] as Row | undefined)?.value as string | undefined) ?? null;
  }

  async putDoc(ns: string, key: string, value: string, now: number): Promise<void> {
    await this.run(this.pool, S.putDoc, [ns, key, value, now]);
  }

  async updateDoc(
    ns: string,
    key: string,
    fn: (current: string | null) => string | DocWrite,
    now: number,
  ): Promise<string> {
    return this.tx(async (c) => {
      const also = async (next: DocWrite): Promise<string> => {
        for (const d of next.also) await this.run(c, S.putDoc, [d.ns, d.key, d.value, now]);
        return next.value;
      };
      for (;;) {
        const cur = (await this.run(c, S.lockDoc, [ns, key])).rows[0];
        if (cur) {
          const next = docWriteParts(fn(cur.value as string));
          await this.run(c, S.updateDoc, [ns, key, next.value, now]);
          return also(next);
        }
        const next = docWriteParts(fn(null));
        if ((await this.run(c, S.insertDocIfMissing, [ns, key, next.value, now])).rowCount === 1) return also(next);
        // Another transaction created the document first (ON CONFLICT waited for it): lock and use its value.
      }
    });
  }

  async listDocs(ns: string) {
    const r = await this.pool.query('SELECT key, value FROM docs WHERE ns = $1 ORDER BY key', [ns]);
    return r.rows as { key: string; value: string }[];
  }
}

/** The parameters of an optional audit row (see `auditFrom` in postgres-sql.ts). */
function auditValues(a: AuditRow | null | undefined): (string | null)[] {
  return a ? [a.audit_id, a.ts, a.kind, a.agent_id, a.body] : [null, null, null, null, null];
}

/** SQLite reads a negative LIMIT as "no limit"; PostgreSQL's equivalent is LIMIT NULL. */
function noLimitIfNegative(limit: number): number | null {
  return limit < 0 ? null : limit;
}

/** The documents namespace of the keys `recordOnce` has written (a key's document is its record's time). */
const RECORDED_ONCE = 'recorded-once';
