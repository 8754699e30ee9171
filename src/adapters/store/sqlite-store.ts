import Database from 'better-sqlite3';
import { chainPreimage, GENESIS_HASH } from '../../core/ledger/chain.js';
import type { VenueAnswer } from '../../core/order/lifecycle.js';
import type { Hasher } from '../../ports/signer.js';
import type {
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
import { approvalOf, docWriteParts, orderOf, type Row } from './rows.js';
import { BackgroundCheckpointer } from './sqlite-checkpointer.js';
import { accountRow, type DecideTx, decideDry, readBook } from './sqlite-decide.js';
import { GroupCommit } from './sqlite-group-commit.js';
import { applyView, recordOutcome, viewIsCurrent } from './sqlite-orders.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';

/** Decisions committed before checkpoints move to a worker thread (short-lived stores never start one). */
const BACKGROUND_CHECKPOINT_AFTER = 500;

export interface SqliteStoreOptions {
  readonly path: string;
  readonly hasher: Hasher;
  /** `full` fsyncs every commit; `normal` (default) is durable across a process crash in WAL mode. */
  readonly synchronous?: 'normal' | 'full';
  /** `background` (default): once busy, WAL checkpoints run on a worker thread. `inline`: SQLite's default. */
  readonly checkpoints?: 'background' | 'inline';
  /**
   * `true` (default): decisions asked for in the same turn of the event loop share one commit (see `decide`).
   * `false`: each decision is committed when it is asked for, for a store with one caller that waits for every
   * decision before asking for the next (the arena), where waiting a turn only adds latency. Same transaction.
   */
  readonly groupCommit?: boolean;
}

/**
 * The embedded store: better-sqlite3 in WAL mode. Every decision is one `BEGIN IMMEDIATE` transaction, which
 * takes SQLite's write lock up front, so concurrent processes on the same file serialise instead of racing. The
 * decision itself is in sqlite-decide.ts, order answers and venue views in sqlite-orders.ts.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly hasher: Hasher;
  private readonly s: Statements;
  private readonly tx: DecideTx;
  private decisions = 0;
  private readonly checkpointer: BackgroundCheckpointer | null;
  private readonly group: GroupCommit;

  constructor(opts: SqliteStoreOptions) {
    this.hasher = opts.hasher;
    this.db = new Database(opts.path);
    // The busy timeout first: switching to WAL and the migration below take locks that other processes starting
    // at the same moment hold (without it they fail at once with SQLITE_BUSY).
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    this.s = prepareStatements(this.db);
    const s = this.s;
    this.tx = {
      s,
      throttleInserts: 0,
      appendLedger: (kind, ref, body, now) => this.appendLedger(kind, ref, body, now),
      insertAudit: (row) => void s.insertAudit.run(row.audit_id, row.ts, row.kind, row.agent_id, row.body),
    };
    this.group = new GroupCommit(this.db, this.tx, opts.groupCommit ?? true, (n) => this.afterCommit(n));
    this.checkpointer =
      opts.path === ':memory:' || opts.path === '' || opts.checkpoints === 'inline'
        ? null
        : new BackgroundCheckpointer({ path: opts.path });
  }

  /**
   * `fn` in one `BEGIN IMMEDIATE … COMMIT` (rolled back if it throws), with statements prepared once. Store calls
   * are synchronous inside, so nothing else can run in the transaction.
   */
  private immediate<T>(fn: () => T): T {
    this.s.begin.run();
    try {
      const out = fn();
      this.s.commit.run();
      return out;
    } catch (e) {
      if (this.db.inTransaction) this.s.rollback.run();
      throw e;
    }
  }

  /** `fn` in one read transaction (a consistent snapshot; takes no write lock). */
  private read<T>(fn: () => T): T {
    this.s.beginRead.run();
    try {
      return fn();
    } finally {
      if (this.db.inTransaction) this.s.commit.run();
    }
  }

  /** Whether WAL checkpoints run on the worker thread (true once the store has been busy). */
  get backgroundCheckpoints(): boolean {
    return this.checkpointer?.running === true;
  }

  /** After a busy start, checkpoints move to a worker thread; the WAL's size is watched from here. */
  private afterCommit(n: number): void {
    const cp = this.checkpointer;
    if (!cp) return;
    this.decisions += n;
    if (!cp.running && this.decisions >= BACKGROUND_CHECKPOINT_AFTER) {
      cp.start();
      this.db.pragma('wal_autocheckpoint = 0');
      this.db.pragma(`journal_size_limit = ${32 * 1024 * 1024}`); // a reset WAL is cut back to this
    } else if (cp.running && cp.overdue()) {
      this.db.pragma('wal_checkpoint(RESTART)');
      cp.caughtUp();
    }
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const run = this.db.transaction(() => {
      const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
      const current = row.v ?? 0;
      for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
        this.db.exec(SQLITE_MIGRATIONS[v]!);
        this.db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
      }
    });
    run.immediate();
  }

  /** Statements outside the hot set, prepared once on first use (the SQL texts are a small fixed set). */
  private readonly stmts = new Map<string, Database.Statement>();
  private stmt(sql: string): Database.Statement {
    let st = this.stmts.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.stmts.set(sql, st);
    }
    return st;
  }

  async init(): Promise<void> {}

  async close(): Promise<void> {
    this.group.flush(); // decisions already asked for are decided and committed before the file closes
    await this.checkpointer?.stop();
    this.db.close();
  }

  /** Appends a ledger record after the current last one, inside the open transaction; returns its seq. */
  private appendLedger(kind: string, ref: string, body: string, now: number): number {
    const last = this.s.ledgerLast.get() as { seq: number; hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prev = last?.hash ?? GENESIS_HASH;
    const hash = this.hasher.sha256Hex(chainPreimage({ seq, ts: now, kind, ref, body, prev_hash: prev }));
    this.s.ledgerInsert.run(seq, now, kind, ref, body, prev, hash);
    return seq;
  }

  /**
   * A dry run writes nothing: it is made at once, in a read transaction. Anything else goes through group commit
   * (sqlite-group-commit.ts): decisions asked for together share one commit, each in its own savepoint.
   */
  decide(scope: DecideScope, decide: (state: DecideState) => DecisionWrite): Promise<DecideOutcome> {
    if (!scope.dryRun) return this.group.decide(scope, decide);
    try {
      return Promise.resolve(this.read(() => decideDry(this.tx, scope, decide)));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async recordOrderOutcome(
    verdictId: string,
    answer: VenueAnswer,
    now: number,
    view?: AccountView,
    audit?: AuditRow,
  ): Promise<OrderChange> {
    return this.immediate(() => recordOutcome(this.tx, verdictId, answer, now, view, audit));
  }

  async viewBasis(accountId: string) {
    return this.read(() => {
      const v = this.s.accountVersion.get(accountId) as { version: number } | undefined;
      const rows = this.s.inflight.all(accountId) as Row[];
      return {
        asOf: v?.version ?? 0,
        inflight: rows.map((r) => ({ verdictId: r.verdict_id as string, clientOrderId: r.client_order_id as string })),
      };
    });
  }

  async applyView(accountId: string, view: AccountView, now: number): Promise<void> {
    this.immediate(() => {
      // The view creates the account if the firewall has not seen it yet (its equity starts the day).
      const exists = this.s.account.get(accountId) !== undefined;
      if (!exists) accountRow(this.tx, accountId, utcDayOf(now), now, view.equity);
      applyView(this.tx, accountId, view, now, viewIsCurrent(this.tx, accountId, view));
      this.s.bumpVersion.run(accountId);
    });
  }

  async book(accountId: string) {
    return readBook({ s: this.s }, accountId);
  }

  async accountSnapshot(accountId: string, symbol: string | null, now: number, initialEquity: number) {
    return this.immediate(() => {
      const row = accountRow(this.tx, accountId, utcDayOf(now), now, initialEquity);
      const pos = symbol ? (this.s.position.get(accountId, symbol) as Row | undefined) : undefined;
      const pending = symbol ? (this.s.pendingReduce.get(accountId, symbol) as { q: number }).q : 0;
      const exposure =
        (this.s.posExposure.get(accountId) as { e: number }).e + (this.s.resExposure.get(accountId) as { e: number }).e;
      return {
        equity: row.equity as number,
        peak_equity: row.peak_equity as number,
        day_start_equity: row.day_start_equity as number,
        gross_exposure: exposure,
        daily_count: row.daily_count as number,
        synced_at: (row.synced_at as number | null) ?? null,
        position: {
          qty: (pos?.qty as number) ?? 0,
          avg_price: (pos?.avg_price as number) ?? 0,
          pending_reduce_qty: pending,
        },
      };
    });
  }

  async orderForVerdict(verdictId: string) {
    const o = this.s.order.get(verdictId) as Row | undefined;
    return o ? orderOf(o) : null;
  }

  async orderByVenueId(accountId: string, venueOrderId: string) {
    const o = this.s.orderByVenue.get(accountId, venueOrderId) as Row | undefined;
    return o ? orderOf(o) : null;
  }

  async orderByClientId(accountId: string, clientOrderId: string) {
    const o = this.s.orderByClient.get(accountId, clientOrderId) as Row | undefined;
    return o ? orderOf(o) : null;
  }

  async resizeReservation(verdictId: string, quantity: number, notional: number, _now: number): Promise<void> {
    this.immediate(() => {
      this.stmt(
        'UPDATE reservations SET qty = ?, notional = ?, orig_qty = ?, orig_notional = ? WHERE verdict_id = ?',
      ).run(quantity, notional, quantity, notional, verdictId);
      const o = this.s.order.get(verdictId) as Row | undefined;
      if (o) this.s.bumpVersion.run(o.account_id);
    });
  }

  async unresolvedOrders(accountId: string, before: number) {
    return (this.s.unresolved.all(accountId, before) as Row[]).map(orderOf);
  }

  async setHalt(scope: string, reason: string | null, now: number): Promise<void> {
    if (reason === null) this.stmt('DELETE FROM halts WHERE scope = ?').run(scope);
    else
      this.stmt(
        'INSERT INTO halts (scope, reason, ts) VALUES (?, ?, ?) ON CONFLICT (scope) DO UPDATE SET reason = excluded.reason, ts = excluded.ts',
      ).run(scope, reason, now);
  }

  async halts() {
    return this.stmt('SELECT scope, reason, ts FROM halts ORDER BY scope').all() as {
      scope: string;
      reason: string;
      ts: number;
    }[];
  }

  async resetBreaker(now: number): Promise<void> {
    this.s.setBreaker.run(0, now);
  }

  async ledgerAppend(kind: string, ref: string, body: string, now: number): Promise<number> {
    return this.immediate(() => this.appendLedger(kind, ref, body, now));
  }

  async ledgerRange(fromSeq: number, limit: number): Promise<readonly LedgerRecord[]> {
    return this.stmt(
      'SELECT seq, ts, kind, ref, body, prev_hash, hash FROM ledger WHERE seq >= ? ORDER BY seq LIMIT ?',
    ).all(fromSeq, limit) as LedgerRecord[];
  }

  async ledgerHead() {
    // Sequence numbers start at 1 and never skip, so the last one is the count (no table scan).
    const last = this.s.ledgerLast.get() as { seq: number; hash: string } | undefined;
    return { count: last?.seq ?? 0, head_hash: last?.hash ?? GENESIS_HASH };
  }

  async addCheckpoint(cp: Checkpoint): Promise<void> {
    this.stmt('INSERT INTO checkpoints (count, head_hash, ts, key_id, signature) VALUES (?, ?, ?, ?, ?)').run(
      cp.count,
      cp.head_hash,
      cp.ts,
      cp.key_id,
      cp.signature,
    );
  }

  async checkpoints(): Promise<readonly Checkpoint[]> {
    return this.stmt(
      'SELECT count, head_hash, ts, key_id, signature FROM checkpoints ORDER BY id',
    ).all() as Checkpoint[];
  }

  async verdict(verdictId: string): Promise<string | null> {
    const r = this.s.verdict.get(verdictId) as Row | undefined;
    return (r?.certificate as string | undefined) ?? null;
  }

  async putAgent(agentId: string, tokenSha256: string, accountId: string, now: number): Promise<void> {
    this.stmt(
      'INSERT INTO agents (agent_id, token_sha256, account_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET token_sha256 = excluded.token_sha256, account_id = excluded.account_id',
    ).run(agentId, tokenSha256, accountId, now);
  }

  async agentByToken(tokenSha256: string) {
    const r = this.stmt('SELECT agent_id, account_id FROM agents WHERE token_sha256 = ?').get(tokenSha256) as
      | Row
      | undefined;
    return r ? { agentId: r.agent_id as string, accountId: r.account_id as string } : null;
  }

  async agents() {
    const rows = this.stmt('SELECT agent_id, account_id, created_at FROM agents ORDER BY agent_id').all() as Row[];
    return rows.map((r) => ({
      agentId: r.agent_id as string,
      accountId: r.account_id as string,
      createdAt: r.created_at as number,
    }));
  }

  async approval(approvalId: string) {
    const r = this.stmt('SELECT * FROM approvals WHERE approval_id = ?').get(approvalId) as Row | undefined;
    return r ? approvalOf(r) : null;
  }

  async approvals(filter: { status?: ApprovalStatus; agentId?: string } = {}) {
    const rows = this.stmt(
      'SELECT * FROM approvals WHERE (@status IS NULL OR status = @status) AND (@agent IS NULL OR agent_id = @agent) ORDER BY created_at',
    ).all({ status: filter.status ?? null, agent: filter.agentId ?? null }) as Row[];
    return rows.map((r) => approvalOf(r));
  }

  async transitionApproval(
    approvalId: string,
    from: ApprovalStatus,
    to: ApprovalStatus,
    by: string | null,
    now: number,
    resultVerdictId: string | null = null,
  ): Promise<boolean> {
    const info = this.stmt(
      'UPDATE approvals SET status = ?, decided_at = ?, decided_by = COALESCE(?, decided_by), result_verdict_id = COALESCE(?, result_verdict_id) WHERE approval_id = ? AND status = ?',
    ).run(to, now, by, resultVerdictId, approvalId, from);
    return info.changes === 1;
  }

  async appendAudit(row: AuditRow): Promise<void> {
    this.tx.insertAudit(row);
  }

  async recordOnce(key: string, record: OnceRecord, audit: AuditRow): Promise<boolean> {
    return this.immediate(() => {
      if (this.s.getDoc.get(RECORDED_ONCE, key)) return false;
      this.s.putDoc.run(RECORDED_ONCE, key, String(record.now), record.now);
      this.appendLedger(record.kind, record.ref, record.body, record.now);
      this.tx.insertAudit(audit);
      return true;
    });
  }

  async audit(filter: { agentId?: string; kind?: string; since?: string; until?: string; limit: number }) {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.agentId) where.push('agent_id = ?') && args.push(filter.agentId);
    if (filter.kind) where.push('kind = ?') && args.push(filter.kind);
    if (filter.since) where.push('ts >= ?') && args.push(filter.since);
    if (filter.until) where.push('ts <= ?') && args.push(filter.until);
    const sql = `SELECT audit_id, ts, kind, agent_id, body FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, seq DESC LIMIT ?`;
    return this.stmt(sql).all(...args, filter.limit) as AuditRow[];
  }

  async getDoc(ns: string, key: string): Promise<string | null> {
    const r = this.s.getDoc.get(ns, key) as Row | undefined;
    return (r?.value as string | undefined) ?? null;
  }

  async putDoc(ns: string, key: string, value: string, now: number): Promise<void> {
    this.s.putDoc.run(ns, key, value, now);
  }

  async updateDoc(
    ns: string,
    key: string,
    fn: (current: string | null) => string | DocWrite,
    now: number,
  ): Promise<string> {
    return this.immediate(() => {
      const r = this.s.getDoc.get(ns, key) as Row | undefined;
      const next = docWriteParts(fn((r?.value as string | undefined) ?? null));
      this.s.putDoc.run(ns, key, next.value, now);
      for (const d of next.also) this.s.putDoc.run(d.ns, d.key, d.value, now);
      return next.value;
    });
  }

  async listDocs(ns: string) {
    return this.stmt('SELECT key, value FROM docs WHERE ns = ? ORDER BY key').all(ns) as {
      key: string;
      value: string;
    }[];
  }
}

/** The documents namespace of the keys `recordOnce` has written (a key's document is its record's time). */
const RECORDED_ONCE = 'recorded-once';

function utcDayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
