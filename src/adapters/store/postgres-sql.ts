/**
 * The PostgreSQL store's statements. Hot statements are named, so each pooled connection parses and plans them
 * once, and are folded so that a decision costs six round trips (BEGIN, lock, read, write, ledger, COMMIT).
 *
 * Under READ COMMITTED a statement's snapshot is taken when it starts, so a read that must see what the previous
 * lock holder committed is a separate statement issued after the lock is granted; a row locked with FOR UPDATE
 * itself is always returned in its latest committed version.
 *
 * Lock order, in every transaction that takes more than one: agent (advisory) → account row → breaker row →
 * ledger head row. The ledger head is always taken last, by the statement that does the transaction's last
 * writes, so the one global lock is held only for the ledger insert and the commit.
 */
export interface Sql {
  readonly name: string;
  readonly text: string;
}

const sql = (name: string, text: string): Sql => ({ name, text });

const ACCOUNT_COLUMNS = 'equity, peak_equity, day, day_start_equity, daily_count, synced_at, version';
const LOCK_HEAD = 'SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE';

/** The account's share of the decision state: $1 account, $2 symbol (or null). */
const ACCOUNT_STATE = `
  (SELECT COALESCE(SUM(ABS(qty) * mark), 0) FROM positions WHERE account_id = $1) AS pos_exposure,
  (SELECT COALESCE(SUM(notional), 0) FROM reservations WHERE account_id = $1 AND adds) AS res_exposure,
  p.qty, p.avg_price,
  (SELECT COALESCE(SUM(qty), 0) FROM reservations WHERE account_id = $1 AND symbol = $2 AND NOT adds) AS pending`;
/** A CTE inserting the audit row held in parameters $p…$p+4, or nothing when $p (its id) is null. */
const auditFrom = (p: number) => {
  const v = [0, 1, 2, 3, 4].map((i) => `$${p + i}::text`).join(', ');
  return `au AS (INSERT INTO audit (audit_id, ts, kind, agent_id, body) SELECT ${v} WHERE $${p}::text IS NOT NULL)`;
};
const ACCOUNT_STATE_FROM = 'FROM (SELECT 1) AS one LEFT JOIN positions p ON p.account_id = $1 AND p.symbol = $2';

