import Database from 'better-sqlite3';
import { chainPreimage, GENESIS_HASH } from '../../core/ledger/chain.js';
import type { Hasher } from '../../ports/signer.js';
import type {
  AccountSnapshot,
  AccountSync,
  ApprovalStatus,
  AuditRow,
  Checkpoint,
  DecideOutcome,
  DecideScope,
  DecideState,
  DecisionWrite,
  LedgerRecord,
  OrderOutcome,
  Store,
} from '../../ports/store.js';
import { approvalOf, approvalParams, certificateText } from './rows.js';
import { BackgroundCheckpointer } from './sqlite-checkpointer.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';

type Row = Record<string, unknown>;
/** A verdict decided in the current group; its ledger record is appended before the group commits. */
interface PendingVerdict {
  readonly verdictId: string;
  readonly decision: DecideOutcome['decision'];
  readonly now: number;
  readonly certificate: DecisionWrite['certificateJson'];
  json: string;
  seq: number;
}

type Decided = DecideOutcome | { readonly replayed: boolean; readonly p: PendingVerdict };

/** Decisions committed before checkpoints move to a worker thread (short-lived stores never start one). */
const BACKGROUND_CHECKPOINT_AFTER = 500;
const PASSED = new Set(['ALLOW', 'ALLOW_CAPPED', 'PENDING_APPROVAL']);
const FINAL_ORDER = new Set(['filled', 'cancelled', 'rejected', 'expired', 'failed']);

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
 * takes SQLite's write lock up front, so concurrent processes on the same file serialise instead of racing.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly hasher: Hasher;
  private readonly s: Record<string, Database.Statement>;
  private throttleInserts = 0;
  /** Verdicts decided in the current group whose ledger records are not written yet, by id. */
  private readonly pending = new Map<string, PendingVerdict>();
  /** The ledger's last record when the current group began (read once, when its first verdict needs a seq). */
  private top: { seq: number; hash: string } | null = null;
  private decisions = 0;
  private readonly checkpointer: BackgroundCheckpointer | null;
  private readonly groupCommit: boolean;
  private queue: {
    readonly scope: DecideScope;
    readonly decide: (state: DecideState) => DecisionWrite;
    readonly resolve: (o: DecideOutcome) => void;
    readonly reject: (e: unknown) => void;
  }[] = [];

  constructor(opts: SqliteStoreOptions) {
    this.hasher = opts.hasher;
    this.groupCommit = opts.groupCommit ?? true;
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    this.s = this.prepare();
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
    this.s.begin!.run();
    try {
      const out = fn();
      this.s.commit!.run();
      return out;
    } catch (e) {
      if (this.db.inTransaction) this.s.rollback!.run();
      throw e;
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

  private prepare(): Record<string, Database.Statement> {
    const p = (sql: string) => this.db.prepare(sql);
    return {
      begin: p('BEGIN IMMEDIATE'),
      commit: p('COMMIT'),
      rollback: p('ROLLBACK'),
      savepoint: p('SAVEPOINT decision'),
      release: p('RELEASE decision'),
      rollbackTo: p('ROLLBACK TO decision'),
      verdictByCoid: p(
        'SELECT v.verdict_id, COALESCE(v.certificate, l.body) AS certificate, v.decision FROM verdicts v LEFT JOIN ledger l ON l.seq = v.ledger_seq WHERE v.account_id = ? AND v.client_order_id = ?',
      ),
      account: p('SELECT * FROM accounts WHERE account_id = ?'),
      insertAccount: p(
        'INSERT INTO accounts (account_id, equity, peak_equity, day, day_start_equity, daily_count, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?)',
      ),
      rollDay: p('UPDATE accounts SET day = ?, day_start_equity = equity, daily_count = 0 WHERE account_id = ?'),
      posExposure: p('SELECT COALESCE(SUM(ABS(qty) * mark), 0) AS e FROM positions WHERE account_id = ?'),
      resExposure: p('SELECT COALESCE(SUM(notional), 0) AS e FROM reservations WHERE account_id = ? AND adds = 1'),
      position: p('SELECT qty, avg_price FROM positions WHERE account_id = ? AND symbol = ?'),
      pendingReduce: p(
        'SELECT COALESCE(SUM(qty), 0) AS q FROM reservations WHERE account_id = ? AND symbol = ? AND adds = 0',
      ),
      throttleInsert: p('INSERT OR IGNORE INTO throttle (agent_id, ts, verdict_id) VALUES (?, ?, ?)'),
      throttlePrune: p('DELETE FROM throttle WHERE ts < ?'),
      throttleSecond: p(
        'INSERT INTO throttle_seconds (agent_id, sec, n) VALUES (?, ?, 1) ON CONFLICT (agent_id, sec) DO UPDATE SET n = n + 1',
      ),
      throttleSecondsPrune: p('DELETE FROM throttle_seconds WHERE sec < ?'),
      // Everything a decision reads, in one statement (one trip into SQLite on the hot path).
      decideState: p(`SELECT
        (SELECT COALESCE(SUM(ABS(qty) * mark), 0) FROM positions WHERE account_id = @account) AS pos_exposure,
        (SELECT COALESCE(SUM(notional), 0) FROM reservations WHERE account_id = @account AND adds = 1) AS res_exposure,
        (SELECT qty FROM positions WHERE account_id = @account AND symbol = @symbol) AS pos_qty,
        (SELECT avg_price FROM positions WHERE account_id = @account AND symbol = @symbol) AS pos_avg,
        (SELECT COALESCE(SUM(qty), 0) FROM reservations WHERE account_id = @account AND symbol = @symbol AND adds = 0) AS pending_reduce,
        (SELECT COUNT(*) FROM throttle WHERE agent_id = @agent AND ts > @second) AS last_second,
        (SELECT COALESCE(SUM(n), 0) FROM throttle_seconds WHERE agent_id = @agent AND sec >= @minute_sec) AS last_minute,
        (SELECT 1 FROM verdicts WHERE agent_id = @agent AND content_key = @content AND passed = 1 AND ts > @dup LIMIT 1) AS dup,
        (SELECT tripped FROM breaker WHERE id = 1) AS breaker,
        (SELECT COUNT(*) FROM halts WHERE scope = 'global') AS halt_global,
        (SELECT COUNT(*) FROM halts WHERE scope = @venue_scope) AS halt_venue,
        (SELECT COUNT(*) FROM halts WHERE scope = @agent_scope) AS halt_agent`),
      setBreaker: p(
        'INSERT INTO breaker (id, tripped, ts) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET tripped = excluded.tripped, ts = excluded.ts',
      ),
      insertVerdict: p(
        'INSERT INTO verdicts (verdict_id, account_id, agent_id, client_order_id, content_key, decision, passed, ts, ledger_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertReservation: p(
        'INSERT INTO reservations (verdict_id, account_id, symbol, side, qty, notional, orig_qty, orig_notional, adds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertOrder: p(
        "INSERT INTO orders (verdict_id, account_id, client_order_id, status, venue_order_id, counted_day, created_at, updated_at) VALUES (?, ?, ?, 'forwarding', NULL, ?, ?, ?)",
      ),
      countTrade: p('UPDATE accounts SET daily_count = daily_count + 1, updated_at = ? WHERE account_id = ?'),
      insertApproval: p(
        "INSERT INTO approvals (approval_id, verdict_id, account_id, agent_id, venue, order_hash, intent_json, notional, created_at, expires_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
      ),
      ledgerLast: p('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1'),
      ledgerInsert: p('INSERT INTO ledger (seq, ts, kind, ref, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      order: p('SELECT * FROM orders WHERE verdict_id = ?'),
      // An order with its reservation, if it still has one (the outcome's one read).
      orderWithReservation: p(
        'SELECT o.account_id, o.status, o.counted_day, r.orig_qty, r.orig_notional FROM orders o LEFT JOIN reservations r ON r.verdict_id = o.verdict_id WHERE o.verdict_id = ?',
      ),
      reservation: p('SELECT * FROM reservations WHERE verdict_id = ?'),
      deleteReservation: p('DELETE FROM reservations WHERE verdict_id = ?'),
      shrinkReservation: p('UPDATE reservations SET qty = ?, notional = ? WHERE verdict_id = ?'),
      updateOrder: p('UPDATE orders SET status = ?, venue_order_id = ?, updated_at = ? WHERE verdict_id = ?'),
      uncountTrade: p(
        'UPDATE accounts SET daily_count = MAX(0, daily_count - 1), updated_at = ? WHERE account_id = ? AND day = ?',
      ),
      deletePositions: p('DELETE FROM positions WHERE account_id = ?'),
      insertPosition: p('INSERT INTO positions (account_id, symbol, qty, avg_price, mark) VALUES (?, ?, ?, ?, ?)'),
      unpassVerdict: p('UPDATE verdicts SET passed = 0 WHERE verdict_id = ?'),
      getDoc: p('SELECT value FROM docs WHERE ns = ? AND key = ?'),
      putDoc: p(
        'INSERT INTO docs (ns, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      ),
      insertAudit: p('INSERT INTO audit (audit_id, ts, kind, agent_id, body) VALUES (?, ?, ?, ?, ?)'),
      verdict: p(
        'SELECT COALESCE(v.certificate, l.body) AS certificate FROM verdicts v LEFT JOIN ledger l ON l.seq = v.ledger_seq WHERE v.verdict_id = ?',
      ),
      setEquity: p(
        `INSERT INTO accounts (account_id, equity, peak_equity, day, day_start_equity, daily_count, updated_at, synced_at)
         VALUES (@account, @equity, @equity, @day, @equity, 0, @now, @now)
         ON CONFLICT (account_id) DO UPDATE SET equity = excluded.equity,
           peak_equity = MAX(accounts.peak_equity, excluded.equity), updated_at = excluded.updated_at,
           synced_at = excluded.synced_at`,
      ),
    };
  }

  async init(): Promise<void> {}

  async close(): Promise<void> {
    this.flush(); // decisions already asked for are decided and committed before the file closes
    await this.checkpointer?.stop();
    this.db.close();
  }

  /** Loads (creating and day-rolling as needed) the account row inside the current transaction. */
  private accountRow(accountId: string, day: string, now: number, initialEquity: number): Row {
    // (An upsert or update … RETURNING * was measured slower than the write and this read.)
    let row = this.s.account!.get(accountId) as Row | undefined;
    if (!row) {
      this.s.insertAccount!.run(accountId, initialEquity, initialEquity, day, initialEquity, now);
      row = this.s.account!.get(accountId) as Row;
    } else if (row.day !== day) {
      this.s.rollDay!.run(day, accountId);
      row = this.s.account!.get(accountId) as Row;
    }
    return row;
  }

  private snapshot(accountId: string, symbol: string | null, row: Row): AccountSnapshot {
    const pos = symbol ? (this.s.position!.get(accountId, symbol) as Row | undefined) : undefined;
    const pending = symbol ? (this.s.pendingReduce!.get(accountId, symbol) as { q: number }).q : 0;
    const exposure =
      (this.s.posExposure!.get(accountId) as { e: number }).e + (this.s.resExposure!.get(accountId) as { e: number }).e;
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
  }

  /** The ledger's last record (seq 0 and the genesis hash when it is empty). */
  private ledgerTop(): { seq: number; hash: string } {
    const last = this.s.ledgerLast!.get() as { seq: number; hash: string } | undefined;
    return last ?? { seq: 0, hash: GENESIS_HASH };
  }

  private appendLedgerSync(kind: string, ref: string, body: string, now: number): number {
    const top = this.ledgerTop();
    this.insertLedger(top.seq + 1, top.hash, kind, ref, body, now);
    return top.seq + 1;
  }

  /** Writes record `seq` chained to `prev` (the hash of record seq - 1); returns its hash. */
  private insertLedger(seq: number, prev: string, kind: string, ref: string, body: string, now: number): string {
    const hash = this.hasher.sha256Hex(chainPreimage({ seq, ts: now, kind, ref, body, prev_hash: prev }));
    this.s.ledgerInsert!.run(seq, now, kind, ref, body, prev, hash);
    return hash;
  }

  /**
   * Group commit: decisions that arrive in the same turn of the event loop (concurrent HTTP or MCP calls) share
   * one `BEGIN IMMEDIATE … COMMIT`, each inside its own savepoint, in arrival order, so each one reads the state
   * the ones before it left. A decision whose callback or writes fail is rolled back alone; a failed commit
   * fails them all. Nobody is answered before the commit that holds their decision.
   */
  decide(scope: DecideScope, decide: (state: DecideState) => DecisionWrite): Promise<DecideOutcome> {
    return new Promise<DecideOutcome>((resolve, reject) => {
      this.queue.push({ scope, decide, resolve, reject });
      if (!this.groupCommit) this.flush();
      else if (this.queue.length === 1) setImmediate(this.flush);
    });
  }

  private readonly flush = (): void => {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const results: ({ ok: true; value: Decided } | { ok: false; error: unknown })[] = [];
    try {
      this.s.begin!.run();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const pending: PendingVerdict[] = [];
    this.pending.clear();
    this.top = null;
    // A decision alone in its transaction needs no savepoint: if it fails, the whole transaction rolls back.
    const alone = batch.length === 1;
    try {
      for (const item of batch) {
        if (alone) {
          results.push({ ok: true, value: this.decideInTx(item.scope, item.decide, pending, batch.length) });
          continue;
        }
        this.s.savepoint!.run();
        const mark = pending.length;
        try {
          results.push({ ok: true, value: this.decideInTx(item.scope, item.decide, pending, batch.length) });
          this.s.release!.run();
        } catch (error) {
          this.s.rollbackTo!.run();
          this.s.release!.run();
          for (const p of pending.splice(mark)) this.pending.delete(p.verdictId);
          results.push({ ok: false, error });
        }
      }
      // The verdicts' ledger records go last, in decision order (the sequence numbers their verdict rows were
      // given): by now their signatures (made on another thread while the rows above were written) are ready.
      // Set by the group's first verdict (TypeScript cannot see that decideInTx assigns it).
      let prev = (this.top as { seq: number; hash: string } | null)?.hash ?? '';
      for (const p of pending) {
        p.json = certificateText(p.certificate);
        prev = this.insertLedger(p.seq, prev, 'verdict', p.verdictId, p.json, p.now);
      }
      this.s.commit!.run();
      this.afterCommit(batch.length);
    } catch (error) {
      if (this.db.inTransaction) this.s.rollback!.run();
      for (const item of batch) item.reject(error);
      return;
    } finally {
      this.pending.clear();
      this.top = null;
    }
    for (let i = 0; i < batch.length; i++) {
      const r = results[i]!;
      if (!r.ok) {
        batch[i]!.reject(r.error);
        continue;
      }
      const d = r.value;
      if ('certificateJson' in d) batch[i]!.resolve(d);
      else if (d.replayed)
        batch[i]!.resolve({
          replayed: true,
          verdictId: d.p.verdictId,
          certificateJson: d.p.json,
          decision: d.p.decision,
        });
      else
        batch[i]!.resolve({
          replayed: false,
          verdictId: d.p.verdictId,
          certificateJson: d.p.json,
          decision: d.p.decision,
          seq: d.p.seq,
        });
    }
  };

  private decideInTx(
    scope: DecideScope,
    decide: (state: DecideState) => DecisionWrite,
    pending: PendingVerdict[],
    groupSize: number,
  ): Decided {
    const { accountId, agentId, now } = scope;
    // The account view the caller reconciled: applied first, in this decision's savepoint (as `syncAccount`).
    if (scope.sync) this.applySync(accountId, scope.sync, now);
    if (scope.clientOrderId !== null) {
      const prior = this.s.verdictByCoid!.get(accountId, scope.clientOrderId) as Row | undefined;
      if (prior) {
        // Decided earlier in this same group: its ledger record (and certificate text) is written at the end.
        const same = prior.certificate === null ? this.pending.get(prior.verdict_id as string) : undefined;
        if (same) return { replayed: true, p: same };
        return {
          replayed: true,
          verdictId: prior.verdict_id as string,
          certificateJson: prior.certificate as string,
          decision: prior.decision as DecideOutcome['decision'],
        };
      }
    }
    const row = this.accountRow(accountId, scope.day, now, scope.initialEquity);
    const r = this.s.decideState!.get({
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
    const state: DecideState = {
      account: {
        equity: row.equity as number,
        peak_equity: row.peak_equity as number,
        day_start_equity: row.day_start_equity as number,
        gross_exposure: (r.pos_exposure ?? 0) + (r.res_exposure ?? 0),
        daily_count: row.daily_count as number,
        position: { qty: r.pos_qty ?? 0, avg_price: r.pos_avg ?? 0, pending_reduce_qty: r.pending_reduce ?? 0 },
        synced_at: (row.synced_at as number | null) ?? null,
      },
      throttle: { last_second: r.last_second ?? 0, last_minute: r.last_minute ?? 0 },
      recent_duplicate: scope.contentKey !== null && r.dup === 1,
      breaker_tripped: r.breaker === 1,
      halts: { global: (r.halt_global ?? 0) > 0, venue: (r.halt_venue ?? 0) > 0, agent: (r.halt_agent ?? 0) > 0 },
      groupSize,
    };
    const w = decide(state);
    const passed = PASSED.has(w.decision) ? 1 : 0;
    // The certificate is stored once, as the verdict's ledger record (appended at the end of the group, after
    // the records of the group's verdicts before it); the verdict row points at it.
    this.top ??= this.ledgerTop();
    const seq = this.top.seq + pending.length + 1;
    this.s.insertVerdict!.run(
      w.verdictId,
      accountId,
      agentId,
      scope.clientOrderId,
      scope.contentKey,
      w.decision,
      passed,
      now,
      seq,
    );
    this.s.throttleInsert!.run(agentId, now, w.verdictId);
    this.s.throttleSecond!.run(agentId, Math.floor(now / 1_000));
    // Rows serve the exact per-second count; one-second buckets the (conservative) per-minute count.
    if (++this.throttleInserts % 200 === 0) {
      this.s.throttlePrune!.run(now - 5_000);
      this.s.throttleSecondsPrune!.run(Math.floor((now - 120_000) / 1_000));
    }
    if (w.reserve) {
      const r = w.reserve;
      this.s.insertReservation!.run(
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
      this.s.insertOrder!.run(w.verdictId, accountId, scope.clientOrderId ?? w.verdictId, scope.day, now, now);
      this.s.countTrade!.run(now, accountId);
    }
    if (w.breaker === 'trip') this.s.setBreaker!.run(1, now);
    if (w.breaker === 'clear') this.s.setBreaker!.run(0, now);
    if (w.audit) this.insertAudit(w.audit);
    if (w.approval) this.s.insertApproval!.run(...approvalParams(w.approval));
    const p: PendingVerdict = {
      verdictId: w.verdictId,
      decision: w.decision,
      now,
      certificate: w.certificateJson,
      json: '',
      seq,
    };
    pending.push(p);
    this.pending.set(w.verdictId, p);
    return { replayed: false, p };
  }

  private applySync(accountId: string, sync: AccountSync, now: number): void {
    this.s.deletePositions!.run(accountId);
    const positions = sync.positions;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      if (p.qty !== 0) this.s.insertPosition!.run(accountId, p.symbol, p.qty, p.avgPrice, p.mark);
    }
    // The venue's view creates the account if the firewall has not seen it yet (its equity starts the day).
    const day = new Date(now).toISOString().slice(0, 10);
    this.s.setEquity!.run({ account: accountId, equity: sync.equity, day, now });
  }

  async recordOrderOutcome(
    verdictId: string,
    outcome: OrderOutcome,
    now: number,
    sync?: AccountSync,
    audit?: AuditRow,
  ): Promise<void> {
    this.immediate(() => {
      const order = this.s.orderWithReservation!.get(verdictId) as Row | undefined;
      if (!order) throw new Error(`no forwarded order for verdict ${verdictId}`);
      const accountId = order.account_id as string;
      // A finished order's outcome is written once (several reconcilers may race to record it).
      if (FINAL_ORDER.has(order.status as string)) return;
      if (outcome.kind === 'failed') {
        this.s.deleteReservation!.run(verdictId);
        if (order.status === 'forwarding') this.s.uncountTrade!.run(now, accountId, order.counted_day);
        this.s.updateOrder!.run('failed', null, now, verdictId);
        // An order the venue refused never happened: a retry is not a duplicate of it.
        this.s.unpassVerdict!.run(verdictId);
      } else {
        // orig_qty is NOT NULL in a reservation: null here means the order has none (left join).
        const origQty = order.orig_qty as number | null;
        if (origQty !== null) {
          const remaining = Math.max(0, origQty - outcome.filledQuantity);
          if (outcome.done || remaining <= 0) this.s.deleteReservation!.run(verdictId);
          else {
            const frac = remaining / origQty;
            this.s.shrinkReservation!.run(remaining, (order.orig_notional as number) * frac, verdictId);
          }
        }
        this.s.updateOrder!.run(outcome.status, outcome.venueOrderId, now, verdictId);
      }
      if (sync) this.applySync(accountId, sync, now);
      if (audit) this.insertAudit(audit);
      this.appendLedgerSync('order_outcome', verdictId, JSON.stringify({ verdict_id: verdictId, ...outcome }), now);
    });
  }

  async syncAccount(accountId: string, sync: AccountSync, now: number): Promise<void> {
    this.immediate(() => this.applySync(accountId, sync, now));
  }

  async accountSnapshot(accountId: string, symbol: string | null, now: number, initialEquity: number) {
    const day = new Date(now).toISOString().slice(0, 10);
    return this.immediate(() => this.snapshot(accountId, symbol, this.accountRow(accountId, day, now, initialEquity)));
  }

  async orderForVerdict(verdictId: string) {
    const o = this.s.order!.get(verdictId) as Row | undefined;
    return o ? { status: o.status as string, venueOrderId: (o.venue_order_id as string | null) ?? null } : null;
  }

  async orderByVenueId(accountId: string, venueOrderId: string) {
    const o = this.stmt(
      'SELECT verdict_id, client_order_id, status FROM orders WHERE account_id = ? AND venue_order_id = ?',
    ).get(accountId, venueOrderId) as Row | undefined;
    return o
      ? { verdictId: o.verdict_id as string, clientOrderId: o.client_order_id as string, status: o.status as string }
      : null;
  }

  async resizeReservation(verdictId: string, quantity: number, notional: number, _now: number): Promise<void> {
    this.stmt(
      'UPDATE reservations SET qty = ?, notional = ?, orig_qty = ?, orig_notional = ? WHERE verdict_id = ?',
    ).run(quantity, notional, quantity, notional, verdictId);
  }

  async unresolvedOrders(accountId: string) {
    const rows = this.stmt(
      "SELECT verdict_id, client_order_id FROM orders WHERE account_id = ? AND status = 'forwarding'",
    ).all(accountId) as Row[];
    return rows.map((r) => ({ verdictId: r.verdict_id as string, clientOrderId: r.client_order_id as string }));
  }

  async setHalt(scope: string, reason: string | null, now: number): Promise<void> {
    if (reason === null) this.stmt('DELETE FROM halts WHERE scope = ?').run(scope);
    else
      this.db
        .prepare(
          'INSERT INTO halts (scope, reason, ts) VALUES (?, ?, ?) ON CONFLICT (scope) DO UPDATE SET reason = excluded.reason, ts = excluded.ts',
        )
        .run(scope, reason, now);
  }

  async halts() {
    return this.stmt('SELECT scope, reason, ts FROM halts ORDER BY scope').all() as {
      scope: string;
      reason: string;
      ts: number;
    }[];
  }

  async resetBreaker(now: number): Promise<void> {
    this.s.setBreaker!.run(0, now);
  }

  async ledgerAppend(kind: string, ref: string, body: string, now: number): Promise<number> {
    return this.immediate(() => this.appendLedgerSync(kind, ref, body, now));
  }

  async ledgerRange(fromSeq: number, limit: number): Promise<readonly LedgerRecord[]> {
    return this.stmt(
      'SELECT seq, ts, kind, ref, body, prev_hash, hash FROM ledger WHERE seq >= ? ORDER BY seq LIMIT ?',
    ).all(fromSeq, limit) as LedgerRecord[];
  }

  async ledgerHead() {
    // Sequence numbers start at 1 and never skip, so the last one is the count (no table scan).
    const last = this.s.ledgerLast!.get() as { seq: number; hash: string } | undefined;
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
    const r = this.s.verdict!.get(verdictId) as Row | undefined;
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

  async approvals(status?: ApprovalStatus) {
    const rows = (
      status
        ? this.stmt('SELECT * FROM approvals WHERE status = ? ORDER BY created_at').all(status)
        : this.stmt('SELECT * FROM approvals ORDER BY created_at').all()
    ) as Row[];
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

  private insertAudit(row: AuditRow): void {
    this.s.insertAudit!.run(row.audit_id, row.ts, row.kind, row.agent_id, row.body);
  }

  async appendAudit(row: AuditRow): Promise<void> {
    this.insertAudit(row);
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
    const r = this.stmt('SELECT value FROM docs WHERE ns = ? AND key = ?').get(ns, key) as Row | undefined;
    return (r?.value as string | undefined) ?? null;
  }

  async putDoc(ns: string, key: string, value: string, now: number): Promise<void> {
    this.stmt(
      'INSERT INTO docs (ns, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    ).run(ns, key, value, now);
  }

  async updateDoc(ns: string, key: string, fn: (current: string | null) => string, now: number): Promise<string> {
    return this.immediate(() => {
      const r = this.s.getDoc!.get(ns, key) as Row | undefined;
      const next = fn((r?.value as string | undefined) ?? null);
      this.s.putDoc!.run(ns, key, next, now);
      return next;
    });
  }

  async listDocs(ns: string) {
    return this.stmt('SELECT key, value FROM docs WHERE ns = ? ORDER BY key').all(ns) as {
      key: string;
      value: string;
    }[];
  }
}
