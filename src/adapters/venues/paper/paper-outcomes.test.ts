import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { venueContract } from '../../../../test/contract/venue-contract.js';
import { type OutcomeSettlement, settlementKey } from '../../../core/prediction/paper-outcomes.js';
import { VenueError, type VenueOrderRequest } from '../../../ports/venue.js';
import { nodeHasher } from '../../crypto/node-signer.js';
import { ManualClock } from '../../market-data/manual-clock.js';
import { syntheticOutcomeMarketAt } from '../../market-data/prediction-market-data.js';
import { createSyntheticMarketData } from '../../market-data/synthetic-market-data.js';
import { SqliteStore } from '../../store/sqlite-store.js';
import { MemoryDocStore } from './memory-doc-store.js';
import { type DocStore, PaperVenue } from './paper-venue.js';

const HOUR = 3_600_000;
const COHORT = 100 * HOUR;
/** Cohort 4990 (Dec 2026): its markets SYN4990-M1…M4 are listed at K0 and resolve 200 hours later. */
const K0 = 4990 * COHORT;
const RESOLVES = K0 + 200 * HOUR;
const M = 'SYN4990-M1';
const YES = `${M}-YES/USDC`;
const NO = `${M}-NO/USDC`;

function setup(store: DocStore = new MemoryDocStore(), clock = new ManualClock(K0 + 10 * HOUR)) {
  const settled: OutcomeSettlement[] = [];
  const market = createSyntheticMarketData({ clock, seed: 2024 });
  const venue = new PaperVenue({
    store,
    market,
    outcomes: { now: () => clock.now(), at: syntheticOutcomeMarketAt, onSettled: (s) => void settled.push(...s) },
  });
  return { store, clock, venue, settled };
}

/** `setup` with a recorder that writes each settlement once in the store, as the server's does (`written`). */
function recorded(store: SqliteStore, clock: ManualClock) {
  const written: OutcomeSettlement[] = [];
  const venue = new PaperVenue({
    store,
    market: createSyntheticMarketData({ clock, seed: 2024 }),
    outcomes: {
      now: () => clock.now(),
      at: syntheticOutcomeMarketAt,
      onSettled: async (settlements) => {
        for (const x of settlements) {
          const row = { audit_id: settlementKey(x), ts: String(x.ts), kind: 'settle', agent_id: null, body: '{}' };
          const rec = { kind: 'settle', ref: x.accountId, body: JSON.stringify(x), now: x.ts };
          if (await store.recordOnce(settlementKey(x), rec, row)) written.push(x);
        }
      },
    },
  });
  return { venue, written };
}

// The port's contract holds for the venue's other instruments with outcome tokens configured beside them.
venueContract('paper exchange with prediction markets configured', async () => {
  const { venue, clock } = setup();
  return {
    venue,
    accountId: 'contract-pm',
    advance: async () => {
      clock.advance(60_000);
      await venue.tick();
    },
    cleanup: async () => {},
  };
});

let n = 0;
const order = (over: Partial<VenueOrderRequest> = {}): VenueOrderRequest => ({
  accountId: 'a',
  clientOrderId: `c${++n}`,
  symbol: YES,
  side: 'buy',
  type: 'market',
  quantity: 10,
  limitPrice: null,
  timeInForce: 'IOC',
  reduceOnly: false,
  leverage: null,
  ...over,
});

async function refusal(p: Promise<unknown>): Promise<VenueError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(VenueError);
  return e as VenueError;
}

