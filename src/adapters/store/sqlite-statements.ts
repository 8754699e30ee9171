import type Database from 'better-sqlite3';

/** Everything a decision reads, in one statement (one trip into SQLite on the hot path). */
const DECIDE_STATE = `SELECT
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
  (SELECT COUNT(*) FROM halts WHERE scope = @agent_scope) AS halt_agent`;

/** The embedded store's hot statements (prepared once per connection by `prepareStatements`). */
const SQL = {
  begin: 'BEGIN IMMEDIATE',
  beginRead: 'BEGIN DEFERRED',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: 'SAVEPOINT decision',
  release: 'RELEASE decision',
  rollbackTo: 'ROLLBACK TO decision',
  // The verdict bound to (account, agent, client order id), with its certificate and its order, if any.
  verdictByCoid: `SELECT v.verdict_id, COALESCE(v.certificate, l.body) AS certificate, v.decision, v.order_key
       FROM verdicts v LEFT JOIN ledger l ON l.seq = v.ledger_seq
       WHERE v.account_id = ? AND v.agent_id = ? AND v.client_order_id = ?`,
  account: 'SELECT * FROM accounts WHERE account_id = ?',
  insertAccount:
    'INSERT INTO accounts (account_id, equity, peak_equity, day, day_start_equity, daily_count, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?)',
  rollDay: 'UPDATE accounts SET day = ?, day_start_equity = equity, daily_count = 0 WHERE account_id = ?',
  bumpVersion: 'UPDATE accounts SET version = version + 1 WHERE account_id = ?',
  accountVersion: 'SELECT version FROM accounts WHERE account_id = ?',
  posExposure: 'SELECT COALESCE(SUM(ABS(qty) * mark), 0) AS e FROM positions WHERE account_id = ?',
  resExposure: 'SELECT COALESCE(SUM(notional), 0) AS e FROM reservations WHERE account_id = ? AND adds = 1',
  position: 'SELECT symbol, qty, avg_price, mark FROM positions WHERE account_id = ? AND symbol = ?',
  book: `SELECT symbol, SUM(n) AS notional FROM (
    SELECT symbol, qty * mark AS n FROM positions WHERE account_id = @account
    UNION ALL
    SELECT symbol, CASE WHEN side = 'buy' THEN notional ELSE -notional END AS n
      FROM reservations WHERE account_id = @account AND adds = 1
  ) AS legs GROUP BY symbol HAVING SUM(n) <> 0 ORDER BY symbol`,
  costBasis: `SELECT symbol, SUM(h) AS held, SUM(r) AS reserved FROM (
    SELECT symbol, qty * avg_price AS h, 0 AS r FROM positions WHERE account_id = @account AND qty > 0
    UNION ALL
    SELECT symbol, 0 AS h, notional AS r FROM reservations WHERE account_id = @account AND adds = 1 AND side = 'buy'
  ) AS legs GROUP BY symbol ORDER BY symbol`,
  pendingReduce: 'SELECT COALESCE(SUM(qty), 0) AS q FROM reservations WHERE account_id = ? AND symbol = ? AND adds = 0',
  throttleInsert: 'INSERT OR IGNORE INTO throttle (agent_id, ts, verdict_id) VALUES (?, ?, ?)',
  throttlePrune: 'DELETE FROM throttle WHERE ts < ?',
  throttleSecond:
    'INSERT INTO throttle_seconds (agent_id, sec, n) VALUES (?, ?, 1) ON CONFLICT (agent_id, sec) DO UPDATE SET n = n + 1',
  throttleSecondsPrune: 'DELETE FROM throttle_seconds WHERE sec < ?',
  decideState: DECIDE_STATE,
  setBreaker:
    'INSERT INTO breaker (id, tripped, ts) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET tripped = excluded.tripped, ts = excluded.ts',
  insertVerdict:
    'INSERT INTO verdicts (verdict_id, account_id, agent_id, client_order_id, content_key, order_key, decision, passed, ts, ledger_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  insertReservation:
    'INSERT INTO reservations (verdict_id, account_id, symbol, side, qty, notional, orig_qty, orig_notional, adds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  insertOrder:
    "INSERT INTO orders (verdict_id, account_id, agent_id, client_order_id, symbol, side, status, venue_order_id, counted_day, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'forwarding', NULL, ?, ?, ?)",
  countTrade: 'UPDATE accounts SET daily_count = daily_count + 1, updated_at = ? WHERE account_id = ?',
  insertApproval:
    "INSERT INTO approvals (approval_id, verdict_id, account_id, agent_id, venue, order_hash, intent_json, notional, created_at, expires_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
  ledgerLast: 'SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1',
  ledgerInsert: 'INSERT INTO ledger (seq, ts, kind, ref, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  order:
    'SELECT o.*, v.client_order_id AS bound_id FROM orders o LEFT JOIN verdicts v ON v.verdict_id = o.verdict_id WHERE o.verdict_id = ?',
  orderByClient:
    'SELECT o.*, v.client_order_id AS bound_id FROM orders o LEFT JOIN verdicts v ON v.verdict_id = o.verdict_id WHERE o.account_id = ? AND o.client_order_id = ? ORDER BY o.created_at LIMIT 1',
  orderByVenue:
    'SELECT o.*, v.client_order_id AS bound_id FROM orders o LEFT JOIN verdicts v ON v.verdict_id = o.verdict_id WHERE o.account_id = ? AND o.venue_order_id = ? ORDER BY o.created_at LIMIT 1',
  // An order with its reservation as made (or resized), if it still has one: what an answer is planned against.
  orderWithReservation:
    'SELECT o.*, r.orig_qty, r.orig_notional, r.verdict_id AS reserved FROM orders o LEFT JOIN reservations r ON r.verdict_id = o.verdict_id WHERE o.verdict_id = ?',
  markAudited: 'UPDATE orders SET audited = 1 WHERE verdict_id = ?',
  deleteReservation: 'DELETE FROM reservations WHERE verdict_id = ?',
  shrinkReservation: 'UPDATE reservations SET qty = ?, notional = ? WHERE verdict_id = ?',
  updateOrder:
    'UPDATE orders SET status = ?, venue_order_id = COALESCE(?, venue_order_id), filled_qty = ?, avg_price = COALESCE(?, avg_price), updated_at = ? WHERE verdict_id = ?',
  uncountTrade:
    'UPDATE accounts SET daily_count = MAX(0, daily_count - 1), updated_at = ? WHERE account_id = ? AND day = ?',
  deletePositions: 'DELETE FROM positions WHERE account_id = ?',
  deletePosition: 'DELETE FROM positions WHERE account_id = ? AND symbol = ?',
  insertPosition: 'INSERT INTO positions (account_id, symbol, qty, avg_price, mark) VALUES (?, ?, ?, ?, ?)',
  upsertPosition:
    'INSERT INTO positions (account_id, symbol, qty, avg_price, mark) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, symbol) DO UPDATE SET qty = excluded.qty, avg_price = excluded.avg_price, mark = excluded.mark',
  unpassVerdict: 'UPDATE verdicts SET passed = 0 WHERE verdict_id = ?',
  inflight:
    "SELECT verdict_id, client_order_id FROM orders WHERE account_id = ? AND status IN ('forwarding', 'unknown', 'open', 'partially_filled') ORDER BY created_at",
  unresolved:
    "SELECT o.*, v.client_order_id AS bound_id FROM orders o LEFT JOIN verdicts v ON v.verdict_id = o.verdict_id WHERE o.account_id = ? AND (o.status IN ('forwarding', 'unknown') OR o.audited = 0) AND o.updated_at <= ? ORDER BY o.created_at",
  getDoc: 'SELECT value FROM docs WHERE ns = ? AND key = ?',
  putDoc:
    'INSERT INTO docs (ns, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  insertAudit: 'INSERT INTO audit (audit_id, ts, kind, agent_id, body) VALUES (?, ?, ?, ?, ?)',
  verdict:
    'SELECT COALESCE(v.certificate, l.body) AS certificate FROM verdicts v LEFT JOIN ledger l ON l.seq = v.ledger_seq WHERE v.verdict_id = ?',
  setEquity: `INSERT INTO accounts (account_id, equity, peak_equity, day, day_start_equity, daily_count, updated_at, synced_at)
       VALUES (@account, @equity, @equity, @day, @equity, 0, @now, @now)
       ON CONFLICT (account_id) DO UPDATE SET equity = excluded.equity,
         peak_equity = MAX(accounts.peak_equity, excluded.equity), updated_at = excluded.updated_at,
         synced_at = excluded.synced_at`,
} as const;

export type Statements = { readonly [K in keyof typeof SQL]: Database.Statement };

export function prepareStatements(db: Database.Database): Statements {
  const out: Record<string, Database.Statement> = {};
  for (const [name, sql] of Object.entries(SQL)) out[name] = db.prepare(sql);
  return out as Statements;
}