export const S = {
  lockAccount: sql('lock_account', `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE account_id = $1 FOR UPDATE`),
  /**
   * The agent's lock (throttle and duplicate window are per agent, across accounts), then the account row: the
   * join yields the row only after the advisory lock is granted, and FOR UPDATE locks it on top. $1 agent,
   * $2 account. No row: the account does not exist yet (insert it and run this again).
   */
  lockAgentAccount: sql(
    'lock_agent_account',
    `SELECT a.equity, a.peak_equity, a.day, a.day_start_equity, a.daily_count, a.synced_at, a.version
     FROM (SELECT pg_advisory_xact_lock(hashtextextended('arbiter.agent:' || $1::text, 0))) AS agent_lock
     CROSS JOIN accounts a WHERE a.account_id = $2
     FOR UPDATE OF a`,
  ),
  lockAgent: sql('lock_agent', "SELECT pg_advisory_xact_lock(hashtextextended('arbiter.agent:' || $1::text, 0))"),
  insertAccount: sql(
    'insert_account',
    'INSERT INTO accounts (account_id, equity, peak_equity, day, day_start_equity, daily_count, updated_at) VALUES ($1, $2, $2, $3, $2, 0, $4) ON CONFLICT (account_id) DO NOTHING',
  ),
  rollDay: sql(
    'roll_day',
    `UPDATE accounts SET day = $1, day_start_equity = equity, daily_count = 0 WHERE account_id = $2 RETURNING ${ACCOUNT_COLUMNS}`,
  ),
  accountState: sql('account_state', `SELECT ${ACCOUNT_STATE} ${ACCOUNT_STATE_FROM}`),
  readAccount: sql('read_account', `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE account_id = $1`),
  /**
   * Everything a decision reads, under the agent and account locks, with the verdict the agent's client order id
   * ($10) is bound to if there is one. $3 agent, $4 / $5 throttle horizons, $6 content key, $7 duplicate horizon,
   * $8 / $9 venue and agent halt scopes.
   */
  decideState: sql(
    'decide_state',
    `SELECT ${ACCOUNT_STATE},
      (SELECT COUNT(*) FROM throttle WHERE agent_id = $3 AND ts > $4) AS last_second,
      (SELECT COALESCE(SUM(n), 0) FROM throttle_seconds WHERE agent_id = $3 AND sec >= floor($5::bigint / 1000)) AS last_minute,
      EXISTS (SELECT 1 FROM verdicts WHERE agent_id = $3 AND content_key = $6 AND passed AND ts > $7) AS duplicate,
      COALESCE((SELECT tripped FROM breaker WHERE id = 1), false) AS breaker,
      EXISTS (SELECT 1 FROM halts WHERE scope = 'global') AS halt_global,
      EXISTS (SELECT 1 FROM halts WHERE scope = $8) AS halt_venue,
      EXISTS (SELECT 1 FROM halts WHERE scope = $9) AS halt_agent,
      prior.verdict_id AS prior_verdict_id, prior.certificate AS prior_certificate, prior.decision AS prior_decision,
      prior.order_key AS prior_order_key
    ${ACCOUNT_STATE_FROM}
    LEFT JOIN verdicts prior ON prior.account_id = $1 AND prior.agent_id = $3 AND prior.client_order_id = $10`,
  ),
  /**
   * A decision's writes, then the ledger head lock. $1–$9 the verdict ($3 agent, $4 the client order id it binds,
   * $8 now, $22 its order key); $10–$14 the reservation (symbol null: none), $15 the client order id the venue is
   * sent, $16 the counted day; $17–$21 the audit row (id null: none). A reservation moves the account's version.
   */
  decideWrites: sql(
    'decide_writes',
    `WITH v AS (
       INSERT INTO verdicts (verdict_id, account_id, agent_id, client_order_id, content_key, decision, passed, ts, certificate, order_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $22)),
     t AS (INSERT INTO throttle (agent_id, ts) VALUES ($3, $8)),
     tsec AS (
       INSERT INTO throttle_seconds (agent_id, sec, n) VALUES ($3, floor($8::bigint / 1000), 1)
       ON CONFLICT (agent_id, sec) DO UPDATE SET n = throttle_seconds.n + 1),
     r AS (
       INSERT INTO reservations (verdict_id, account_id, symbol, side, qty, notional, orig_qty, orig_notional, adds, created_at)
       SELECT $1, $2, $10::text, $11::text, $12::float8, $13::float8, $12::float8, $13::float8, $14::boolean, $8::bigint
       WHERE $10::text IS NOT NULL),
     o AS (
       INSERT INTO orders (verdict_id, account_id, agent_id, client_order_id, symbol, side, status, venue_order_id, counted_day, created_at, updated_at)
       SELECT $1, $2, $3, $15::text, $10::text, $11::text, 'forwarding', NULL, $16::text, $8::bigint, $8::bigint
       WHERE $10::text IS NOT NULL),
     c AS (
       UPDATE accounts SET daily_count = daily_count + 1, version = version + 1, updated_at = $8::bigint
       WHERE account_id = $2 AND $10::text IS NOT NULL),
     ${auditFrom(17)}
     ${LOCK_HEAD}`,
  ),
  setBreaker: sql(
    'set_breaker',
    'INSERT INTO breaker (id, tripped, ts) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET tripped = excluded.tripped, ts = excluded.ts',
  ),
  insertApproval: sql(
    'insert_approval',
    "INSERT INTO approvals (approval_id, verdict_id, account_id, agent_id, venue, order_hash, intent_json, notional, created_at, expires_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending')",
  ),
  lockLedgerHead: sql('lock_ledger_head', LOCK_HEAD),
  ledgerInsert: sql(
    'ledger_insert',
    `WITH l AS (INSERT INTO ledger (seq, ts, kind, ref, body, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7))
     UPDATE ledger_head SET seq = $1, hash = $7 WHERE id = 1`,
  ),
  throttlePrune: sql('throttle_prune', 'DELETE FROM throttle WHERE ts < $1'),
  throttleSecondsPrune: sql(
    'throttle_seconds_prune',
    'DELETE FROM throttle_seconds WHERE sec < floor($1::bigint / 1000)',
  ),
  /** The order's account is immutable, so finding it in a subquery with an older snapshot is safe. */
  lockOrderAccount: sql(
    'lock_order_account',
    'SELECT account_id, version FROM accounts WHERE account_id = (SELECT account_id FROM orders WHERE verdict_id = $1) FOR UPDATE',
  ),
  orderWithReservation: sql(
    'order_with_reservation',
    `SELECT o.*, r.verdict_id AS reserved, r.orig_qty, r.orig_notional
     FROM orders o LEFT JOIN reservations r ON r.verdict_id = o.verdict_id WHERE o.verdict_id = $1`,
  ),
  deleteReservation: sql('delete_reservation', 'DELETE FROM reservations WHERE verdict_id = $1'),
  shrinkReservation: sql('shrink_reservation', 'UPDATE reservations SET qty = $1, notional = $2 WHERE verdict_id = $3'),
  uncountTrade: sql(
    'uncount_trade',
    'UPDATE accounts SET daily_count = GREATEST(0, daily_count - 1), updated_at = $1 WHERE account_id = $2 AND day = $3',
  ),
  updateOrder: sql(
    'update_order',
    'UPDATE orders SET status = $1, venue_order_id = COALESCE($2, venue_order_id), filled_qty = $3, avg_price = COALESCE($4, avg_price), updated_at = $5 WHERE verdict_id = $6',
  ),
  markAudited: sql('mark_audited', 'UPDATE orders SET audited = true WHERE verdict_id = $1'),
  bumpVersion: sql('bump_version', 'UPDATE accounts SET version = version + 1 WHERE account_id = $1'),
  position: sql('position', 'SELECT symbol, qty, avg_price, mark FROM positions WHERE account_id = $1 AND symbol = $2'),
  book: sql(
    'book',
    `SELECT symbol, SUM(n) AS notional FROM (
    SELECT symbol, qty * mark AS n FROM positions WHERE account_id = $1
    UNION ALL
    SELECT symbol, CASE WHEN side = 'buy' THEN notional ELSE -notional END AS n
      FROM reservations WHERE account_id = $1 AND adds = true
  ) AS legs GROUP BY symbol HAVING SUM(n) <> 0 ORDER BY symbol`,
  ),
  costBasis: sql(
    'cost_basis',
    `SELECT symbol, SUM(h) AS held, SUM(r) AS reserved FROM (
    SELECT symbol, qty * avg_price AS h, 0 AS r FROM positions WHERE account_id = $1 AND qty > 0
    UNION ALL
    SELECT symbol, 0 AS h, notional AS r FROM reservations WHERE account_id = $1 AND adds = true AND side = 'buy'
  ) AS legs GROUP BY symbol ORDER BY symbol`,
  ),
  deletePosition: sql('delete_position', 'DELETE FROM positions WHERE account_id = $1 AND symbol = $2'),
  upsertPosition: sql(
    'upsert_position',
    'INSERT INTO positions (account_id, symbol, qty, avg_price, mark) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, symbol) DO UPDATE SET qty = excluded.qty, avg_price = excluded.avg_price, mark = excluded.mark',
  ),
  orderByClient: sql(
    'order_by_client',
    'SELECT o.*, v.client_order_id AS bound_id FROM orders o LEFT JOIN verdicts v ON v.verdict_id = o.verdict_id WHERE o.account_id = $1 AND o.client_order_id = $2 ORDER BY o.created_at LIMIT 1',
  ),
  inflight: sql(
    'inflight',
    "SELECT verdict_id, client_order_id FROM orders WHERE account_id = $1 AND status IN ('forwarding', 'unknown', 'open', 'partially_filled') ORDER BY created_at",
  ),
  unresolved: sql(
    'unresolved',
    "SELECT o.*, v.client_order_id AS bound_id FROM orders o LEFT JOIN verdicts v ON v.verdict_id = o.verdict_id WHERE o.account_id = $1 AND (o.status IN ('forwarding', 'unknown') OR NOT o.audited) AND o.updated_at <= $2 ORDER BY o.created_at",
  ),
  order: sql(
    'order',
    'SELECT o.*, v.client_order_id AS bound_id FROM orders o LEFT JOIN verdicts v ON v.verdict_id = o.verdict_id WHERE o.verdict_id = $1',
  ),
  unpassVerdict: sql('unpass_verdict', 'UPDATE verdicts SET passed = false WHERE verdict_id = $1'),
  lockReservationAccount: sql(
    'lock_reservation_account',
    'SELECT account_id FROM accounts WHERE account_id = (SELECT account_id FROM reservations WHERE verdict_id = $1) FOR UPDATE',
  ),
  resizeReservation: sql(
    'resize_reservation',
    'UPDATE reservations SET qty = $1, notional = $2, orig_qty = $1, orig_notional = $2 WHERE verdict_id = $3',
  ),
  orderByVenueId: sql(
    'order_by_venue_id',
    'SELECT o.*, v.client_order_id AS bound_id FROM orders o LEFT JOIN verdicts v ON v.verdict_id = o.verdict_id WHERE o.account_id = $1 AND o.venue_order_id = $2 ORDER BY o.created_at LIMIT 1',
  ),
  insertAudit: sql(
    'insert_audit',
    'INSERT INTO audit (audit_id, ts, kind, agent_id, body) VALUES ($1, $2, $3, $4, $5)',
  ),
  deletePositions: sql('delete_positions', 'DELETE FROM positions WHERE account_id = $1'),
  insertPositions: sql(
    'insert_positions',
    `INSERT INTO positions (account_id, symbol, qty, avg_price, mark)
     SELECT $1, t.symbol, t.qty, t.avg_price, t.mark
     FROM unnest($2::text[], $3::float8[], $4::float8[], $5::float8[]) WITH ORDINALITY AS t(symbol, qty, avg_price, mark, i)
     ORDER BY t.i`,
  ),
  /** The venue's equity; creates the account if the firewall has not seen it (its equity starts the day). */
  setEquity: sql(
    'set_equity',
    `INSERT INTO accounts (account_id, equity, peak_equity, day, day_start_equity, daily_count, updated_at, synced_at)
     VALUES ($1, $2, $2, $3, $2, 0, $4, $4)
     ON CONFLICT (account_id) DO UPDATE SET equity = excluded.equity,
       peak_equity = GREATEST(accounts.peak_equity, excluded.equity), updated_at = excluded.updated_at,
       synced_at = excluded.synced_at`,
  ),
  lockDoc: sql('lock_doc', 'SELECT value FROM docs WHERE ns = $1 AND key = $2 FOR UPDATE'),
  insertDocIfMissing: sql(
    'insert_doc_if_missing',
    'INSERT INTO docs (ns, key, value, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (ns, key) DO NOTHING',
  ),
  updateDoc: sql('update_doc', 'UPDATE docs SET value = $3, updated_at = $4 WHERE ns = $1 AND key = $2'),
  putDoc: sql(
    'put_doc',
    'INSERT INTO docs (ns, key, value, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ),
  getDoc: sql('get_doc', 'SELECT value FROM docs WHERE ns = $1 AND key = $2'),
  transitionApproval: sql(
    'transition_approval',
    'UPDATE approvals SET status = $1, decided_at = $2, decided_by = COALESCE($3, decided_by), result_verdict_id = COALESCE($4, result_verdict_id) WHERE approval_id = $5 AND status = $6',
  ),
} as const;
