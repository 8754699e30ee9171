import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { ManualClock } from '../../src/adapters/market-data/manual-clock.js';
import { syntheticOutcomeMarketAt } from '../../src/adapters/market-data/prediction-market-data.js';
import { createSyntheticMarketData } from '../../src/adapters/market-data/synthetic-market-data.js';
import { PostgresStore } from '../../src/adapters/store/postgres-store.js';
import { PaperVenue } from '../../src/adapters/venues/paper/paper-venue.js';
import type { OutcomeSettlement } from '../../src/core/prediction/paper-outcomes.js';
import { recordSettlements } from '../../src/services/settlement-records.js';
import { type EmbeddedPg, startPostgres } from '../support/embedded-pg.js';

const HOUR = 3_600_000;
const K0 = 4990 * 100 * HOUR;
const RESOLVES = K0 + 200 * HOUR;

/** One "process": its own connection pool to the shared database and its own paper venue over it. */
async function instance(url: string, clock: ManualClock) {
  const store = new PostgresStore({ url, hasher: nodeHasher, poolSize: 2 });
  await store.init();
  const settled: OutcomeSettlement[] = [];
  // The recorder the server runs; the venue may hand it a settlement again until it has cleared it as recorded.
  const onSettled = async (s: readonly OutcomeSettlement[]) => {
    settled.push(...s);
    await recordSettlements(store, nodeHasher, { write: () => undefined }, 'paper', s);
  };
  const venue = new PaperVenue({
    store,
    market: createSyntheticMarketData({ clock, seed: 5 }),
    outcomes: { now: () => clock.now(), at: syntheticOutcomeMarketAt, onSettled },
  });
  return { store, venue, settled };
}

describe('settlement on PostgreSQL with several instances on one database', () => {
  let pg: EmbeddedPg;
  let url: string;
  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('arbiter');
  }, 120_000);
  afterAll(async () => pg?.stop());

  it('pays each holding exactly once, whichever instance reads the account first after resolution', async () => {
    const clock = new ManualClock(K0 + 10 * HOUR);
    const instances = [await instance(url, clock), await instance(url, clock), await instance(url, clock)];
    const [a] = instances;
    for (const [i, account] of ['p1', 'p2'].entries()) {
      await a!.venue.placeOrder({
        accountId: account,
        clientOrderId: `buy-${i}`,
        symbol: 'SYN4990-M2-YES/USDC',
        side: 'buy',
        type: 'market',
        quantity: 25,
        limitPrice: null,
        timeInForce: 'IOC',
        reduceOnly: false,
        leverage: null,
      });
    }
    const cash = (await a!.venue.balance('p1')).free;
    clock.set(RESOLVES + HOUR);
    // Every instance reads both accounts at once, several times over: one of them settles each account.
    const reads: Promise<unknown>[] = [];
    for (let r = 0; r < 5; r++)
      for (const x of instances) reads.push(x.venue.balance('p1'), x.venue.tick(), x.venue.positions('p2'));
    await Promise.all(reads);
    const all = instances.flatMap((x) => x.settled);
    expect([...new Set(all.map((s) => s.accountId))].sort()).toEqual(['p1', 'p2']);
    // Each settlement is recorded once in the ledger and the audit log, whichever instances handed it over.
    const records = (await a!.store.ledgerRange(1, -1)).filter((r) => r.kind === 'prediction_settlement');
    expect(records.map((r) => r.ref).sort()).toEqual(['p1', 'p2']);
    expect(await a!.store.audit({ kind: 'prediction_settlement', limit: -1 })).toHaveLength(2);
    const won = syntheticOutcomeMarketAt('SYN4990-M2', clock.now())!.market.outcome === 'YES';
    for (const x of instances) expect((await x.venue.balance('p1')).free).toBeCloseTo(cash + (won ? 25 : 0), 9);
    for (const x of instances) await x.store.close();
  }, 60_000);
});
