import Database from 'better-sqlite3';
import pg from 'pg';
import { RuntimeLayout } from '../../../src/adapters/runtime/layout.js';
import type { Home } from './homes.js';

/**
 * What an auditor reads from an installation's database, read-only, from outside the processes that wrote it.
 * All SQL of the battery is here, so a schema change is one file to follow.
 */
export interface LedgerRow {
  readonly seq: number;
  readonly kind: string;
  readonly ref: string;
  readonly body: string;
}

export interface OrderRow {
  readonly verdict_id: string;
  readonly client_order_id: string;
  readonly status: string;
  /** Its audit row is written (1 / true); an order resolved by someone else's venue view waits for recovery's. */
  readonly audited: number | boolean;
}

/** The paper exchange's own account document (its positions and the orders it keeps). */
export interface PaperAccountDoc {
  readonly seq: number;
  readonly positions: Record<string, { readonly qty: number; readonly entryPrice: number }>;
  readonly orders: readonly PaperOrderDoc[];
}

export interface PaperOrderDoc {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly filledQuantity: number;
  readonly avgFillPrice: number | null;
  readonly status: string;
  readonly timeInForce: string;
  readonly fills: readonly { readonly price: number; readonly quantity: number }[];
}

export interface Snapshot {
  readonly ledger: readonly LedgerRow[];
  readonly orders: readonly OrderRow[];
  /** Verdict ids the verdicts table holds (one row per verdict). */
  readonly verdictIds: readonly string[];
  /** The audit table's record bodies (redacted Vibe-Trading records). */
  readonly audit: readonly string[];
  /** The paper venue's account `main`, or null if the venue never saw it. */
  readonly paper: PaperAccountDoc | null;
  /** The store's daily trade count for account `main` and the day it belongs to. */
  readonly account: { readonly daily_count: number; readonly day: string } | null;
}

const QUERIES = {
  ledger: 'SELECT seq, kind, ref, body FROM ledger ORDER BY seq',
  orders: 'SELECT verdict_id, client_order_id, status, audited FROM orders ORDER BY created_at, verdict_id',
  verdicts: 'SELECT verdict_id FROM verdicts ORDER BY verdict_id',
  audit: 'SELECT body FROM audit',
  paper: "SELECT value FROM docs WHERE ns = 'paper' AND key = 'main'",
  account: "SELECT daily_count, day FROM accounts WHERE account_id = 'main'",
} as const;

function assemble(rows: Record<keyof typeof QUERIES, Record<string, unknown>[]>): Snapshot {
  const paper = rows.paper[0]?.value as string | undefined;
  const account = rows.account[0];
  return {
    ledger: rows.ledger.map((r) => ({
      seq: Number(r.seq),
      kind: String(r.kind),
      ref: String(r.ref),
      body: String(r.body),
    })),
    orders: rows.orders as unknown as OrderRow[],
    verdictIds: rows.verdicts.map((r) => String(r.verdict_id)),
    audit: rows.audit.map((r) => String(r.body)),
    paper: paper ? (JSON.parse(paper) as PaperAccountDoc) : null,
    account: account ? { daily_count: Number(account.daily_count), day: String(account.day) } : null,
  };
}

/** Reads everything the invariants need in one consistent read (one transaction / one read snapshot). */
export async function snapshot(home: Home): Promise<Snapshot> {
  if (home.dbUrl) {
    const c = new pg.Client({ connectionString: home.dbUrl });
    await c.connect();
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const rows = {} as Record<keyof typeof QUERIES, Record<string, unknown>[]>;
      for (const [k, sql] of Object.entries(QUERIES)) rows[k as keyof typeof QUERIES] = (await c.query(sql)).rows;
      await c.query('COMMIT');
      return assemble(rows);
    } finally {
      await c.end();
    }
  }
  const db = new Database(new RuntimeLayout(home.dir).database(), { readonly: true, fileMustExist: true });
  try {
    const read = db.transaction(() => {
      const rows = {} as Record<keyof typeof QUERIES, Record<string, unknown>[]>;
      for (const [k, sql] of Object.entries(QUERIES))
        rows[k as keyof typeof QUERIES] = db.prepare(sql).all() as Record<string, unknown>[];
      return rows;
    });
    return assemble(read());
  } finally {
    db.close();
  }
}

/** Orders the store still has in flight (decided and sent, outcome not recorded). */
export function inFlight(s: Snapshot): readonly OrderRow[] {
  return s.orders.filter((o) => o.status === 'forwarding' || o.status === 'unknown');
}

/** What recovery still has to do: orders in flight, and orders whose audit row is not written yet. */
export function unresolved(s: Snapshot): readonly OrderRow[] {
  return s.orders.filter((o) => o.status === 'forwarding' || o.status === 'unknown' || !o.audited);
}

/** How many orders are `forwarding` right now (polled during a storm to time a SIGKILL). */
export async function forwardingCount(home: Home): Promise<number> {
  const sql = "SELECT COUNT(*) AS n FROM orders WHERE status = 'forwarding'";
  if (home.dbUrl) {
    const c = new pg.Client({ connectionString: home.dbUrl });
    await c.connect();
    try {
      return Number((await c.query(sql)).rows[0]?.n ?? 0);
    } finally {
      await c.end();
    }
  }
  const db = new Database(new RuntimeLayout(home.dir).database(), { readonly: true, fileMustExist: true });
  try {
    return Number((db.prepare(sql).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

/**
 * Every table of the SQLite store, every row in a fixed order (all columns, sorted), as plain data: two dumps
 * compare equal exactly when the store did not change. Read-only.
 */
export function dumpSqlite(home: Home): Record<string, unknown[]> {
  const db = new Database(new RuntimeLayout(home.dir).database(), { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[];
    const out: Record<string, unknown[]> = {};
    for (const { name } of tables) {
      const cols = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => `"${c.name}"`);
      out[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY ${cols.join(', ')}`).all();
    }
    return out;
  } finally {
    db.close();
  }
}