describe('paper venue: prediction-market outcome tokens from the account’s one cash balance', () => {
  it('buys YES with the account’s cash and shows the shares as a position marked at the mid', async () => {
    const { venue } = setup();
    const before = await venue.balance('a');
    const o = await venue.placeOrder(order({ quantity: 50 }));
    expect(o).toMatchObject({ symbol: YES, status: 'filled', filledQuantity: 50 });
    const cost = 50 * o.avgFillPrice! + o.fills[0]!.fee;
    const b = await venue.balance('a');
    expect(b.free).toBeCloseTo(before.free - cost, 9);
    expect(b.free + b.used).toBeCloseTo(b.total, 9);
    const [p] = (await venue.positions('a')).filter((x) => x.symbol === YES);
    expect(p).toMatchObject({ quantity: 50, leverage: 1, liquidationPrice: null });
    expect(p!.entryPrice).toBeCloseTo(o.avgFillPrice!, 12);
    const mid = syntheticOutcomeMarketAt(M, K0 + 10 * HOUR)!.yesMid;
    expect(p!.markPrice).toBeCloseTo(mid, 12);
    expect(b.equity).toBeCloseTo(b.total + p!.unrealizedPnl, 9);
  });

  it('treats orders per the port: final at once, never open, in the history, found by client id, same id same order', async () => {
    const { venue } = setup();
    const o = await venue.placeOrder(order({ clientOrderId: 'once', quantity: 20 }));
    const again = await venue.placeOrder(order({ clientOrderId: 'once', quantity: 20 }));
    expect(again).toEqual(o);
    expect((await venue.positions('a')).find((p) => p.symbol === YES)?.quantity).toBe(20);
    expect(await venue.openOrders('a')).toEqual([]);
    expect((await venue.orderHistory('a', 10))[0]).toEqual(o);
    expect(await venue.orderByClientId('a', 'once')).toEqual(o);
    const snap = await venue.accountSnapshot('a', ['once']);
    expect(snap.orders).toEqual([o]);
    expect(snap.positions.find((p) => p.symbol === YES)?.quantity).toBe(20);
    expect((await refusal(venue.cancelOrder('a', o.orderId))).code).toBe('INVALID_ORDER');
  });

  it('fills what the book holds within the limit and cancels the rest; fill-or-kill fills all or nothing; post-only is refused', async () => {
    const { venue } = setup();
    const cash = (await venue.balance('a')).free;
    const fok = await venue.placeOrder(order({ quantity: 5_000, timeInForce: 'FOK' }));
    expect(fok).toMatchObject({ status: 'expired', filledQuantity: 0 });
    expect((await venue.balance('a')).free).toBe(cash);
    const ioc = await venue.placeOrder(order({ quantity: 5_000 }));
    expect(ioc.status).toBe('expired');
    expect(ioc.filledQuantity).toBeGreaterThan(0);
    expect(ioc.filledQuantity).toBeLessThan(5_000);
    const po = await refusal(venue.placeOrder(order({ type: 'limit', limitPrice: 0.2, timeInForce: 'PO' })));
    expect(po.code).toBe('INVALID_ORDER');
    expect(po.message).toContain('time_in_force=PO');
  });

  it('never sells more shares than held (no shorting), and refuses a buy the cash cannot pay', async () => {
    const { venue } = setup();
    await venue.placeOrder(order({ quantity: 10 }));
    const short = await refusal(venue.placeOrder(order({ side: 'sell', quantity: 11 })));
    expect(short.code).toBe('INSUFFICIENT_BALANCE');
    expect(short.message).toContain('INSUFFICIENT_HOLDING');
    const poor = setup();
    const rich = await refusal(
      new PaperVenue({
        store: new MemoryDocStore(),
        market: createSyntheticMarketData({ clock: poor.clock, seed: 2024 }),
        startingCash: 5,
        outcomes: { now: () => poor.clock.now(), at: syntheticOutcomeMarketAt },
      }).placeOrder(order({ quantity: 100 })),
    );
    expect(rich.code).toBe('INSUFFICIENT_BALANCE');
  });

  it('refuses an unknown market and any order once the market has resolved', async () => {
    const { venue, clock } = setup();
    const unknown = await refusal(venue.placeOrder(order({ symbol: 'NOPE-1-YES/USDC' })));
    expect(unknown.message).toContain('MARKET_UNKNOWN');
    clock.set(RESOLVES);
    const late = await refusal(venue.placeOrder(order()));
    expect(late.code).toBe('INVALID_ORDER');
    expect(late.message).toContain('MARKET_NOT_OPEN');
  });

  it('without outcome markets configured, the venue refuses outcome tokens as before', async () => {
    const clock = new ManualClock(K0 + 10 * HOUR);
    const venue = new PaperVenue({
      store: new MemoryDocStore(),
      market: createSyntheticMarketData({ clock, seed: 1 }),
    });
    const e = await refusal(venue.placeOrder(order()));
    expect(e.code).toBe('INVALID_ORDER');
    expect(e.message).toContain(`unknown symbol ${YES}`);
    expect(await venue.positions('a')).toEqual([]);
  });
});

