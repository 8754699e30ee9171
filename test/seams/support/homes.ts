import { cpSync, rmSync } from 'node:fs';
import pg from 'pg';
import { tempHome } from '../../support/cli.js';
import { type EmbeddedPg, startPostgres } from '../../support/embedded-pg.js';
import { patchMandate } from '../../support/mcp.js';
import { childEnv, cliJson, runCli } from './processes.js';

export type StoreKind = 'sqlite' | 'postgres';
export const STORES: readonly StoreKind[] = ['sqlite', 'postgres'];

/** One installation: a runtime root (ARBITER_HOME) and, on PostgreSQL, its own database. */
export interface Home {
  readonly dir: string;
  readonly store: StoreKind;
  /** The PostgreSQL database URL, or null on the embedded SQLite store. */
  readonly dbUrl: string | null;
  /** The admin token every `serve` of this home uses (set up front, so instances never race to create one). */
  readonly adminToken: string;
  /** The environment of any Arbiter process of this installation, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
}

type Mandate = Record<string, any>;

const ADMIN_TOKEN = `seams-admin-token-${'x'.repeat(32)}`;
let server: Promise<EmbeddedPg> | null = null;
let databases = 0;
const dirs: string[] = [];
const templates = new Map<StoreKind, Promise<{ dir: string; db: string | null }>>();

function homeOf(dir: string, store: StoreKind, dbUrl: string | null): Home {
  const base = { ARBITER_HOME: dir, ARBITER_DATABASE_URL: dbUrl ?? undefined, ARBITER_ADMIN_TOKEN: ADMIN_TOKEN };
  return { dir, store, dbUrl, adminToken: ADMIN_TOKEN, env: (extra = {}) => childEnv({ ...base, ...extra }) };
}

/** One embedded PostgreSQL server per test file, started on first use. */
function postgres(): Promise<EmbeddedPg> {
  server ??= startPostgres();
  return server;
}

function databaseUrl(pgServer: EmbeddedPg, name: string): string {
  return pgServer.url.replace(/\/postgres$/, `/${name}`);
}

/**
 * A freshly installed home, made once per store and test file by the CLI itself: `arbiter mandate init`,
 * `arbiter pubkey` (the issuer key) and the store's schema (`arbiter agents list` creates the SQLite file;
 * `arbiter db migrate` the PostgreSQL tables). Every case copies it, so racing processes never also race to
 * install (that seam belongs to issue 17).
 */
function template(store: StoreKind): Promise<{ dir: string; db: string | null }> {
  let t = templates.get(store);
  if (!t) {
    t = (async () => {
      const dir = tempHome('arbiter-seams-template-');
      dirs.push(dir);
      const db = store === 'postgres' ? `seams_template_${process.pid}` : null;
      const url = db ? await (await postgres()).createDatabase(db) : null;
      const home = homeOf(dir, store, url);
      for (const args of [['mandate', 'init'], ['pubkey'], url ? ['db', 'migrate'] : ['agents', 'list']]) {
        const r = await runCli(home.env(), args);
        if (r.code !== 0) throw new Error(`arbiter ${args.join(' ')} failed: ${r.err}`);
      }
      return { dir, db };
    })();
    templates.set(store, t);
  }
  return t;
}

/** Stops the file's PostgreSQL server (if one was started) and removes every home made in this file. */
export async function cleanUpHomes(): Promise<void> {
  const s = server;
  server = null;
  templates.clear();
  if (s) await (await s.catch(() => null))?.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A byte copy of an installation whose processes have all exited: its runtime root and its database. */
async function copyOf(from: { dir: string; db: string | null }, store: StoreKind): Promise<Home> {
  const dir = tempHome('arbiter-seams-');
  dirs.push(dir);
  cpSync(from.dir, dir, { recursive: true });
  if (!from.db) return homeOf(dir, store, null);
  const pgServer = await postgres();
  const name = `seams_${process.pid}_${++databases}`;
  const c = new pg.Client({ connectionString: pgServer.url });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE ${c.escapeIdentifier(from.db)}`);
  } finally {
    await c.end();
  }
  return homeOf(dir, store, databaseUrl(pgServer, name));
}

/** A fresh installation (a copy of the file's freshly installed template) whose mandate `patch` edits. */
export async function makeHome(store: StoreKind, patch: (m: Mandate) => void = () => undefined): Promise<Home> {
  const home = await copyOf(await template(store), store);
  patchMandate(home.dir, patch);
  return home;
}

/**
 * Another installation exactly like `home` (mandate, keys, agents and their tokens, every row), for a case's next
 * repetition. Every process of `home` must have exited.
 */
export function cloneHome(home: Home): Promise<Home> {
  return copyOf({ dir: home.dir, db: home.dbUrl ? new URL(home.dbUrl).pathname.slice(1) : null }, home.store);
}

/** Adds the agents (`arbiter agents add`, one process each, all at once) and returns their tokens by name. */
export async function addAgents(home: Home, names: readonly string[]): Promise<Map<string, string>> {
  const tokens = await Promise.all(names.map((n) => addAgent(home, n)));
  return new Map(names.map((n, i) => [n, tokens[i]!]));
}

/** `arbiter agents add NAME`: the agent's bearer token. */
export async function addAgent(home: Home, name: string): Promise<string> {
  return (await cliJson<{ token: string }>(home.env(), ['agents', 'add', name])).token;
}

/**
 * Mandate limits that never bind, so each case can tighten exactly the one it tests: large funding (so neither
 * leverage nor loss limits bind), a large per-order cap, no throttle, no duplicate window.
 */
export function looseLimits(m: Mandate): void {
  m.hard_caps.account_funding_usd = 10_000_000;
  m.hard_caps.max_order_notional_usd = 100_000;
  m.hard_caps.max_total_exposure_usd = 5_000_000;
  m.hard_caps.max_trades_per_day = 1_000_000;
  m.arbiter = {
    ...m.arbiter,
    duplicate_window_ms: 0,
    throttle: { per_second: 100_000, per_minute: 6_000_000 },
  };
}
