import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeEd25519Verify } from '../adapters/crypto/node-signer.js';
import type { FileAuditSink } from '../adapters/system/file-audit.js';
import { Harness } from '../app/redteam/harness.js';
import { RestingVenue } from '../app/redteam/resting-venue.js';
import { pythonDumps } from '../core/audit/python-json.js';
import type { AuditRecord } from '../core/audit/record.js';
import { redact } from '../core/audit/redact.js';
import { VenueError, type VenueOrder, type VenueOrderRequest } from '../ports/venue.js';
import { FirewallService, utcDay } from './firewall-service.js';

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

describe('slow market reads and the quote', () => {
  /**
   * A process's first market read can build its market data (the synthetic market grows its bars up to now): with
   * 50 `arbiter vet --execute` processes at once it took 3–4 s, inside the order lock, and it counted against the
   * reference quote's age (1 racer of 50 refused QUOTE_STALE in some full-scale seams runs).
   */
  function slowReads(h: Harness, ms: number, events: string[]): void {
    const { market, clock } = h;
    const instrument = market.instrument.bind(market);
    const windowHigh = market.windowHigh.bind(market);
    const quote = market.quote.bind(market);
    market.instrument = async (s) => {
      events.push('instrument');
      clock.advance(ms);
      return instrument(s);
    };
    market.windowHigh = async (s, w) => {
      clock.advance(ms);
      return windowHigh(s, w);
    };
    market.quote = async (s) => {
      events.push('quote');
      return quote(s);
    };
  }

  it('judges the quote at the age it had when read, after every other read, however slow they are', async () => {
    const h = new Harness({ venue: ({ clock }) => new RestingVenue(() => clock.now()) });
    try {
      const events: string[] = [];
      // 2 × 3 s of other reads after a quote read first would make it 6 s old at the verdict (max_quote_age 5 s).
      slowReads(h, 3_000, events);
      const r = await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 100 }, { agent: 'a', execute: true });
      expect(r.certificate.payload.reasons).toEqual([]);
      expect(r.certificate.payload.decision).toBe('ALLOW');
      expect(new Date(r.certificate.payload.context.quote?.ts ?? 0).toISOString()).toBe(
        r.certificate.payload.issued_at,
      );
      expect(events.at(-1), 'the quote is the last market read').toBe('quote');
    } finally {
      await h.close();
    }
  });

  it('reads the instrument once before queueing for the order lock, so no queued order waits for that build', async () => {
    const h = new Harness({ venue: ({ clock }) => new RestingVenue(() => clock.now()) });
    try {
      const events: string[] = [];
      slowReads(h, 1, events);
      const counter = h.deps.counter;
      const firewall = new FirewallService({
        ...h.deps,
        counter: {
          read: (b, d) => counter.read(b, d),
          write: (b, d, c) => counter.write(b, d, c),
          withOrderLock: (b, fn) => {
            events.push('lock');
            return counter.withOrderLock(b, fn);
          },
        },
      });
      const session = { agentId: 'a', accountId: 'acct', venue: 'paper', sessionId: 's' };
      const order = { symbol: 'BTC/USDT', side: 'buy', notional: 100 };
      await firewall.vet(order, session, { execute: true });
      expect(events).toEqual(['instrument', 'lock', 'instrument', 'quote']);
      events.length = 0;
      await firewall.vet({ ...order, notional: 101 }, session, { execute: false });
      expect(events, 'a dry run takes no lock and reads once').toEqual(['instrument', 'quote']);
    } finally {
      await h.close();
    }
  });
});

