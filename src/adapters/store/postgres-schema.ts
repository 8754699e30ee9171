import { GENESIS_HASH } from '../../core/ledger/chain.js';

/**
 * The PostgreSQL schema: the SQLite schema with PostgreSQL types. Money is `double precision` (SQLite's REAL),
 * timestamps are `bigint` milliseconds, and text that is sorted or range-compared is `COLLATE "C"` so it orders
 * byte-wise as in SQLite whatever the database's locale. Versioned; each migration runs once, in order, inside
 * a transaction, under an advisory lock.
 *
 * `ledger_head` holds the chain's last (seq, hash) in one row: appenders lock it, so the chain stays linear
 * however many instances append, and the lock is held only for the append itself.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE accounts (
    account_id text PRIMARY KEY,
    equity double precision NOT NULL,
    peak_equity double precision NOT NULL,
    day text NOT NULL,
    day_start_equity double precision NOT NULL,
    daily_count integer NOT NULL DEFAULT 0,
    updated_at bigint NOT NULL,
    synced_at bigint
  );
  CREATE TABLE positions (
    account_id text NOT NULL,
    symbol text NOT NULL,
    qty double precision NOT NULL,
    avg_price double precision NOT NULL,
    mark double precision NOT NULL,
    PRIMARY KEY (account_id, symbol)
  );
  CREATE TABLE reservations (
    verdict_id text PRIMARY KEY,
    account_id text NOT NULL,
    symbol text NOT NULL,
    side text NOT NULL,
    qty double precision NOT NULL,
    notional double precision NOT NULL,
    orig_qty double precision NOT NULL,
    orig_notional double precision NOT NULL,
    adds boolean NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE INDEX reservations_account ON reservations (account_id, symbol);
  CREATE TABLE throttle (agent_id text NOT NULL, ts bigint NOT NULL);
  CREATE INDEX throttle_agent_ts ON throttle (agent_id, ts);
  CREATE INDEX throttle_ts ON throttle (ts);
  CREATE TABLE verdicts (
    verdict_id text PRIMARY KEY,
    account_id text NOT NULL,
    agent_id text NOT NULL,
    client_order_id text,
    content_key text,
    decision text NOT NULL,
    passed boolean NOT NULL,
    ts bigint NOT NULL,
    certificate text NOT NULL
  );
  CREATE UNIQUE INDEX verdicts_coid ON verdicts (account_id, client_order_id) WHERE client_order_id IS NOT NULL;
  CREATE INDEX verdicts_content ON verdicts (agent_id, content_key, ts);
  CREATE TABLE orders (
    verdict_id text PRIMARY KEY,
    account_id text NOT NULL,
    client_order_id text NOT NULL,
    status text NOT NULL,
    venue_order_id text,
    counted_day text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX orders_account_status ON orders (account_id, status);
  CREATE INDEX orders_venue_order ON orders (account_id, venue_order_id);
  CREATE TABLE ledger (
    seq bigint PRIMARY KEY,
    ts bigint NOT NULL,
    kind text NOT NULL,
    ref text NOT NULL,
    body text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL
  );
  CREATE TABLE ledger_head (
    id integer PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL,
    hash text NOT NULL
  );
  INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');
  CREATE TABLE checkpoints (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    count bigint NOT NULL,
    head_hash text NOT NULL,
    ts bigint NOT NULL,
    key_id text NOT NULL,
    signature text NOT NULL
  );
  CREATE TABLE halts (scope text COLLATE "C" PRIMARY KEY, reason text NOT NULL, ts bigint NOT NULL);
  CREATE TABLE breaker (id integer PRIMARY KEY CHECK (id = 1), tripped boolean NOT NULL, ts bigint NOT NULL);
  CREATE TABLE agents (
    agent_id text COLLATE "C" PRIMARY KEY,
    token_sha256 text NOT NULL UNIQUE,
    account_id text NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE TABLE approvals (
    approval_id text PRIMARY KEY,
    -- insertion order breaks created_at ties, as SQLite's rowid does
    n bigint GENERATED ALWAYS AS IDENTITY,
    verdict_id text NOT NULL,
    account_id text NOT NULL,
    agent_id text NOT NULL,
    venue text NOT NULL,
    order_hash text NOT NULL,
    intent_json text NOT NULL,
    notional double precision NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    status text NOT NULL,
    decided_at bigint,
    decided_by text,
    result_verdict_id text
  );
  CREATE INDEX approvals_status ON approvals (status, created_at, n);
  CREATE TABLE audit (
    audit_id text PRIMARY KEY,
    n bigint GENERATED ALWAYS AS IDENTITY,
    ts text COLLATE "C" NOT NULL,
    kind text NOT NULL,
    agent_id text,
    body text NOT NULL
  );
  CREATE INDEX audit_ts ON audit (ts, n);
  CREATE TABLE docs (
    ns text NOT NULL,
    key text COLLATE "C" NOT NULL,
    value text NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (ns, key)
  );
  `,
  // The per-minute throttle counts one-second buckets (bounded work at any rate); rows stay for the exact
  // per-second count only.
  `CREATE TABLE throttle_seconds (agent_id text NOT NULL, sec bigint NOT NULL, n integer NOT NULL,
     PRIMARY KEY (agent_id, sec));`,
  // The order lifecycle and per-agent identity (SQLite's v5): the account's version orders venue views against
  // what the store reserved and recorded; client order ids are bound per agent; an order knows its agent,
  // instrument, fills, and whether its audit row is written.
  `ALTER TABLE accounts ADD COLUMN version bigint NOT NULL DEFAULT 0;
   ALTER TABLE verdicts ADD COLUMN order_key text;
   DROP INDEX verdicts_coid;
   CREATE UNIQUE INDEX verdicts_coid ON verdicts (account_id, agent_id, client_order_id) WHERE client_order_id IS NOT NULL;
   ALTER TABLE orders ADD COLUMN agent_id text;
   ALTER TABLE orders ADD COLUMN symbol text;
   ALTER TABLE orders ADD COLUMN side text;
   ALTER TABLE orders ADD COLUMN filled_qty double precision NOT NULL DEFAULT 0;
   ALTER TABLE orders ADD COLUMN avg_price double precision;
   ALTER TABLE orders ADD COLUMN audited boolean NOT NULL DEFAULT false;
   UPDATE orders o SET agent_id = v.agent_id FROM verdicts v WHERE v.verdict_id = o.verdict_id;
   UPDATE orders SET audited = true WHERE status <> 'forwarding';
   CREATE INDEX orders_client ON orders (account_id, client_order_id);
   CREATE INDEX approvals_agent ON approvals (agent_id, status);`,
];

/** Minimal client surface the migrator needs (a `pg` Client or pooled client). */
export interface MigrationClient {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[] }>;
}

const MIGRATION_LOCK = "hashtextextended('arbiter.migrations', 0)";

/**
 * Applies the migrations this build knows and the database lacks. A session advisory lock serialises processes
 * that start at the same moment: the first applies, the others wait, then find nothing left to do.
 */
export async function runPostgresMigrations(c: MigrationClient): Promise<{ applied: number; version: number }> {
  await c.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
  try {
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at bigint NOT NULL)',
    );
    const { rows } = await c.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version');
    const current = rows[0]?.v ?? 0;
    let applied = 0;
    for (let v = current; v < POSTGRES_MIGRATIONS.length; v++) {
      await c.query('BEGIN');
      try {
        await c.query(POSTGRES_MIGRATIONS[v]!);
        await c.query('INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)', [v + 1, Date.now()]);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
      applied += 1;
    }
    return { applied, version: Math.max(current, POSTGRES_MIGRATIONS.length) };
  } finally {
    await c.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`).catch(() => undefined);
  }
}