describe('paper venue: settlement at resolution', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('pays 1 per winning share and 0 per losing one into cash, removes the holdings, and reports it once', async () => {
    const { venue, clock, settled } = setup();
    await venue.placeOrder(order({ symbol: YES, quantity: 30 }));
    await venue.placeOrder(order({ symbol: NO, quantity: 12 }));
    const cash = (await venue.balance('a')).free;
    clock.set(RESOLVES + HOUR);
    const outcome = syntheticOutcomeMarketAt(M, clock.now())!.market.outcome!;
    const b = await venue.balance('a');
    expect(b.free).toBeCloseTo(cash + (outcome === 'YES' ? 30 : 12), 9);
    expect(b.equity).toBeCloseTo(b.total, 9);
    expect((await venue.positions('a')).filter((p) => p.symbol.startsWith(M))).toEqual([]);
    expect(settled.map((s) => [s.held, s.shares, s.payout, s.resolved])).toEqual([
      ['NO', 12, outcome === 'NO' ? 12 : 0, outcome],
      ['YES', 30, outcome === 'YES' ? 30 : 0, outcome],
    ]);
    await venue.balance('a');
    await venue.tick();
    expect(settled).toHaveLength(2);
  });

  it('settles exactly once with two processes’ venues on one SQLite store, and after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-pm-settle-'));
    dirs.push(dir);
    const path = join(dir, 'arbiter.db');
    const clock = new ManualClock(K0 + 10 * HOUR);
    const s1 = new SqliteStore({ path, hasher: nodeHasher });
    const one = recorded(s1, clock);
    await one.venue.placeOrder(order({ quantity: 40 }));
    const cash = (await one.venue.balance('a')).free;
    const s2 = new SqliteStore({ path, hasher: nodeHasher });
    const two = recorded(s2, clock);
    clock.set(RESOLVES + HOUR);
    const reads = [];
    for (let i = 0; i < 10; i++) reads.push(one.venue.balance('a'), two.venue.tick(), two.venue.positions('a'));
    await Promise.all(reads);
    // Either process may hand the owed settlement to its recorder until it is cleared; it is written once.
    expect([...one.written, ...two.written]).toHaveLength(1);
    expect((await one.venue.account('a')).unrecordedSettlements).toBeUndefined();
    await s1.close();
    await s2.close();
    // A process started after the resolution finds the account settled: it pays nothing again.
    const s3 = new SqliteStore({ path, hasher: nodeHasher });
    const three = setup(s3, clock);
    const outcome = syntheticOutcomeMarketAt(M, clock.now())!.market.outcome!;
    expect((await three.venue.balance('a')).free).toBeCloseTo(cash + (outcome === 'YES' ? 40 : 0), 9);
    expect(three.settled).toEqual([]);
    await s3.close();
  });

  it('a restart after resolution settles a holding bought before it', async () => {
    const store = new MemoryDocStore();
    const clock = new ManualClock(K0 + 10 * HOUR);
    await setup(store, clock).venue.placeOrder(order({ symbol: NO, quantity: 7 }));
    // Long after: the market has left the board (three newer cohorts), and is still settled by its id.
    clock.set(RESOLVES + 500 * HOUR);
    const later = setup(store, clock);
    await later.venue.tick();
    expect(later.settled).toHaveLength(1);
    expect(later.settled[0]).toMatchObject({ marketId: M, held: 'NO', shares: 7 });
  });
});

