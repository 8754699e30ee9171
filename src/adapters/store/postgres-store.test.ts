import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buy, scope, storeContract, verifyLedger, write } from '../../../test/contract/store-contract.js';
import { type EmbeddedPg, startPostgres } from '../../../test/support/embedded-pg.js';
import { nodeHasher } from '../crypto/node-signer.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';
import { migratePostgres, PostgresStore } from './postgres-store.js';

let server: EmbeddedPg;
let databases = 0;
const freshDatabase = () => server.createDatabase(`arbiter_${++databases}`);

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

storeContract('postgres', async () => {
  const store = new PostgresStore({ url: await freshDatabase(), hasher: nodeHasher });
  return { store, cleanup: () => store.close() };
});

describe('PostgresStore across instances', () => {
  it('migrates once when several instances start at the same moment', async () => {
    const url = await freshDatabase();
    const stores = Array.from({ length: 4 }, () => new PostgresStore({ url, hasher: nodeHasher, poolSize: 2 }));
    try {
      await Promise.all(stores.map((s) => s.init()));
      expect(await migratePostgres(url), 'nothing left to apply').toEqual({
        applied: 0,
        version: POSTGRES_MIGRATIONS.length,
      });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('reports what migratePostgres applied to an empty database', async () => {
    const url = await freshDatabase();
    expect(await migratePostgres(url)).toEqual({
      applied: POSTGRES_MIGRATIONS.length,
      version: POSTGRES_MIGRATIONS.length,
    });
    expect(await migratePostgres(url)).toEqual({ applied: 0, version: POSTGRES_MIGRATIONS.length });
  });

  it('holds a daily limit, a client order id and the ledger chain across two instances on one account', async () => {
    const url = await freshDatabase();
    const [a, b] = [0, 1].map(() => new PostgresStore({ url, hasher: nodeHasher, poolSize: 4 })) as [
      PostgresStore,
      PostgresStore,
    ];
    try {
      await a.init();
      await b.init();
      const outs = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? a : b).decide(scope({ now: scope().now + i }), (s) =>
            s.account.daily_count < 7 ? write(`v${i}`, { reserve: buy(100) }) : write(`v${i}`, { decision: 'REJECT' }),
          ),
        ),
      );
      expect(outs.filter((o) => o.decision === 'ALLOW')).toHaveLength(7);
      const same = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? a : b).decide(scope({ clientOrderId: 'one' }), () => write(`c${i}`)),
        ),
      );
      expect(same.filter((o) => !o.replayed)).toHaveLength(1);
      expect(new Set(same.map((o) => o.verdictId)).size).toBe(1);
      const snap = await b.accountSnapshot('acct-1', 'BTC/USDT', scope().now, 0);
      expect(snap).toMatchObject({ daily_count: 7, gross_exposure: 700 });
      const chain = await verifyLedger(a);
      expect(chain.ok, JSON.stringify(chain.problems)).toBe(true);
      expect(chain.count).toBe(31);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
