/** The embedded store's schema. Versioned; each migration runs once, in order, inside a transaction. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY,
    equity REAL NOT NULL,
    peak_equity REAL NOT NULL,
    day TEXT NOT NULL,
    day_start_equity REAL NOT NULL,
    daily_count INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE positions (
    account_id TEXT NOT NULL,
    symbol TEXT NOT NULL,
    qty REAL NOT NULL,
    avg_price REAL NOT NULL,
    mark REAL NOT NULL,
    PRIMARY KEY (account_id, symbol)
  );
  CREATE TABLE reservations (
    verdict_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    qty REAL NOT NULL,
    notional REAL NOT NULL,
    orig_qty REAL NOT NULL,
    orig_notional REAL NOT NULL,
    adds INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX reservations_account ON reservations (account_id, symbol);
  CREATE TABLE throttle (agent_id TEXT NOT NULL, ts INTEGER NOT NULL);
  CREATE INDEX throttle_agent_ts ON throttle (agent_id, ts);
  CREATE TABLE verdicts (
    verdict_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    client_order_id TEXT,
    content_key TEXT,
    decision TEXT NOT NULL,
    passed INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    certificate TEXT NOT NULL
  );
  CREATE UNIQUE INDEX verdicts_coid ON verdicts (account_id, client_order_id) WHERE client_order_id IS NOT NULL;
  CREATE INDEX verdicts_content ON verdicts (agent_id, content_key, ts);
  CREATE TABLE orders (
    verdict_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    client_order_id TEXT NOT NULL,
    status TEXT NOT NULL,
    venue_order_id TEXT,
    counted_day TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX orders_account_status ON orders (account_id, status);
  CREATE TABLE ledger (
    seq INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE TABLE checkpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    count INTEGER NOT NULL,
    head_hash TEXT NOT NULL,
    ts INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL
  );
  CREATE TABLE halts (scope TEXT PRIMARY KEY, reason TEXT NOT NULL, ts INTEGER NOT NULL);
  CREATE TABLE breaker (id INTEGER PRIMARY KEY CHECK (id = 1), tripped INTEGER NOT NULL, ts INTEGER NOT NULL);
  CREATE TABLE agents (
    agent_id TEXT PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE approvals (
    approval_id TEXT PRIMARY KEY,
    verdict_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    venue TEXT NOT NULL,
    order_hash TEXT NOT NULL,
    intent_json TEXT NOT NULL,
    notional REAL NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    decided_at INTEGER,
    decided_by TEXT,
    result_verdict_id TEXT
  );
  CREATE INDEX approvals_status ON approvals (status);
  CREATE TABLE audit (
    audit_id TEXT PRIMARY KEY,
    ts TEXT NOT NULL,
    kind TEXT NOT NULL,
    agent_id TEXT,
    body TEXT NOT NULL
  );
  CREATE INDEX audit_ts ON audit (ts);
  CREATE TABLE docs (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (ns, key));
  `,
  `ALTER TABLE accounts ADD COLUMN synced_at INTEGER;`,
  `CREATE TABLE throttle_seconds (agent_id TEXT NOT NULL, sec INTEGER NOT NULL, n INTEGER NOT NULL,
     PRIMARY KEY (agent_id, sec)) WITHOUT ROWID;
   CREATE INDEX throttle_ts ON throttle (ts);`,
  // v4: fewer pages written per decision (each dirty page is a WAL frame and, later, a checkpoint copy).
  // Certificates are stored once, in the ledger (a verdict row points at its ledger record; rows written before
  // v4 keep their copy); throttle rows live in one index-organised table; audit rows are keyed by insertion
  // order with one index, on time (their ids are unique by construction: time, counter and random bits).
  `CREATE TABLE verdicts_v4 (
     verdict_id TEXT PRIMARY KEY,
     account_id TEXT NOT NULL,
     agent_id TEXT NOT NULL,
     client_order_id TEXT,
     content_key TEXT,
     decision TEXT NOT NULL,
     passed INTEGER NOT NULL,
     ts INTEGER NOT NULL,
     ledger_seq INTEGER,
     certificate TEXT
   ) WITHOUT ROWID;
   INSERT INTO verdicts_v4 (verdict_id, account_id, agent_id, client_order_id, content_key, decision, passed, ts, certificate)
     SELECT verdict_id, account_id, agent_id, client_order_id, content_key, decision, passed, ts, certificate FROM verdicts;
   DROP TABLE verdicts;
   ALTER TABLE verdicts_v4 RENAME TO verdicts;
   CREATE UNIQUE INDEX verdicts_coid ON verdicts (account_id, client_order_id) WHERE client_order_id IS NOT NULL;
   CREATE INDEX verdicts_content ON verdicts (agent_id, content_key, ts) WHERE content_key IS NOT NULL AND passed = 1;
   CREATE TABLE throttle_v4 (agent_id TEXT NOT NULL, ts INTEGER NOT NULL, verdict_id TEXT NOT NULL,
     PRIMARY KEY (agent_id, ts, verdict_id)) WITHOUT ROWID;
   INSERT INTO throttle_v4 (agent_id, ts, verdict_id) SELECT agent_id, ts, 'v3-' || rowid FROM throttle;
   DROP TABLE throttle;
   ALTER TABLE throttle_v4 RENAME TO throttle;
   CREATE TABLE audit_v4 (seq INTEGER PRIMARY KEY, audit_id TEXT NOT NULL, ts TEXT NOT NULL, kind TEXT NOT NULL,
     agent_id TEXT, body TEXT NOT NULL);
   INSERT INTO audit_v4 (audit_id, ts, kind, agent_id, body) SELECT audit_id, ts, kind, agent_id, body FROM audit ORDER BY ts, rowid;
   DROP TABLE audit;
   ALTER TABLE audit_v4 RENAME TO audit;
   CREATE INDEX audit_ts ON audit (ts);`,
  // v5: the order lifecycle and per-agent identity. The account's version orders venue views against what the
  // store reserved and recorded; client order ids are bound per agent; an order knows its agent, instrument and
  // what has filled (fills move the store's own positions when no current venue view is at hand).
  `ALTER TABLE accounts ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE verdicts ADD COLUMN order_key TEXT;
   DROP INDEX verdicts_coid;
   CREATE UNIQUE INDEX verdicts_coid ON verdicts (account_id, agent_id, client_order_id) WHERE client_order_id IS NOT NULL;
   ALTER TABLE orders ADD COLUMN agent_id TEXT;
   ALTER TABLE orders ADD COLUMN symbol TEXT;
   ALTER TABLE orders ADD COLUMN side TEXT;
   ALTER TABLE orders ADD COLUMN filled_qty REAL NOT NULL DEFAULT 0;
   ALTER TABLE orders ADD COLUMN avg_price REAL;
   ALTER TABLE orders ADD COLUMN audited INTEGER NOT NULL DEFAULT 0;
   UPDATE orders SET audited = 1 WHERE status <> 'forwarding';
   UPDATE orders SET agent_id = (SELECT v.agent_id FROM verdicts v WHERE v.verdict_id = orders.verdict_id);
   CREATE INDEX orders_client ON orders (account_id, client_order_id);
   CREATE INDEX orders_venue_order ON orders (account_id, venue_order_id);
   CREATE INDEX approvals_agent ON approvals (agent_id, status);`,
];