describe('FirewallService under concurrent callers', () => {
  it('groups commits and still gives one verifiable record per verdict, replays included', async () => {
    const h = new Harness({
      venue: ({ clock }) => new RestingVenue(() => clock.now()),
      mandate: (m) => ({
        ...m,
        hard_caps: { ...m.hard_caps, max_leverage: 10, max_total_exposure_usd: 1e9, max_trades_per_day: 1e6 },
        arbiter: { ...m.arbiter, throttle: { per_second: 1e5, per_minute: 6e6 }, duplicate_window_ms: 0 },
      }),
    });
    try {
      // Rounds of 40 callers in flight; every fourth one repeats the client order id (and the order) of the one
      // before it, in the same group commit, so a replay of a verdict decided in the same commit is exercised.
      const results = [];
      for (let round = 0; round < 10; round++) {
        h.clock.advance(1_000);
        const batch = Array.from({ length: 40 }, (_, i) => {
          const j = i % 4 === 3 ? i - 1 : i;
          return h.vet(
            { symbol: 'BTC/USDT', side: 'buy', notional: 50 + j, client_order_id: `r${round}-${j}` },
            { agent: `a${j % 5}`, execute: true },
          );
        });
        results.push(...(await Promise.all(batch)));
      }
      const fresh = results.filter((r) => !r.replayed);
      const replays = results.filter((r) => r.replayed);
      expect(fresh).toHaveLength(300);
      expect(replays).toHaveLength(100);
      for (const r of results) {
        expect((await h.verify(r.certificate)).ok).toBe(true);
        expect(JSON.parse(r.certificateJson)).toEqual(JSON.parse(JSON.stringify(r.certificate)));
      }
      const byId = new Map(fresh.map((r) => [r.certificate.payload.id, r]));
      for (const r of replays) {
        const first = byId.get(r.certificate.payload.id);
        expect(r.certificateJson, 'a replay returns the stored bytes').toBe(first?.certificateJson);
        expect(r.order?.orderId, 'and the original order').toBe(first?.order?.orderId);
      }
      const records = await h.store.ledgerRange(1, 10_000);
      expect(records.filter((x) => x.kind === 'verdict')).toHaveLength(300);
      expect(records.filter((x) => x.kind === 'order_outcome')).toHaveLength(300);
      const report = await h.firewall.ledger.verify(h.signer.publicKey, h.signer.keyId, nodeEd25519Verify);
      expect(report.ok).toBe(true);
      for (const [id, r] of byId) expect(await h.store.verdict(id)).toBe(r.certificateJson);
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
        [{ symbol: 'BTC/USDT', side: 'buy', notional: 70, api_key: 'k-123456789' }, 'sk-abcdefghijklmnop', true],
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
      expect(
        rows.map((r) => r.kind),
        'a refused order is recorded too',
      ).toEqual(expect.arrayContaining([expect.stringMatching(/^(breach|order_rejected)$/)]));
      const before = rows.length;
      await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 90 }, { agent: 'dora' });
      expect((await h.store.audit({ limit: 100 })).length, 'a dry run writes no audit row').toBe(before);
    } finally {
      await h.close();
    }
  });
});

/** Every table of the harness's SQLite file, rows in a stable order: what "the store" is. */
function dump(h: Harness): string {
  const db = new Database(join(h.dir, 'arbiter.db'), { readonly: true });
  try {
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((t) => t.name);
    return JSON.stringify(
      tables.map((t) => [
        t,
        db
          .prepare(`SELECT * FROM "${t}"`)
          .all()
          .map((r) => JSON.stringify(r))
          .sort(),
      ]),
    );
  } finally {
    db.close();
  }
}

