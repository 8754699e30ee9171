import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buy,
  scope as contractScope,
  storeContract,
  verifyLedger,
  write,
} from '../../../test/contract/store-contract.js';
import type { DecideState } from '../../ports/store.js';
import { nodeHasher } from '../crypto/node-signer.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';
import { SqliteStore } from './sqlite-store.js';

storeContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'arbiter-sqlite-'));
  const store = new SqliteStore({ path: join(dir, 'arbiter.db'), hasher: nodeHasher });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite migrations', () => {
  it('moves a v3 database to v4 without losing a certificate, an audit row or a throttle count', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arbiter-sqlite-v3-'));
    const path = join(dir, 'arbiter.db');
    const old = new Database(path);
    old.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    for (let v = 0; v < 3; v++) {
      old.exec(SQLITE_MIGRATIONS[v]!);
      old.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
    }
    const now = Date.now();
    old
      .prepare(
        "INSERT INTO verdicts (verdict_id, account_id, agent_id, client_order_id, content_key, decision, passed, ts, certificate) VALUES ('v-old', 'main', 'alice', 'c-1', 'k', 'ALLOW', 1, ?, '{\"old\":true}')",
      )
      .run(now);
    old.prepare("INSERT INTO throttle (agent_id, ts) VALUES ('alice', ?)").run(now);
    old
      .prepare("INSERT INTO audit (audit_id, ts, kind, agent_id, body) VALUES ('au-old', ?, 'vet', 'alice', '{}')")
      .run(new Date(now).toISOString());
    old.close();

    const store = new SqliteStore({ path, hasher: nodeHasher });
    try {
      expect(await store.verdict('v-old')).toBe('{"old":true}');
      const scope = contractScope({
        accountId: 'main',
        agentId: 'alice',
        clientOrderId: 'c-1',
        now: now + 1,
        day: new Date(now).toISOString().slice(0, 10),
        initialEquity: 1000,
      });
      const replay = await store.decide(scope, () => {
        throw new Error('a known client order id must replay, not decide');
      });
      expect(replay).toMatchObject({ replayed: true, verdictId: 'v-old', certificateJson: '{"old":true}' });
      let lastSecond = -1;
      await store.decide({ ...scope, clientOrderId: null }, (s) => {
        lastSecond = s.throttle.last_second;
        return write('v-new', { decision: 'REJECT', certificateJson: '{"new":true}' });
      });
      expect(lastSecond, 'the v3 throttle row still counts').toBe(1);
      expect(await store.verdict('v-new'), 'new certificates are read from the ledger').toBe('{"new":true}');
      expect((await store.audit({ limit: 5 })).map((r) => r.audit_id)).toEqual(['au-old']);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sqlite background checkpoints', () => {
  it('moves WAL pages into the database file from a worker once the store is busy, and stops with the store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arbiter-sqlite-ckpt-'));
    const path = join(dir, 'arbiter.db');
    const store = new SqliteStore({ path, hasher: nodeHasher });
    const body = 'x'.repeat(2_000);
    const size = () => statSync(path).size;
    try {
      const before = size();
      for (let i = 0; i < 700; i++)
        await store.decide(contractScope({ now: 1_780_000_000_000 + i }), () =>
          write(`v${i}`, { decision: 'REJECT', certificateJson: body }),
        );
      expect(store.backgroundCheckpoints).toBe(true);
      // The writer's own auto-checkpoint is off by now; only the worker can grow the main file.
      let grown = false;
      for (let t = 0; t < 100 && !grown; t++) {
        await new Promise((r) => setTimeout(r, 20));
        grown = size() > before + 700 * 1_000;
      }
      expect(grown, 'ledger pages reached the database file').toBe(true);
    } finally {
      await store.close();
    }
    const reopened = new SqliteStore({ path, hasher: nodeHasher });
    expect((await reopened.ledgerHead()).count).toBe(700);
    await reopened.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('sqlite decide with the account view in its scope', () => {
  const position = fc.record({
    symbol: fc.constantFrom('BTC/USDT', 'ETH/USDT', 'BTC/USDT:USDT'),
    qty: fc.oneof(fc.constant(0), fc.double({ min: -5, max: 5, noNaN: true })),
    avgPrice: fc.double({ min: 1, max: 100_000, noNaN: true }),
    mark: fc.double({ min: 1, max: 100_000, noNaN: true }),
  });
  const step = fc.record({
    account: fc.constantFrom('acct-1', 'acct-2'),
    sync: fc.option(
      fc.record({
        asOf: fc.constant(null),
        equity: fc.double({ min: 1, max: 50_000, noNaN: true }),
        positions: fc.uniqueArray(position, { selector: (p) => p.symbol, maxLength: 3 }),
      }),
    ),
    advanceMs: fc.integer({ min: 0, max: 2 * 86_400_000 }),
    reserve: fc.boolean(),
    decision: fc.constantFrom('ALLOW', 'REJECT'),
  });

  it('sees and stores exactly what applyView and then decide do, grouped or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const apart = new SqliteStore({ path: ':memory:', hasher: nodeHasher });
        const together = new SqliteStore({ path: ':memory:', hasher: nodeHasher, groupCommit: false });
        try {
          let now = 1_780_000_000_000;
          for (const [i, s] of steps.entries()) {
            now += s.advanceMs;
            const base = contractScope({
              accountId: s.account,
              now,
              day: new Date(now).toISOString().slice(0, 10),
              symbol: 'BTC/USDT',
            });
            const w = write(`v${i}`, {
              decision: s.decision,
              reserve: s.reserve && s.decision === 'ALLOW' ? buy(100) : null,
            });
            const seen: DecideState[] = [];
            if (s.sync) await apart.applyView(s.account, s.sync, now);
            const a = await apart.decide(base, (st) => {
              seen.push(st);
              return w;
            });
            const b = await together.decide({ ...base, view: s.sync }, (st) => {
              seen.push(st);
              return w;
            });
            expect(seen[1]).toEqual(seen[0]);
            expect(b).toEqual(a);
          }
          expect(await together.ledgerHead()).toEqual(await apart.ledgerHead());
          for (const acct of ['acct-1', 'acct-2'])
            for (const sym of ['BTC/USDT', 'ETH/USDT', null])
              expect(await together.accountSnapshot(acct, sym, now, 1)).toEqual(
                await apart.accountSnapshot(acct, sym, now, 1),
              );
        } finally {
          await apart.close();
          await together.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('sqlite without group commit', () => {
  it('commits each decision when it is asked for; with group commit the decision waits for the turn', async () => {
    for (const groupCommit of [true, false]) {
      const store = new SqliteStore({ path: ':memory:', hasher: nodeHasher, groupCommit });
      try {
        const decided = store.decide(contractScope(), () => write('v1'));
        const head = await store.ledgerHead(); // read when asked, before the event loop turns
        expect(head.count).toBe(groupCommit ? 0 : 1);
        expect(await decided).toMatchObject({ replayed: false, verdictId: 'v1', seq: 1 });
        const both = await Promise.all([
          store.decide(contractScope({ now: 1_780_000_000_001 }), () => write('v2', { reserve: buy(100) })),
          store.decide(contractScope({ now: 1_780_000_000_002 }), (s) => {
            expect(s.account.gross_exposure, 'the decision before it is committed and seen').toBe(100);
            return write('v3');
          }),
        ]);
        expect(both.map((o) => (o.replayed ? 0 : o.seq))).toEqual([2, 3]);
      } finally {
        await store.close();
      }
    }
  });
});

describe('sqlite group commit and the ledger', () => {
  const decision = fc.record({
    agent: fc.constantFrom('a1', 'a2', 'a3'),
    coid: fc.option(fc.constantFrom('c1', 'c2', 'c3'), { nil: null }),
    fails: fc.boolean(),
    reserve: fc.boolean(),
    sync: fc.boolean(),
  });

  it('points every verdict row at its own ledger record, chained in decision order, whatever the groups hold', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(decision, { minLength: 1, maxLength: 5 }), { maxLength: 6 }),
        async (groups) => {
          const store = new SqliteStore({ path: ':memory:', hasher: nodeHasher });
          try {
            const committed = new Map<string, string>();
            let n = 0;
            let now = 1_780_000_000_000;
            for (const group of groups) {
              now += 1_000;
              const outs = await Promise.allSettled(
                group.map((d) => {
                  const id = `v${++n}`;
                  const cert = JSON.stringify({ id, pad: 'x'.repeat(n % 7) });
                  return store.decide(
                    contractScope({
                      accountId: `acct-${d.agent}`,
                      agentId: d.agent,
                      clientOrderId: d.coid,
                      now,
                      view: d.sync ? { asOf: null, equity: 9_000 + n, positions: [] } : null,
                    }),
                    () => {
                      if (d.fails) throw new Error(`decision ${id} fails`);
                      return write(id, {
                        certificateJson: cert,
                        reserve: d.reserve ? buy(10) : null,
                      });
                    },
                  );
                }),
              );
              for (const [i, o] of outs.entries()) {
                const d = group[i]!;
                if (o.status === 'rejected') {
                  expect(d.fails, String(o.reason)).toBe(true);
                  continue;
                }
                if (o.value.replayed) {
                  expect(committed.get(o.value.verdictId)).toBe(o.value.certificateJson);
                  continue;
                }
                committed.set(o.value.verdictId, o.value.certificateJson);
                const [rec] = await store.ledgerRange(o.value.seq ?? 0, 1);
                expect(rec).toMatchObject({ kind: 'verdict', ref: o.value.verdictId, body: o.value.certificateJson });
              }
            }
            const v = await verifyLedger(store);
            expect(v.ok, JSON.stringify(v.problems)).toBe(true);
            expect(v.seqs).toEqual(v.seqs.map((_, i) => i + 1));
            expect(v.count).toBe(committed.size);
            for (const [id, cert] of committed) expect(await store.verdict(id)).toBe(cert);
            for (let i = 1; i <= n; i++) if (!committed.has(`v${i}`)) expect(await store.verdict(`v${i}`)).toBeNull();
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
