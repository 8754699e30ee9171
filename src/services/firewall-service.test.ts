import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeEd25519Verify } from '../adapters/crypto/node-signer.js';
import type { FileAuditSink } from '../adapters/system/file-audit.js';
import { Harness } from '../app/redteam/harness.js';
import { RestingVenue } from '../app/redteam/resting-venue.js';
import { pythonDumps } from '../core/audit/python-json.js';
import type { AuditRecord } from '../core/audit/record.js';
import { redact } from '../core/audit/redact.js';
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

describe('FirewallService audit records', () => {
  it('stores and mirrors the same redacted text, verdicts and forwarded orders alike, secrets masked', async () => {
    const h = new Harness({ venue: ({ clock }) => new RestingVenue(() => clock.now()) });
    const secrets = ['sk-abcdefghijklmnop', 'Bearer abcdefgh12345678'];
    try {
      const intents: [unknown, string, boolean][] = [
        [{ symbol: 'BTC/USDT', side: 'buy', notional: 50 }, 'alice', true],
        [{ symbol: 'BTC/USDT', side: 'buy', notional: 60, client_order_id: 'Bearer abcdefgh12345678' }, 'bob', true],
        [{ symbol: 'BTC/USDT', side: 'buy', notional: 70, api_key: 'k-123456789' }, 'sk-abcdefghijklmnop', false],
        [{ symbol: 'NOPE', side: 'buy', notional: 80 }, 'carol', true],
        [{ symbol: 'ETH/USDT', side: 'sell', quantity: 1e9 }, 'sk-abcdefghijklmnop', true],
      ];
      for (const [intent, agent, execute] of intents) {
        h.clock.advance(5_000);
        await h.vet(intent, { agent, execute });
      }
      const rows = [...(await h.store.audit({ limit: 100 }))].reverse();
      await (h.deps.audit as FileAuditSink).flushed();
      const lines = readFileSync(h.layout.audit(), 'utf8').trim().split('\n');
      expect(rows.length).toBeGreaterThanOrEqual(intents.length);
      // The file holds the live actions (not dry runs), each line as Vibe-Trading's json.dumps writes it.
      expect(lines).toEqual(rows.filter((r) => r.kind !== 'vet').map((r) => pythonDumps(JSON.parse(r.body))));
      for (const r of rows) {
        const record = JSON.parse(r.body) as AuditRecord;
        expect(r.body, 'the body is the redacted record').toBe(JSON.stringify(redact(record)));
        expect([r.audit_id, r.ts, r.kind]).toEqual([record.audit_id, record.ts, record.kind]);
        for (const s of secrets) expect(r.body).not.toContain(s.slice(-10));
      }
      expect(rows.map((r) => r.kind)).toContain('order_placed');
      expect(rows.map((r) => r.kind)).toContain('vet');
    } finally {
      await h.close();
    }
  });
});