describe('dry runs', () => {
  it('leave the store and the runtime root unchanged, whatever came before them (property)', async () => {
    const action = fc.record({
      execute: fc.boolean(),
      side: fc.constantFrom('buy', 'sell'),
      notional: fc.integer({ min: 10, max: 900 }),
      coid: fc.option(fc.constantFrom('k1', 'k2'), { nil: undefined }),
      agent: fc.constantFrom('ann', 'ben'),
      advance: fc.integer({ min: 0, max: 4_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 10 }), async (actions) => {
        const h = new Harness({ venue: ({ clock }) => new RestingVenue(() => clock.now()) });
        try {
          for (const a of actions) {
            h.clock.advance(a.advance);
            const intent = {
              symbol: 'BTC/USDT',
              side: a.side,
              notional: a.notional,
              ...(a.coid ? { client_order_id: a.coid } : {}),
            };
            const audit = h.deps.audit as FileAuditSink;
            await audit.flushed();
            const before = [dump(h), readdirTree(h.dir)];
            const r = await h.vet(intent, { agent: a.agent, execute: a.execute });
            await audit.flushed();
            if (!a.execute) {
              expect([dump(h), readdirTree(h.dir)], 'a dry run changed the store or the runtime root').toEqual(before);
              if (!r.replayed) expect(r.certificate.payload.dry_run).toBe(true);
            }
          }
        } finally {
          await h.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});

/** The runtime root's files (database files aside) and their contents. */
function readdirTree(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.startsWith('arbiter.db')) out.push(`${p}=${readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir);
  return out.sort().join('\n');
}

/** A venue whose placeOrder times out (after taking the order, or not) and whose lookups can fail. */
class FlakyVenue extends RestingVenue {
  takeOrders = true;
  lookupFails = true;
  override async placeOrder(req: VenueOrderRequest): Promise<VenueOrder> {
    if (this.takeOrders) await super.placeOrder(req);
    throw new VenueError('TIMEOUT', 'no answer within 10 s');
  }
  override async orderByClientId(a: string, coid: string): Promise<VenueOrder | null> {
    if (this.lookupFails) throw new VenueError('EXCHANGE_DOWN', 'unreachable');
    return super.orderByClientId(a, coid);
  }
  override async accountSnapshot(a: string, coids: readonly string[]) {
    if (this.lookupFails) throw new VenueError('EXCHANGE_DOWN', 'unreachable');
    return super.accountSnapshot(a, coids);
  }
}

describe('orders whose fate the venue has not told', () => {
  it('stay unknown with their reservation and count after a timeout and a failed lookup, until the venue answers', async () => {
    let venue: FlakyVenue | null = null;
    const h = new Harness({
      venue: ({ clock }) => {
        venue = new FlakyVenue(() => clock.now());
        return venue;
      },
    });
    try {
      const v = venue as unknown as FlakyVenue;
      const r = await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 400 }, { execute: true, agent: 'ann' });
      expect(r.orderState).toBe('unknown');
      expect(r.orderError?.code).toBe('TIMEOUT');
      let snap = await h.store.accountSnapshot('acct', null, h.clock.now(), 0);
      expect(snap.gross_exposure, 'the reservation is kept').toBeGreaterThan(390);
      expect(snap.daily_count, 'and the trade stays counted').toBe(1);
      // The recovery asks again while the venue is unreachable: nothing changes.
      h.clock.advance(60_000);
      expect(await h.firewall.forwarder.recover('acct', 'paper', v, 30_000)).toBe(0);
      expect((await h.store.unresolvedOrders('acct', h.clock.now()))[0]?.status).toBe('unknown');
      // The venue answers: it has the order (it took it before timing out).
      v.lookupFails = false;
      expect(await h.firewall.forwarder.recover('acct', 'paper', v, 30_000)).toBe(1);
      expect(await h.store.unresolvedOrders('acct', h.clock.now())).toEqual([]);
      const order = await h.store.orderForVerdict(r.certificate.payload.id);
      expect(order?.status).toBe('open');
      snap = await h.store.accountSnapshot('acct', null, h.clock.now(), 0);
      expect(snap.daily_count).toBe(1);
      const rows = (await h.store.audit({ limit: 10 })).filter((x) => x.body.includes(r.certificate.payload.id));
      expect(rows, 'one audit row for the verdict, written when it became unknown').toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('end as never placed when the venue, asked after the send deadline, has never seen them', async () => {
    let venue: FlakyVenue | null = null;
    const h = new Harness({
      venue: ({ clock }) => {
        venue = new FlakyVenue(() => clock.now());
        venue.takeOrders = false;
        return venue;
      },
    });
    try {
      const v = venue as unknown as FlakyVenue;
      const r = await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 400 }, { execute: true, agent: 'ann' });
      expect(r.orderState).toBe('unknown');
      v.lookupFails = false;
      h.clock.advance(60_000);
      expect(await h.firewall.forwarder.recover('acct', 'paper', v, 30_000)).toBe(1);
      const snap = await h.store.accountSnapshot('acct', null, h.clock.now(), 0);
      expect(snap.gross_exposure).toBe(0);
      expect(snap.daily_count).toBe(0);
      expect((await h.store.orderForVerdict(r.certificate.payload.id))?.status).toBe('rejected_by_venue');
    } finally {
      await h.close();
    }
  });
});

describe('the kill switch and an order already decided', () => {
  it('does not send an order that adds exposure when a halt came between its verdict and its sending', async () => {
    let venue: RestingVenue | null = null;
    const h = new Harness({
      venue: ({ clock }) => {
        venue = new RestingVenue(() => clock.now());
        return venue;
      },
    });
    try {
      const v = venue as unknown as RestingVenue;
      // Decided (reserved, counted), not yet sent: the forwarder's own first step, done here by hand.
      const r = await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 200 }, { agent: 'ann' });
      const p = r.certificate.payload;
      await h.store.decide(
        {
          accountId: 'acct',
          agentId: 'ann',
          venue: 'paper',
          symbol: 'BTC/USDT',
          clientOrderId: null,
          orderKey: null,
          contentKey: null,
          now: h.clock.now(),
          day: new Date(h.clock.now()).toISOString().slice(0, 10),
          duplicateWindowMs: 0,
          initialEquity: 10_000,
          dryRun: false,
        },
        () => ({
          verdictId: 'v-decided',
          decision: 'ALLOW',
          certificateJson: r.certificateJson,
          reserve: {
            symbol: 'BTC/USDT',
            side: 'buy',
            quantity: 0.003,
            notional: 200,
            adds: true,
            venueClientOrderId: 'vc',
          },
          breaker: 'none',
          approval: null,
          audit: null,
        }),
      );
      await h.store.setHalt('global', 'kill switch', h.clock.now());
      const session = { agentId: 'ann', accountId: 'acct', venue: 'paper', sessionId: 's' };
      const request = {
        accountId: 'acct',
        clientOrderId: 'vc',
        symbol: 'BTC/USDT',
        side: 'buy' as const,
        type: 'market' as const,
        quantity: 0.003,
        limitPrice: null,
        timeInForce: 'GTC' as const,
        reduceOnly: false,
        leverage: null,
      };
      const out = await h.firewall.forwarder.forward(session, 'v-decided', h.clock.now(), request, {
        payload: p,
        evaluation: null,
        remoteTool: 'test',
      });
      expect(out.state).toBe('rejected_by_venue');
      expect(out.error?.code).toBe('HALTED_BEFORE_SEND');
      expect(v.orders.size, 'nothing reached the venue').toBe(0);
      const snap = await h.store.accountSnapshot('acct', null, h.clock.now(), 0);
      expect([snap.gross_exposure, snap.daily_count]).toEqual([0, 0]);
    } finally {
      await h.close();
    }
  });
});
