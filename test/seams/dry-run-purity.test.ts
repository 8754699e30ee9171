import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { cliDoor, http, type Intent } from './support/doors.js';
import { addAgent, type Home, makeHome } from './support/homes.js';
import { cleanUpAfterAll } from './support/lifecycle.js';
import { startServe, waitFor } from './support/processes.js';
import { buyArgs, cliVet } from './support/race.js';
import { captureRoot, differences, RECONCILER_CELLS } from './support/root-state.js';

/**
 * Case 7 of issue 12: a dry run (`arbiter vet`, `POST /v1/vet`) changes nothing — no reservation, count, throttle,
 * duplicate key, client-order-id binding, ledger record or audit row. Every table of the SQLite store (read-only,
 * every row in a fixed order) and every file of the runtime root are compared before and after a burst of them.
 */
cleanUpAfterAll();

/** A mixed burst: plain, with a client order id, another symbol, a reduction, one over the per-order cap. */
const BURST: readonly Intent[] = [
  { symbol: 'BTC/USDT', side: 'buy', notional: 50 },
  { symbol: 'BTC/USDT', side: 'buy', notional: 51, client_order_id: 'dry-run-1' },
  { symbol: 'ETH/USDT', side: 'buy', notional: 60 },
  { symbol: 'BTC/USDT', side: 'sell', quantity: 0.0002 },
  { symbol: 'BTC/USDT', side: 'buy', notional: 900 },
  { symbol: 'SOL/USDT', side: 'buy', notional: 70, client_order_id: 'dry-run-2' },
];

it('leaves every table and runtime-root file unchanged after a burst of CLI dry runs', async () => {
  const home = await makeHome('sqlite');
  // Something to change: an account with a position, a ledger, a trade counter, an audit log.
  const seed = await cliVet(home, buyArgs('seed', 'BTC/USDT', 100, '--execute'));
  expect(seed.execution?.order?.status, `setup: the seed order was not filled: ${seed.stderr}`).toBe('filled');
  const before = captureRoot(home);
  const vets = await Promise.all(BURST.map((i, n) => cliDoor(home, `dry-${n}`).vet(i)));
  const after = captureRoot(home);
  expect(
    vets.filter((v) => v.decision === null).map((v) => v.raw),
    'every dry run printed a verdict',
  ).toEqual([]);
  expect(differences(before, after), `${vets.length} CLI dry runs changed the installation`).toEqual([]);
}, 180_000);

/** When `serve` last synced account `main` with the venue (its reconciler does so every 2 s). */
function syncedAt(home: Home): number | undefined {
  const db = new Database(new RuntimeLayout(home.dir).database(), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT synced_at FROM accounts WHERE account_id = 'main'").get() as
      | { synced_at: number | null }
      | undefined;
    return row?.synced_at ?? undefined;
  } finally {
    db.close();
  }
}

it('leaves every table and runtime-root file unchanged after a burst of dry runs over HTTP (POST /v1/vet)', async () => {
  const home = await makeHome('sqlite');
  const tokens = await Promise.all(BURST.map((_, n) => addAgent(home, `dry-http-${n}`)));
  const serve = await startServe(home.env());
  const tick = async (after: number) =>
    waitFor('a reconcile tick of serve', async () => {
      const t = syncedAt(home);
      return t !== undefined && t > after ? t : undefined;
    });
  // Control: with no request at all, only the reconciler's own cells may change across a tick.
  const t0 = await tick(0);
  const idle0 = captureRoot(home, RECONCILER_CELLS);
  await tick(t0);
  const idle1 = captureRoot(home, RECONCILER_CELLS);
  expect(differences(idle0, idle1), 'the installation changed with no request at all (control)').toEqual([]);

  const before = captureRoot(home, RECONCILER_CELLS);
  const answers = await Promise.all(BURST.map((i, n) => http(serve, 'POST', '/v1/vet', tokens[n]!, i)));
  const after = captureRoot(home, RECONCILER_CELLS);
  expect(
    answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.text.slice(0, 200)}`),
    'every dry run got a verdict',
  ).toEqual([]);
  expect(differences(before, after), `${answers.length} dry runs over HTTP changed the installation`).toEqual([]);
}, 180_000);
