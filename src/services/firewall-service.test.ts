import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeEd25519Verify } from '../adapters/crypto/node-signer.js';
import { Harness } from '../app/redteam/harness.js';
import { utcDay } from './firewall-service.js';

describe('utcDay (the day the daily counters and loss limit use)', () => {
  it('is the UTC date of the time, however the times jump around days (property)', () => {
    const day = 86_400_000;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5 * day, max: 200_000 * day }), { maxLength: 50 }),
        fc.array(fc.integer({ min: -2, max: 2 }), { maxLength: 50 }),
        (times, nudges) => {
          // Edges of days (±1 ms, ±0) as well as arbitrary instants, in any order.
          const all = times.flatMap((t, i) => [t, t - (t % day) + (nudges[i] ?? 0)]);
          for (const t of all) expect(utcDay(t)).toBe(new Date(t).toISOString().slice(0, 10));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('FirewallService under concurrent callers', () => {
  it('signs on the second thread, groups commits, and still gives one verifiable record per verdict', async () => {
    const h = new Harness({
      threadedSigning: true,
      mandate: (m) => ({
        ...m,
        arbiter: { ...m.arbiter, throttle: { per_second: 1e5, per_minute: 6e6 }, duplicate_window_ms: 0 },
      }),
    });
    try {
      // Rounds of 40 callers in flight; every fourth one repeats the client order id of the one before it, in
      // the same group commit, so a replay of a verdict whose ledger record is not written yet is exercised too.
      const results = [];
      for (let round = 0; round < 10; round++) {
        h.clock.advance(1_000);
        const batch = Array.from({ length: 40 }, (_, i) => {
          const coid = `r${round}-${i % 4 === 3 ? i - 1 : i}`;
          return h.vet(
            { symbol: 'BTC/USDT', side: 'buy', notional: 50 + i, client_order_id: coid },
            { agent: `a${i % 5}` },
          );
        });
        results.push(...(await Promise.all(batch)));
      }
      expect(h.threaded?.threaded, 'signatures were made on the signing thread').toBe(true);
      const fresh = results.filter((r) => !r.replayed);
      const replays = results.filter((r) => r.replayed);
      expect(fresh).toHaveLength(300);
      expect(replays).toHaveLength(100);
      for (const r of results) {
        expect((await h.verify(r.certificate)).ok).toBe(true);
        expect(JSON.parse(r.certificateJson)).toEqual(JSON.parse(JSON.stringify(r.certificate)));
      }
      const byId = new Map(fresh.map((r) => [r.certificate.payload.id, r.certificateJson]));
      for (const r of replays)
        expect(r.certificateJson, 'a replay returns the stored bytes').toBe(byId.get(r.certificate.payload.id));
      const head = await h.store.ledgerHead();
      expect(head.count).toBe(300);
      const report = await h.firewall.ledger.verify(h.signer.publicKey, h.signer.keyId, nodeEd25519Verify);
      expect(report.ok).toBe(true);
      for (const [id, json] of byId) expect(await h.store.verdict(id)).toBe(json);
    } finally {
      await h.close();
    }
  });
});