describe('settlement conserves value (fast-check)', () => {
  const buys = fc.array(
    fc.record({
      outcome: fc.constantFrom('YES' as const, 'NO' as const),
      market: fc.constantFrom('M1', 'M2'),
      quantity: fc.integer({ min: 1, max: 400 }),
    }),
    { minLength: 1, maxLength: 8 },
  );

  it('a YES and a NO share together pay exactly 1, whatever the outcome', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 500 }), fc.constantFrom('M1', 'M2', 'M3', 'M4'), async (q, mk) => {
        const { venue, clock, settled } = setup();
        const id = `SYN4990-${mk}`;
        await venue.placeOrder(order({ symbol: `${id}-YES/USDC`, quantity: q }));
        await venue.placeOrder(order({ symbol: `${id}-NO/USDC`, quantity: q }));
        const cash = (await venue.balance('a')).free;
        clock.set(RESOLVES);
        const after = (await venue.balance('a')).free;
        expect(after - cash).toBeCloseTo(q, 9);
        expect(settled.reduce((s, x) => s + x.payout, 0)).toBe(q);
      }),
      { numRuns: 25 },
    );
  });

  it('cash + holdings at their resolved value is the same before and after settlement', async () => {
    await fc.assert(
      fc.asyncProperty(buys, async (bs) => {
        const { venue, clock } = setup();
        for (const b of bs)
          await venue.placeOrder(order({ symbol: `SYN4990-${b.market}-${b.outcome}/USDC`, quantity: b.quantity }));
        const cash = (await venue.balance('a')).free;
        const held = (await venue.positions('a')).filter((p) => p.symbol.startsWith('SYN4990-'));
        clock.set(RESOLVES);
        const worth = held.reduce((s, p) => {
          const [, mk, out] = /^(SYN4990-M\d)-(YES|NO)\//.exec(p.symbol)!;
          return s + (syntheticOutcomeMarketAt(mk!, RESOLVES)!.market.outcome === out ? p.quantity : 0);
        }, 0);
        const after = await venue.balance('a');
        expect(after.free).toBeCloseTo(cash + worth, 9);
        expect(after.equity).toBeCloseTo(after.total, 9);
        expect((await venue.positions('a')).filter((p) => p.symbol.startsWith('SYN4990-'))).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('pays once and records each settlement once, whichever recorder calls fail before one succeeds', async () => {
    await fc.assert(
      fc.asyncProperty(buys, fc.array(fc.boolean(), { maxLength: 6 }), async (bs, failures) => {
        const store = new MemoryDocStore();
        const clock = new ManualClock(K0 + 10 * HOUR);
        const written = new Map<string, number>();
        let calls = 0;
        const venue = new PaperVenue({
          store,
          market: createSyntheticMarketData({ clock, seed: 2024 }),
          outcomes: {
            now: () => clock.now(),
            at: syntheticOutcomeMarketAt,
            // An idempotent recorder (as Store.recordOnce is) that fails on the calls `failures` says.
            onSettled: (settlements) => {
              if (failures[calls++]) throw new Error('recorder down');
              for (const x of settlements) written.set(settlementKey(x), (written.get(settlementKey(x)) ?? 0) + 1);
            },
          },
        });
        for (const b of bs)
          await venue.placeOrder(order({ symbol: `SYN4990-${b.market}-${b.outcome}/USDC`, quantity: b.quantity }));
        const cash = (await venue.balance('a')).free;
        const held = new Set((await venue.positions('a')).map((p) => p.symbol));
        clock.set(RESOLVES);
        for (let i = 0; i <= failures.length; i++) await venue.balance('a');
        const worth = bs.reduce((sum, b) => {
          const won = syntheticOutcomeMarketAt(`SYN4990-${b.market}`, RESOLVES)!.market.outcome === b.outcome;
          return sum + (won ? b.quantity : 0);
        }, 0);
        expect((await venue.balance('a')).free).toBeCloseTo(cash + worth, 6);
        expect(written.size, 'one record per holding settled').toBe(held.size);
        expect((await venue.account('a')).unrecordedSettlements, 'nothing left owed').toBeUndefined();
      }),
      { numRuns: 25 },
    );
  });
});
