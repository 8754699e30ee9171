import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { PostgresStore } from '../../src/adapters/store/postgres-store.js';
import { verifyLedger } from '../contract/store-contract.js';
import { type EmbeddedPg, startPostgres } from '../support/embedded-pg.js';
import { type StormConfig, spawnStormWorker } from '../support/postgres-storm-worker.js';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const LIMIT = 40;
const CAP = 2_500;
const NOTIONAL = 100;

let server: EmbeddedPg;
let url: string;
let store: PostgresStore;

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('storm');
});
afterAll(async () => {
  await store?.close();
  await server?.stop();
});

function config(round: string, w: number, decides: number, progress = false): StormConfig {
  return {
    url,
    label: `${round}-w${w}`,
    accounts: [`acct-${round}`],
    agents: [`agent-${round}`],
    decides,
    concurrency: 30,
    now: NOW,
    dailyLimit: LIMIT,
    exposureCap: CAP,
    notional: NOTIONAL,
    poolSize: 10,
    progress,
  };
}

/** Everything the round left in the database, read back independently of the store. */
async function inspect(round: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string, args: unknown[] = []) => (await c.query(sql, args)).rows;
    const verdicts = await q('SELECT decision, certificate FROM verdicts WHERE account_id = $1', [`acct-${round}`]);
    const [res] = await q(
      'SELECT COUNT(*)::int AS n, COALESCE(SUM(notional) FILTER (WHERE adds), 0)::float8 AS adds FROM reservations WHERE account_id = $1',
      [`acct-${round}`],
    );
    const [orders] = await q('SELECT COUNT(*)::int AS n FROM orders WHERE account_id = $1', [`acct-${round}`]);
    const [throttle] = await q('SELECT COUNT(*)::int AS n FROM throttle WHERE agent_id = $1', [`agent-${round}`]);
    const [totals] = await q(
      'SELECT (SELECT COUNT(*) FROM verdicts)::int AS verdicts, (SELECT COUNT(*) FROM ledger)::int AS ledger',
    );
    const seen = verdicts.map((v) => ({ decision: v.decision as string, ...JSON.parse(v.certificate as string) }));
    return { verdicts: seen, reservations: res!, orders: orders!.n, throttle: throttle!.n, totals: totals! };
  } finally {
    await c.end();
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** The invariants every round must leave, whatever happened to the processes. */
async function expectInvariants(round: string) {
  const db = await inspect(round);
  const n = db.verdicts.length;
  const allowed = db.verdicts.filter((v) => v.decision === 'ALLOW');
  const snap = await store.accountSnapshot(`acct-${round}`, 'BTC/USDT', NOW, 0);
  expect(allowed.length, 'every possible allowance was used, and no more').toBe(Math.min(LIMIT, n));
  expect(snap.daily_count, 'the daily count matches the allowed verdicts').toBe(allowed.length);
  expect(sorted(allowed.map((v) => v.daily)), 'each allowance saw a distinct count').toEqual(range(allowed.length));
  expect(sorted(db.verdicts.map((v) => v.minute)), 'the throttle counted every decision exactly').toEqual(range(n));
  expect(db.reservations.n, 'one reservation per allowance').toBe(allowed.length);
  expect(db.orders, 'one forwarded order per allowance').toBe(allowed.length);
  expect(db.throttle, 'one throttle mark per decision').toBe(n);
  expect(db.reservations.adds, 'reserved exposure stays within the cap').toBeLessThanOrEqual(CAP);
  expect(snap.gross_exposure).toBe(db.reservations.adds);
  expect(db.totals.ledger, 'one ledger record per decision').toBe(db.totals.verdicts);
  const chain = await verifyLedger(store, 500);
  expect(chain.ok, JSON.stringify(chain.problems)).toBe(true);
  expect(chain.seqs, 'a gapless sequence').toEqual(range(db.totals.ledger).map((i) => i + 1));
  return { n, allowed: allowed.length, adds: db.reservations.adds };
}

describe('PostgresStore with three processes on one account', () => {
  it('keeps the daily limit, exposure cap, throttle and ledger exact under a 3 × 30 storm', async () => {
    const workers = range(3).map((w) => spawnStormWorker(config('r1', w, 30)));
    // The three start together: each runs migrations on the empty database at the same moment.
    await Promise.all(workers.map((w) => w.ready));
    store = new PostgresStore({ url, hasher: nodeHasher, poolSize: 2 });
    for (const w of workers) w.go();
    const exits = await Promise.all(workers.map((w) => w.done));
    for (const e of exits) expect(e.code, e.stderr).toBe(0);
    expect(exits.reduce((s, e) => s + (e.result?.committed ?? 0), 0)).toBe(90);
    const r = await expectInvariants('r1');
    expect(r).toEqual({ n: 90, allowed: LIMIT, adds: CAP });
  });

  it('keeps them when one process is SIGKILLed in the middle of the storm', async () => {
    const workers = range(3).map((w) => spawnStormWorker(config('r2', w, 120, true)));
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const victim = workers[1]!;
    await victim.reached(10);
    victim.kill('SIGKILL');
    const exits = await Promise.all(workers.map((w) => w.done));
    expect(exits[1]!.signal).toBe('SIGKILL');
    expect(exits[0]!.code, exits[0]!.stderr).toBe(0);
    expect(exits[2]!.code, exits[2]!.stderr).toBe(0);
    const r = await expectInvariants('r2');
    expect(r.n, 'the victim died before finishing').toBeLessThan(360);
    expect(r.n).toBeGreaterThanOrEqual(240 + 10);
    expect(r.allowed).toBe(LIMIT);
    // Nothing the victim held is still locked: the account takes a decision at once.
    const after = await store.decide(
      {
        accountId: 'acct-r2',
        agentId: 'agent-r2',
        venue: 'paper',
        symbol: 'BTC/USDT',
        clientOrderId: null,
        orderKey: null,
        contentKey: null,
        dryRun: false,
        now: NOW,
        day: '2026-06-01',
        duplicateWindowMs: 0,
        initialEquity: 0,
      },
      (s) => ({
        verdictId: 'after-kill',
        decision: 'REJECT',
        certificateJson: JSON.stringify({ minute: s.throttle.last_minute }),
        reserve: null,
        breaker: 'none',
        approval: null,
        audit: null,
      }),
    );
    expect(after.replayed).toBe(false);
    expect(JSON.parse(after.certificateJson).minute).toBe(r.n);
  });
});
