import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { ChainVerifier, GENESIS_HASH } from '../../src/core/ledger/chain.js';
import type { VenueAnswer } from '../../src/core/order/lifecycle.js';
import type {
  AccountView,
  ApprovalRecord,
  DecideScope,
  DecideState,
  DecisionWrite,
  Reservation,
  Store,
} from '../../src/ports/store.js';

export const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const DAY = '2026-06-01';
const NEXT_DAY = '2026-06-02';

export function scope(patch: Partial<DecideScope> = {}): DecideScope {
  return {
    accountId: 'acct-1',
    agentId: 'agent-1',
    venue: 'paper',
    symbol: 'BTC/USDT',
    clientOrderId: null,
    orderKey: null,
    contentKey: null,
    dryRun: false,
    now: T0,
    day: DAY,
    duplicateWindowMs: 0,
    initialEquity: 10_000,
    ...patch,
  };
}

export function write(verdictId: string, patch: Partial<DecisionWrite> = {}): DecisionWrite {
  return {
    verdictId,
    decision: 'ALLOW',
    certificateJson: JSON.stringify({ id: verdictId }),
    reserve: null,
    breaker: 'none',
    approval: null,
    audit: null,
    ...patch,
  };
}

let vcoids = 0;
export function buy(notional: number, patch: Partial<Reservation> = {}): Reservation {
  return {
    symbol: 'BTC/USDT',
    side: 'buy',
    quantity: notional / 100,
    notional,
    adds: true,
    venueClientOrderId: `vc-${++vcoids}`,
    ...patch,
  };
}

/** A venue's report of an order (a lifecycle answer). */
export function report(
  status: 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired',
  filledQuantity: number,
  avgPrice: number | null = filledQuantity > 0 ? 100 : null,
  venueOrderId = 'x-1',
): VenueAnswer {
  return { kind: 'order', status, venueOrderId, filledQuantity, avgPrice };
}

/** An audit row (what a forwarder records with an order's first outcome). */
export function auditRow(id: string) {
  return { audit_id: id, ts: '2026-06-01T12:00:01.000Z', kind: 'order_intent', agent_id: 'agent-1', body: '{}' };
}

/** A current view of an account (as its sole writer takes it: `asOf` null). */
export function view(equity: number, positions: AccountView['positions'] = []): AccountView {
  return { asOf: null, equity, positions };
}

/** Walks the whole ledger through `ledgerRange` pages and checks every link. */
export async function verifyLedger(store: Store, page = 100) {
  const v = new ChainVerifier((s) => nodeHasher.sha256Hex(s), new Set());
  const seqs: number[] = [];
  for (let from = 1; ; ) {
    const records = await store.ledgerRange(from, page);
    for (const r of records) {
      v.add(r);
      seqs.push(r.seq);
    }
    if (records.length < page) break;
    from = records[records.length - 1]!.seq + 1;
  }
  return { ...v.finish([], () => true), seqs };
}

let ids = 0;
const nextId = (p: string) => `${p}-${++ids}`;

/**
 * The one conformance suite for the `Store` port. `make` returns a fresh, empty store (the suite calls `init`);
 * `cleanup` closes it and removes what it created.
 */
export function storeContract(name: string, make: () => Promise<{ store: Store; cleanup: () => Promise<void> }>) {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await make());
      await store.init();
    });
    afterEach(async () => {
      await cleanup();
    });

    /** Runs a decision and returns the state the callback saw. */
    async function see(patch: Partial<DecideScope> = {}, w: Partial<DecisionWrite> = {}): Promise<DecideState> {
      let seen: DecideState | null = null;
      await store.decide(scope(patch), (s) => {
        seen = s;
        return write(nextId('v'), w);
      });
      return seen!;
    }

    /** Reads the state without leaving an ALLOW behind: the peek is a rejection on a throw-away agent. */
    async function peek(patch: Partial<DecideScope> = {}): Promise<DecideState> {
      return see({ agentId: nextId('peeker'), ...patch }, { decision: 'REJECT' });
    }

    describe('decide', () => {
      it('creates an unseen account at its initial equity and hands the callback a clean state', async () => {
        const calls: DecideState[] = [];
        const out = await store.decide(scope(), (s) => {
          calls.push(s);
          return write('v1', { certificateJson: '{"id":"v1"}' });
        });
        expect(out).toEqual({
          replayed: false,
          verdictId: 'v1',
          certificateJson: '{"id":"v1"}',
          decision: 'ALLOW',
          seq: 1,
        });
        expect(calls).toEqual([
          {
            account: {
              equity: 10_000,
              peak_equity: 10_000,
              day_start_equity: 10_000,
              gross_exposure: 0,
              daily_count: 0,
              position: { qty: 0, avg_price: 0, pending_reduce_qty: 0 },
              synced_at: null,
            },
            throttle: { last_second: 0, last_minute: 0 },
            recent_duplicate: false,
            breaker_tripped: false,
            halts: { global: false, venue: false, agent: false },
            client_order_id_reused: false,
          },
        ]);
        expect(await store.verdict('v1')).toBe('{"id":"v1"}');
        expect(await store.verdict('nope')).toBeNull();
      });

      it("applies the scope's account view before reading the state, as applyView would", async () => {
        const v = view(12_500, [{ symbol: 'BTC/USDT', qty: 0.5, avgPrice: 100, mark: 120 }]);
        await store.applyView('acct-a', v, T0);
        const apart = await see({ accountId: 'acct-a', agentId: 'agent-a' });
        const together = await see({ accountId: 'acct-b', agentId: 'agent-b', view: v });
        expect(together).toEqual(apart);
        expect(together.account).toMatchObject({ equity: 12_500, day_start_equity: 12_500, synced_at: T0 });
        const later = await see({
          accountId: 'acct-b',
          agentId: 'agent-b',
          now: T0 + 1,
          view: view(13_000),
        });
        expect(later.account).toMatchObject({ equity: 13_000, peak_equity: 13_000, gross_exposure: 0 });
      });

      it('reserves exposure, counts a trade and opens a forwarding order for a forwarded decision', async () => {
        await see({ clientOrderId: 'c-1' }, { verdictId: 'v-res', reserve: buy(500, { venueClientOrderId: 'vc-a' }) });
        await see({}, { verdictId: 'v-res2', reserve: buy(250, { venueClientOrderId: 'v-res2', side: 'sell' }) });
        const s = await peek();
        expect(s.account.gross_exposure, 'both reservations add exposure').toBe(750);
        expect(s.account.daily_count, 'each forwarded order counts').toBe(2);
        expect(await store.orderForVerdict('v-res')).toEqual({
          verdictId: 'v-res',
          accountId: 'acct-1',
          agentId: 'agent-1',
          clientOrderId: 'vc-a',
          agentClientOrderId: 'c-1',
          symbol: 'BTC/USDT',
          side: 'buy',
          status: 'forwarding',
          venueOrderId: null,
          filledQuantity: 0,
          avgPrice: null,
          createdAt: T0,
          updatedAt: T0,
        });
        expect(await store.orderByClientId('acct-1', 'vc-a')).toMatchObject({ verdictId: 'v-res' });
        expect(await store.orderForVerdict('nope')).toBeNull();
        const open = [...(await store.unresolvedOrders('acct-1', T0))].sort((a, b) =>
          a.verdictId.localeCompare(b.verdictId),
        );
        expect(open.map((o) => [o.verdictId, o.clientOrderId, o.side])).toEqual([
          ['v-res', 'vc-a', 'buy'],
          ['v-res2', 'v-res2', 'sell'],
        ]);
        expect(await store.unresolvedOrders('acct-1', T0 - 1), 'younger than asked').toEqual([]);
        expect(await store.unresolvedOrders('acct-2', T0)).toEqual([]);
        const basis = await store.viewBasis('acct-1');
        expect(basis.inflight.map((o) => o.clientOrderId).sort()).toEqual(['v-res2', 'vc-a']);
      });

      it('keeps a reducing reservation out of exposure and in the symbol pending_reduce_qty', async () => {
        await store.applyView('acct-1', view(10_000, [{ symbol: 'BTC/USDT', qty: 2, avgPrice: 100, mark: 110 }]), T0);
        await see({}, { reserve: buy(55, { side: 'sell', quantity: 0.5, adds: false }) });
        const btc = await peek();
        expect(btc.account.gross_exposure).toBe(220);
        expect(btc.account.position).toEqual({ qty: 2, avg_price: 100, pending_reduce_qty: 0.5 });
        expect((await peek({ symbol: 'ETH/USDT' })).account.position).toEqual({
          qty: 0,
          avg_price: 0,
          pending_reduce_qty: 0,
        });
        expect((await peek({ symbol: null })).account.position).toEqual({
          qty: 0,
          avg_price: 0,
          pending_reduce_qty: 0,
        });
      });

      it('rolls the account into a new day: the count resets and day-start equity becomes equity', async () => {
        await see({}, { reserve: buy(100) });
        await store.applyView('acct-1', view(12_000), T0 + 1);
        const same = await peek({ now: T0 + 2 });
        expect(same.account).toMatchObject({
          equity: 12_000,
          peak_equity: 12_000,
          day_start_equity: 10_000,
          daily_count: 1,
        });
        const next = await peek({ now: T0 + 86_400_000, day: NEXT_DAY });
        expect(next.account).toMatchObject({ equity: 12_000, day_start_equity: 12_000, daily_count: 0 });
        expect(next.account.gross_exposure, 'reservations outlive the day').toBe(100);
      });

      it('counts the throttle per agent over the last second and minute, across accounts', async () => {
        await see({ now: T0 - 60_000 });
        await see({ now: T0 - 59_999, accountId: 'acct-2' });
        await see({ now: T0 - 1_000 });
        await see({ now: T0 - 999, accountId: 'acct-3' });
        await see({ now: T0 - 10, agentId: 'agent-2' });
        const s = await see({ now: T0 });
        // The per-second count is exact (exactly 1 s ago is outside); the per-minute count adds whole one-second
        // buckets, so it may include up to one second more than 60 s: stricter, never looser.
        expect(s.throttle).toEqual({ last_second: 1, last_minute: 4 });
        expect((await see({ now: T0, agentId: 'agent-2' })).throttle).toEqual({ last_second: 1, last_minute: 1 });
      });

      it('flags a same-content order from the same agent that passed within the window, and only that', async () => {
        await see({ now: T0 - 5_000, contentKey: 'k1' });
        await see({ now: T0 - 5_000, contentKey: 'k-rejected' }, { decision: 'REJECT' });
        await see({ now: T0 - 5_000, contentKey: 'k-pending' }, { decision: 'PENDING_APPROVAL' });
        await see({ now: T0 - 5_000, contentKey: 'k-capped', accountId: 'acct-2' }, { decision: 'ALLOW_CAPPED' });
        const dup = async (patch: Partial<DecideScope>) =>
          (await see({ now: T0, duplicateWindowMs: 10_000, ...patch }, { decision: 'REJECT' })).recent_duplicate;
        expect(await dup({ contentKey: 'k1' })).toBe(true);
        expect(await dup({ contentKey: 'k1', duplicateWindowMs: 5_000 }), 'the window is exclusive').toBe(false);
        expect(await dup({ contentKey: 'k2' })).toBe(false);
        expect(await dup({ contentKey: 'k1', agentId: 'agent-2' }), 'another agent').toBe(false);
        expect(await dup({ contentKey: 'k-rejected' }), 'a rejection did not pass').toBe(false);
        expect(await dup({ contentKey: 'k-pending' })).toBe(true);
        expect(await dup({ contentKey: 'k-capped' }), 'same agent, any account').toBe(true);
        expect(await dup({ contentKey: null })).toBe(false);
      });

      it('replays a known client order id byte-for-byte, with its order, without calling the callback or writing', async () => {
        const cert = '{ "b": 1,  "a": "\u00e9\\u00e9 \u2713 \ud83d\ude80" }\n';
        const first = await store.decide(scope({ clientOrderId: 'c-1', orderKey: 'o1' }), () =>
          write('v1', {
            certificateJson: cert,
            decision: 'ALLOW_CAPPED',
            reserve: buy(100, { venueClientOrderId: 'vc-1' }),
          }),
        );
        expect(first).toMatchObject({ replayed: false, seq: 1 });
        const again = vi.fn(() => write('v2'));
        const replay = await store.decide(
          scope({ clientOrderId: 'c-1', orderKey: 'o1', now: T0 + 5, day: NEXT_DAY }),
          again,
        );
        expect(again).not.toHaveBeenCalled();
        expect(replay).toMatchObject({
          replayed: true,
          verdictId: 'v1',
          certificateJson: cert,
          decision: 'ALLOW_CAPPED',
        });
        expect(replay.replayed && replay.order, 'the replay carries the original order').toMatchObject({
          verdictId: 'v1',
          clientOrderId: 'vc-1',
          status: 'forwarding',
        });
        expect(await store.verdict('v1')).toBe(cert);
        expect((await store.ledgerHead()).count, 'a replay appends nothing').toBe(1);
        const s = await see({ now: T0 + 10 });
        expect(s.throttle.last_minute, 'a replay is not throttled').toBe(1);
        expect(s.account.daily_count, 'a replay counts nothing').toBe(1);
        const other = await store.decide(scope({ clientOrderId: 'c-1', accountId: 'acct-2' }), () => write('v3'));
        expect(other.replayed, 'client order ids are per account').toBe(false);
        const agent2 = vi.fn((st: DecideState) => {
          expect(st.client_order_id_reused).toBe(false);
          return write('v4');
        });
        const mine = await store.decide(scope({ clientOrderId: 'c-1', agentId: 'agent-2', orderKey: 'o9' }), agent2);
        expect(mine.replayed, "another agent's client order id is not this agent's").toBe(false);
        expect(agent2).toHaveBeenCalledTimes(1);
      });

      it('records a refusal for a client order id reused with other content, and keeps the binding', async () => {
        await store.decide(scope({ clientOrderId: 'c-1', orderKey: 'o1' }), () => write('v1', { reserve: buy(100) }));
        const seen: DecideState[] = [];
        const reuse = await store.decide(scope({ clientOrderId: 'c-1', orderKey: 'o2', now: T0 + 1 }), (st) => {
          seen.push(st);
          return write('v-reuse', { decision: 'REJECT' });
        });
        expect(reuse).toMatchObject({ replayed: false, verdictId: 'v-reuse', seq: 2 });
        expect(seen.map((x) => x.client_order_id_reused)).toEqual([true]);
        expect(await store.verdict('v-reuse'), 'the refusal is in the ledger').not.toBeNull();
        const back = await store.decide(scope({ clientOrderId: 'c-1', orderKey: 'o1', now: T0 + 2 }), () =>
          write('v-never'),
        );
        expect(back).toMatchObject({ replayed: true, verdictId: 'v1' });
      });

      it('makes a dry run from the same state and writes nothing at all', async () => {
        await see({ clientOrderId: 'c-1', orderKey: 'o1', contentKey: 'k1' }, { verdictId: 'v1', reserve: buy(100) });
        const before = {
          head: await store.ledgerHead(),
          snap: await store.accountSnapshot('acct-1', 'BTC/USDT', T0, 10_000),
          basis: await store.viewBasis('acct-1'),
        };
        const real = await peek({ now: T0 + 1, duplicateWindowMs: 10_000, contentKey: 'k1' });
        const headAfterPeek = await store.ledgerHead();
        const seen: DecideState[] = [];
        const dry = await store.decide(
          scope({
            dryRun: true,
            now: T0 + 1,
            duplicateWindowMs: 10_000,
            contentKey: 'k1',
            clientOrderId: 'c-new',
            orderKey: 'o-new',
            agentId: 'agent-1',
          }),
          (st) => {
            seen.push(st);
            return write('v-dry', {
              reserve: buy(100),
              audit: { audit_id: 'au-dry', ts: 't', kind: 'vet', agent_id: 'a', body: '{}' },
            });
          },
        );
        expect(dry).toEqual({
          replayed: false,
          verdictId: 'v-dry',
          certificateJson: JSON.stringify({ id: 'v-dry' }),
          decision: 'ALLOW',
          seq: null,
        });
        expect(seen[0]!.recent_duplicate, 'judged on the same duplicate window').toBe(true);
        expect(seen[0]!.account.gross_exposure).toBe(real.account.gross_exposure);
        expect(await store.ledgerHead()).toEqual(headAfterPeek);
        expect(await store.verdict('v-dry')).toBeNull();
        expect(await store.audit({ limit: 10 })).toEqual([]);
        expect(await store.accountSnapshot('acct-1', 'BTC/USDT', T0, 10_000)).toEqual(before.snap);
        expect(await store.viewBasis('acct-1')).toEqual(before.basis);
        const placed = await store.decide(scope({ clientOrderId: 'c-new', orderKey: 'o-new', now: T0 + 2 }), () =>
          write('v-real'),
        );
        expect(placed.replayed, 'the dry run bound nothing').toBe(false);
        const dryUnseen = await store.decide(scope({ dryRun: true, accountId: 'acct-unseen' }), () => write('v-d2'));
        expect(dryUnseen.replayed).toBe(false);
        expect(await store.viewBasis('acct-unseen')).toEqual({ asOf: 0, inflight: [] });
        const dryReplay = await store.decide(scope({ dryRun: true, clientOrderId: 'c-1', orderKey: 'o1' }), () =>
          write('v-d3'),
        );
        expect(dryReplay).toMatchObject({ replayed: true, verdictId: 'v1' });
      });

      it('reads and writes the breaker; resetBreaker clears it', async () => {
        await see({}, { breaker: 'trip' });
        expect((await peek()).breaker_tripped).toBe(true);
        await store.resetBreaker(T0);
        expect((await peek()).breaker_tripped).toBe(false);
        await see({}, { breaker: 'trip' });
        await see({}, { breaker: 'clear' });
        expect((await peek()).breaker_tripped).toBe(false);
      });

      it('reads global, venue and agent halts; setHalt(null) lifts one; halts() lists them by scope', async () => {
        await store.setHalt('venue:paper', 'maintenance', T0);
        expect((await peek()).halts).toEqual({ global: false, venue: true, agent: false });
        expect((await peek({ venue: 'binance' })).halts.venue).toBe(false);
        await store.setHalt('agent:agent-1', 'misbehaving', T0 + 1);
        await store.setHalt('global', 'kill switch', T0 + 2);
        expect((await see()).halts).toEqual({ global: true, venue: true, agent: true });
        await store.setHalt('global', 'still off', T0 + 3);
        expect(await store.halts()).toEqual([
          { scope: 'agent:agent-1', reason: 'misbehaving', ts: T0 + 1 },
          { scope: 'global', reason: 'still off', ts: T0 + 3 },
          { scope: 'venue:paper', reason: 'maintenance', ts: T0 },
        ]);
        await store.setHalt('global', null, T0 + 4);
        await store.setHalt('never-set', null, T0 + 4);
        expect((await see()).halts).toEqual({ global: false, venue: true, agent: true });
        expect((await store.halts()).map((h) => h.scope)).toEqual(['agent:agent-1', 'venue:paper']);
      });

      it('opens the approval of a pending decision in the same transaction', async () => {
        const approval: ApprovalRecord = {
          approvalId: 'apr-1',
          verdictId: 'v-pend',
          accountId: 'acct-1',
          agentId: 'agent-1',
          venue: 'paper',
          orderHash: 'ab'.repeat(32),
          intentJson: '{"symbol":"BTC/USDT"}',
          notional: 1234.5,
          createdAt: T0,
          expiresAt: T0 + 600_000,
        };
        await see({}, { verdictId: 'v-pend', decision: 'PENDING_APPROVAL', approval });
        const row = { ...approval, status: 'pending', decidedAt: null, decidedBy: null, resultVerdictId: null };
        expect(await store.approval('apr-1')).toEqual(row);
        expect(await store.approvals({ status: 'pending' })).toEqual([row]);
        expect(await store.approvals({ status: 'approved' })).toEqual([]);
        expect(await store.approvals({ agentId: 'agent-1' })).toEqual([row]);
        expect(await store.approvals({ status: 'pending', agentId: 'agent-2' })).toEqual([]);
        expect(await store.approval('nope')).toBeNull();
      });

      it('stores the decision audit row in the same transaction', async () => {
        const row = {
          audit_id: 'au-1',
          ts: '2026-06-01T12:00:00.000Z',
          kind: 'vet',
          agent_id: 'agent-1',
          body: '{"n":1}',
        };
        await see({}, { verdictId: 'v1', audit: row });
        expect(await store.audit({ limit: 10 })).toEqual([row]);
        await expect(
          store.decide(scope(), () => write('v2', { audit: { ...row, audit_id: 'au-2', body: null as never } })),
          'an audit row the database refuses (no body)',
        ).rejects.toThrow();
        expect(await store.verdict('v2'), 'the failed audit write took the verdict with it').toBeNull();
        expect((await store.ledgerHead()).count).toBe(1);
      });

      it('writes nothing when the callback throws', async () => {
        await expect(
          store.decide(scope({ clientOrderId: 'c-1', contentKey: 'k' }), () => {
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await store.ledgerHead()).toEqual({ count: 0, head_hash: GENESIS_HASH });
        const s = await see({ initialEquity: 777, duplicateWindowMs: 60_000, contentKey: 'k' });
        expect(s.account.equity, 'the account was not created').toBe(777);
        expect(s.throttle.last_minute).toBe(0);
        expect(s.recent_duplicate).toBe(false);
        const out = await store.decide(scope({ clientOrderId: 'c-1' }), () => write('v-after'));
        expect(out.replayed, 'the client order id was not taken').toBe(false);
      });

      it('serialises concurrent decisions on one account: a limit of five allows exactly five', async () => {
        const outs = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.decide(scope({ now: T0 + i }), (s) =>
              s.account.daily_count < 5
                ? write(`v${i}`, { reserve: buy(100) })
                : write(`v${i}`, { decision: 'REJECT' }),
            ),
          ),
        );
        expect(outs.filter((o) => o.decision === 'ALLOW')).toHaveLength(5);
        const snap = await store.accountSnapshot('acct-1', 'BTC/USDT', T0 + 100, 10_000);
        expect(snap.daily_count).toBe(5);
        expect(snap.gross_exposure).toBe(500);
        const seqs = outs.map((o) => (o.replayed ? 0 : (o.seq ?? 0))).sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        const chain = await verifyLedger(store);
        expect(chain.ok, JSON.stringify(chain.problems)).toBe(true);
        expect(chain.count).toBe(20);
      });

      it('reads the cost basis under the lock when asked: positions held at entry and buys in flight', async () => {
        const yes = 'M1-YES/USDC';
        await store.applyView('acct-1', view(10_000, [{ symbol: yes, qty: 40, avgPrice: 0.5, mark: 0.6 }]), T0);
        await see({ symbol: yes }, { verdictId: 'v-cb1', reserve: buy(15, { symbol: yes }) });
        await see({ symbol: yes }, { verdictId: 'v-cb2', reserve: buy(5, { symbol: 'M2-NO/USDC' }) });
        await see({ symbol: yes }, { verdictId: 'v-cb3', reserve: buy(7, { symbol: yes, side: 'sell', adds: false }) });
        expect((await peek()).cost_basis, 'not read unless asked').toBeUndefined();
        const s = await peek({ withCostBasis: true });
        expect(s.cost_basis).toEqual([
          { symbol: 'M1-YES/USDC', held: 20, reserved: 15 },
          { symbol: 'M2-NO/USDC', held: 0, reserved: 5 },
        ]);
        // A buy decided at the same time as others sees every reservation committed before it.
        const outs = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.decide(scope({ symbol: yes, now: T0 + i, withCostBasis: true }), (st) => {
              const used = (st.cost_basis ?? []).reduce((a, r) => a + r.held + r.reserved, 0);
              return used + 10 <= 70
                ? write(`v-cbr${i}`, { reserve: buy(10, { symbol: yes }) })
                : write(`v-cbr${i}`, { decision: 'REJECT' });
            }),
          ),
        );
        expect(
          outs.filter((o) => o.decision === 'ALLOW'),
          'room for exactly three more buys of 10',
        ).toHaveLength(3);
      });

      it('writes a record and its audit row once per key, however many writers race', async () => {
        const rec = (n: number) => ({ kind: 'settlement', ref: 'acct-1', body: `{"n":${n}}`, now: T0 + n });
        const row = (id: string) => ({ ...auditRow(id), kind: 'settlement' });
        const firsts = await Promise.all(
          Array.from({ length: 6 }, (_, i) => store.recordOnce('k-1', rec(1), row(`la-k1-${i}`))),
        );
        expect(firsts.filter(Boolean), 'exactly one writer wrote').toHaveLength(1);
        expect(await store.recordOnce('k-2', rec(2), row('la-k2'))).toBe(true);
        expect(await store.recordOnce('k-1', rec(1), row('la-k1-again'))).toBe(false);
        const ledger = await store.ledgerRange(1, 100);
        expect(ledger.map((r) => [r.kind, r.body])).toEqual([
          ['settlement', '{"n":1}'],
          ['settlement', '{"n":2}'],
        ]);
        expect(await store.audit({ kind: 'settlement', limit: 10 })).toHaveLength(2);
        const chain = await verifyLedger(store);
        expect(chain.ok, JSON.stringify(chain.problems)).toBe(true);
      });

      it('gives concurrent decisions of one agent on different accounts exact throttle counts', async () => {
        for (let i = 0; i < 12; i++) await store.accountSnapshot(`acct-${i}`, null, T0, 10_000);
        // Per decision, the value its committed attempt saw (a re-run transaction calls back again).
        const seen = new Map<number, number>();
        await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            store.decide(scope({ accountId: `acct-${i}` }), (s) => {
              seen.set(i, s.throttle.last_minute);
              return write(`v${i}`);
            }),
          ),
        );
        expect([...seen.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      });

      it('rolls back only the failing one of concurrent decisions; the others commit and see each other', async () => {
        const outs = await Promise.allSettled(
          Array.from({ length: 9 }, (_, i) =>
            store.decide(scope({ now: T0 + i, clientOrderId: `c-${i}` }), () => {
              if (i === 4) throw new Error('boom');
              return write(`v${i}`, { reserve: buy(100) });
            }),
          ),
        );
        expect(outs.map((o) => o.status)).toEqual([
          ...Array(4).fill('fulfilled'),
          'rejected',
          ...Array(4).fill('fulfilled'),
        ]);
        const snap = await store.accountSnapshot('acct-1', 'BTC/USDT', T0 + 100, 10_000);
        expect(snap.daily_count).toBe(8);
        expect(snap.gross_exposure).toBe(800);
        expect(await store.verdict('v4')).toBeNull();
        const chain = await verifyLedger(store);
        expect(chain.ok, JSON.stringify(chain.problems)).toBe(true);
        expect(chain.count).toBe(8);
        const retry = await store.decide(scope({ clientOrderId: 'c-4' }), () => write('v4-retry'));
        expect(retry.replayed, 'the failed decision did not take its client order id').toBe(false);
      });

      it('lets exactly one of concurrent decisions with the same client order id through', async () => {
        const callback = vi.fn((_: DecideState) => write('v-once'));
        const outs = await Promise.all(
          Array.from({ length: 8 }, () => store.decide(scope({ clientOrderId: 'same' }), callback)),
        );
        expect(outs.filter((o) => !o.replayed)).toHaveLength(1);
        expect(callback).toHaveBeenCalledTimes(1);
        expect(new Set(outs.map((o) => o.certificateJson))).toEqual(new Set([JSON.stringify({ id: 'v-once' })]));
        expect((await store.ledgerHead()).count).toBe(1);
      });
    });

    describe('order outcomes', () => {
      it('releases the reservation and uncounts the trade of an order the venue refused, once', async () => {
        await see({}, { verdictId: 'v-keep', reserve: buy(200) });
        await see({}, { verdictId: 'v-fail', reserve: buy(500) });
        const refused: VenueAnswer = { kind: 'refused', code: 'INSUFFICIENT_BALANCE', message: 'no funds' };
        expect(await store.recordOrderOutcome('v-fail', refused, T0 + 1)).toEqual({
          changed: true,
          status: 'rejected_by_venue',
          final: true,
          filledQuantity: 0,
        });
        let s = await peek();
        expect(s.account.gross_exposure).toBe(200);
        expect(s.account.daily_count).toBe(1);
        expect(await store.orderForVerdict('v-fail')).toMatchObject({ status: 'rejected_by_venue' });
        const head = await store.ledgerHead();
        expect((await store.recordOrderOutcome('v-fail', refused, T0 + 2)).changed).toBe(false);
        s = await peek();
        expect(s.account.daily_count, 'a second refusal does not uncount again').toBe(1);
        expect((await store.ledgerHead()).count, 'nothing changed: nothing recorded').toBe(head.count + 1);
        expect(
          (await store.unresolvedOrders('acct-1', T0 + 5)).map((o) => [o.verdictId, o.status]),
          'v-fail has no audit row yet: recovery is offered it too',
        ).toEqual([
          ['v-keep', 'forwarding'],
          ['v-fail', 'rejected_by_venue'],
        ]);
      });

      it('keeps an order whose fate the venue has not told unknown, with its reservation and count', async () => {
        await see({}, { verdictId: 'v1', reserve: buy(300) });
        const timeout: VenueAnswer = { kind: 'no_answer', code: 'TIMEOUT', message: 'no answer in 10 s' };
        expect((await store.recordOrderOutcome('v1', timeout, T0 + 1)).status).toBe('unknown');
        let s = await peek();
        expect(s.account.gross_exposure).toBe(300);
        expect(s.account.daily_count).toBe(1);
        expect((await store.recordOrderOutcome('v1', timeout, T0 + 2)).changed, 'no answer is no answer').toBe(false);
        expect((await store.unresolvedOrders('acct-1', T0 + 1)).map((o) => [o.verdictId, o.status])).toEqual([
          ['v1', 'unknown'],
        ]);
        await store.recordOrderOutcome('v1', report('filled', 3, 100), T0 + 3, undefined, auditRow('au-v1'));
        s = await peek();
        expect(s.account.gross_exposure, 'the reservation went; the fill is booked at its price').toBe(300);
        expect(s.account.position.qty).toBe(3);
        expect(s.account.daily_count).toBe(1);
        expect(await store.unresolvedOrders('acct-1', T0 + 10)).toEqual([]);
      });

      it('ends an unknown order the venue has never seen as never placed', async () => {
        await see({}, { verdictId: 'v1', reserve: buy(300) });
        await store.recordOrderOutcome('v1', { kind: 'no_answer', code: 'EXCHANGE_DOWN', message: '' }, T0 + 1);
        await store.recordOrderOutcome(
          'v1',
          { kind: 'not_found', code: 'NEVER_REACHED_VENUE', message: 'no such order' },
          T0 + 2,
        );
        const s = await peek();
        expect(s.account.gross_exposure).toBe(0);
        expect(s.account.daily_count).toBe(0);
        const rec = (await store.ledgerRange(1, 10)).filter((r) => r.kind === 'order_outcome').at(-1);
        expect(JSON.parse(rec!.body)).toMatchObject({ status: 'rejected_by_venue', code: 'NEVER_REACHED_VENUE' });
      });

      it("writes a finished order's outcome once, however many reconcilers report it", async () => {
        await see({}, { verdictId: 'v-done', reserve: buy(100) });
        await store.recordOrderOutcome('v-done', report('filled', 1, 100, 'x-9'), T0 + 1);
        const head = await store.ledgerHead();
        await store.recordOrderOutcome('v-done', report('filled', 1, 100, 'x-9'), T0 + 2);
        await store.recordOrderOutcome('v-done', { kind: 'refused', code: 'LATE', message: 'late' }, T0 + 3);
        await store.recordOrderOutcome('v-done', report('cancelled', 1, 100, 'x-9'), T0 + 4);
        expect((await store.ledgerHead()).count).toBe(head.count);
        expect(await store.orderForVerdict('v-done')).toMatchObject({
          status: 'filled',
          venueOrderId: 'x-9',
          filledQuantity: 1,
        });
      });

      it('does not treat a retry of an order the venue refused as a duplicate', async () => {
        const content = { contentKey: 'same-content', duplicateWindowMs: 60_000 };
        await see({ ...content }, { verdictId: 'v-refused', reserve: buy(100) });
        await store.recordOrderOutcome(
          'v-refused',
          { kind: 'refused', code: 'RATE_LIMITED', message: 'slow down' },
          T0 + 1,
        );
        const retry = await see({ ...content, now: T0 + 2 }, { verdictId: 'v-retry' });
        expect(retry.recent_duplicate).toBe(false);
      });

      it('takes a post-only order the venue rejects on arrival off the count', async () => {
        await see({}, { verdictId: 'v-po', reserve: buy(100) });
        await store.recordOrderOutcome('v-po', report('rejected', 0, null), T0 + 1);
        const s = await peek();
        expect(s.account.daily_count).toBe(0);
        expect(s.account.gross_exposure).toBe(0);
      });

      it('shrinks the reservation by what has filled, books the fills, and releases the rest when done', async () => {
        await see({}, { verdictId: 'v1', reserve: buy(400, { quantity: 4 }) });
        const accepted = (filled: number, done: boolean) =>
          store.recordOrderOutcome('v1', report(done ? 'filled' : 'partially_filled', filled, 100), T0 + 1);
        await accepted(1, false);
        expect((await peek()).account.gross_exposure).toBe(400);
        expect((await peek()).account.position.qty, 'the fill moved the store’s own position').toBe(1);
        await accepted(3, false);
        expect((await peek()).account.position.qty, 'fills are cumulative').toBe(3);
        expect(await store.orderForVerdict('v1')).toMatchObject({ status: 'partially_filled', filledQuantity: 3 });
        await store.recordOrderOutcome('v1', report('filled', 3, 100), T0 + 1, undefined, auditRow('au-1'));
        const s = await peek();
        expect(s.account.gross_exposure).toBe(300);
        expect(s.account.daily_count, 'an accepted order stays counted').toBe(1);
        expect(await store.orderForVerdict('v1')).toMatchObject({ status: 'filled', venueOrderId: 'x-1' });
        expect(await store.unresolvedOrders('acct-1', T0 + 5)).toEqual([]);
      });

      it('shrinks a reducing reservation; a cancel after a partial fill keeps the count', async () => {
        await store.applyView('acct-1', view(10_000, [{ symbol: 'BTC/USDT', qty: 2, avgPrice: 100, mark: 100 }]), T0);
        await see({}, { verdictId: 'v1', reserve: buy(200, { side: 'sell', quantity: 2, adds: false }) });
        await store.recordOrderOutcome('v1', report('partially_filled', 0.5, 100), T0 + 1);
        let s = await peek();
        expect(s.account.position.pending_reduce_qty).toBe(1.5);
        expect(s.account.position.qty).toBe(1.5);
        await store.recordOrderOutcome('v1', report('cancelled', 0.5, 100), T0 + 2);
        s = await peek();
        expect(s.account.position.pending_reduce_qty).toBe(0);
        expect(s.account.daily_count, 'it reached the venue: it counts').toBe(1);
      });

      it('applies a current view with the outcome and appends an order_outcome record', async () => {
        await see({}, { verdictId: 'v1', reserve: buy(100, { quantity: 1 }) });
        const basis = await store.viewBasis('acct-1');
        const v: AccountView = {
          asOf: basis.asOf,
          equity: 9_000,
          positions: [
            { symbol: 'BTC/USDT', qty: 1, avgPrice: 100, mark: 105 },
            { symbol: 'ETH/USDT', qty: 0, avgPrice: 0, mark: 3_000 },
          ],
        };
        await store.recordOrderOutcome('v1', report('filled', 1, 100, 'x'), T0 + 1, v);
        const s = await peek();
        expect(s.account).toMatchObject({ equity: 9_000, peak_equity: 10_000, gross_exposure: 105, synced_at: T0 + 1 });
        expect(s.account.position, 'the view replaced the booked fill').toEqual({
          qty: 1,
          avg_price: 100,
          pending_reduce_qty: 0,
        });
        const [, rec] = await store.ledgerRange(1, 2);
        expect(rec).toMatchObject({ seq: 2, ts: T0 + 1, kind: 'order_outcome', ref: 'v1' });
        expect(JSON.parse(rec!.body)).toEqual({
          verdict_id: 'v1',
          status: 'filled',
          filled_quantity: 1,
          fill_delta: 1,
          avg_price: 100,
          venue_order_id: 'x',
          code: null,
          message: null,
        });
      });

      it('finds the verdict behind a venue order id and stores the first outcome audit row only', async () => {
        await see({ clientOrderId: 'c-1' }, { verdictId: 'v1', reserve: buy(100, { venueClientOrderId: 'vc-1' }) });
        const row = {
          audit_id: 'au-1',
          ts: '2026-06-01T12:00:01.000Z',
          kind: 'order',
          agent_id: 'agent-1',
          body: '{}',
        };
        await store.recordOrderOutcome('v1', report('open', 0, null, 'x-9'), T0 + 1, undefined, row);
        await store.recordOrderOutcome('v1', report('open', 0, null, 'x-9'), T0 + 2, undefined, {
          ...row,
          audit_id: 'au-2',
        });
        expect(await store.orderByVenueId('acct-1', 'x-9')).toMatchObject({
          verdictId: 'v1',
          clientOrderId: 'vc-1',
          status: 'open',
          agentId: 'agent-1',
        });
        expect(await store.orderByVenueId('acct-2', 'x-9')).toBeNull();
        expect(await store.orderByVenueId('acct-1', 'x-0')).toBeNull();
        expect(await store.audit({ kind: 'order', limit: 5 })).toEqual([row]);
      });

      it('offers an order whose audit row is missing to recovery until one is written', async () => {
        await see({}, { verdictId: 'v1', reserve: buy(100, { venueClientOrderId: 'vc-1' }) });
        const basis = await store.viewBasis('acct-1');
        // A view (another process) resolves the order before its forwarder records it.
        await store.applyView(
          'acct-1',
          {
            asOf: basis.asOf,
            equity: 10_000,
            positions: [],
            orders: [{ clientOrderId: 'vc-1', answer: report('filled', 1, 100) }],
          },
          T0 + 1,
        );
        expect((await store.unresolvedOrders('acct-1', T0 + 5)).map((o) => o.status)).toEqual(['filled']);
        const row = { audit_id: 'au-1', ts: 't', kind: 'order_intent', agent_id: 'agent-1', body: '{}' };
        expect((await store.recordOrderOutcome('v1', report('filled', 1, 100), T0 + 2, undefined, row)).changed).toBe(
          false,
        );
        expect(await store.audit({ limit: 5 })).toEqual([row]);
        expect(await store.unresolvedOrders('acct-1', T0 + 5)).toEqual([]);
      });

      it('resizes an amended reservation; later fills shrink it from the new size', async () => {
        await see({}, { verdictId: 'v1', reserve: buy(400, { quantity: 4 }) });
        await store.resizeReservation('v1', 2, 200, T0 + 1);
        expect((await peek()).account.gross_exposure).toBe(200);
        await store.recordOrderOutcome('v1', report('partially_filled', 1, 100), T0 + 2);
        expect((await peek()).account.gross_exposure, '100 reserved, 100 filled').toBe(200);
        await store.resizeReservation('nope', 1, 1, T0 + 3);
      });

      it('throws for a verdict that forwarded no order and writes nothing', async () => {
        await see({}, { verdictId: 'v-rejected', decision: 'REJECT' });
        await expect(
          store.recordOrderOutcome('v-rejected', { kind: 'refused', code: 'X', message: '' }, T0),
        ).rejects.toThrow('no forwarded order for verdict v-rejected');
        expect((await store.ledgerHead()).count).toBe(1);
      });
    });

    describe('account views', () => {
      it('replaces positions, marks and equity with a current view; peak equity only rises', async () => {
        await see();
        const pos = (symbol: string, qty: number, mark: number) => ({ symbol, qty, avgPrice: mark, mark });
        await store.applyView('acct-1', view(15_000, [pos('BTC/USDT', -2, 100), pos('ETH/USDT', 3, 10)]), T0);
        let s = await peek();
        expect(s.account).toMatchObject({ equity: 15_000, peak_equity: 15_000, gross_exposure: 230 });
        expect(s.account.position.qty).toBe(-2);
        await store.applyView('acct-1', view(14_000, [pos('ETH/USDT', 1, 10)]), T0 + 1);
        s = await peek();
        expect(s.account).toMatchObject({ equity: 14_000, peak_equity: 15_000, gross_exposure: 10 });
        expect(s.account.position.qty, 'a position missing from the view is gone').toBe(0);
      });

      it('hands the decision the book read under the lock when the scope asks, with what was just reserved', async () => {
        expect((await peek()).book, 'not asked: not read').toBeUndefined();
        expect((await peek({ withBook: true })).book).toEqual([]);
        await see({}, { verdictId: 'v1', reserve: buy(300, { symbol: 'ETH/USDT' }) });
        expect((await peek({ withBook: true })).book).toEqual([{ symbol: 'ETH/USDT', notional: 300 }]);
        expect((await see({ withBook: true, dryRun: true }, { decision: 'REJECT' })).book).toEqual([
          { symbol: 'ETH/USDT', notional: 300 },
        ]);
      });

      it('lists the book: positions at mark, signed, plus orders in flight that add exposure', async () => {
        const pos = (symbol: string, qty: number, mark: number) => ({ symbol, qty, avgPrice: mark, mark });
        await store.applyView('acct-1', view(10_000, [pos('BTC/USDT', -2, 100), pos('ETH/USDT', 3, 10)]), T0);
        await see({}, { verdictId: 'v1', reserve: buy(50, { symbol: 'ETH/USDT' }) });
        await see({}, { verdictId: 'v2', reserve: buy(70, { symbol: 'SOL/USDT', side: 'sell' }) });
        await see({}, { verdictId: 'v3', reserve: buy(200, { adds: false }) });
        expect(await store.book('acct-1')).toEqual([
          { symbol: 'BTC/USDT', notional: -200 },
          { symbol: 'ETH/USDT', notional: 80 },
          { symbol: 'SOL/USDT', notional: -70 },
        ]);
        expect(await store.book('nobody')).toEqual([]);
      });

      it('ignores the positions and equity of a view taken before something was reserved or recorded', async () => {
        const pos = (qty: number) => [{ symbol: 'BTC/USDT', qty, avgPrice: 100, mark: 100 }];
        await store.applyView('acct-1', view(10_000, pos(2)), T0);
        const stale = await store.viewBasis('acct-1');
        await see({}, { verdictId: 'v1', reserve: buy(300, { quantity: 3 }) });
        await store.recordOrderOutcome('v1', report('filled', 3, 100), T0 + 1);
        // A view taken before the fill (the venue without it) arrives late: it must not lower exposure.
        await store.applyView('acct-1', { asOf: stale.asOf, equity: 9_000, positions: pos(2) }, T0 + 2);
        let s = await peek();
        expect(s.account.position.qty, 'the stale view did not undo the fill').toBe(5);
        expect(s.account.gross_exposure).toBe(500);
        expect(s.account.equity, 'nor its equity').toBe(10_000);
        const fresh = await store.viewBasis('acct-1');
        await store.applyView('acct-1', { asOf: fresh.asOf, equity: 9_500, positions: pos(5) }, T0 + 3);
        s = await peek();
        expect(s.account).toMatchObject({ equity: 9_500, gross_exposure: 500 });
      });

      it('applies the order answers a stale view carries, each fill booked once', async () => {
        await see({}, { verdictId: 'v1', reserve: buy(200, { quantity: 2, venueClientOrderId: 'vc-1' }) });
        const basis = await store.viewBasis('acct-1');
        await see({}, { verdictId: 'v2', reserve: buy(100, { quantity: 1, venueClientOrderId: 'vc-2' }) });
        const stale: AccountView = {
          asOf: basis.asOf,
          equity: 1,
          positions: [],
          orders: [
            { clientOrderId: 'vc-1', answer: report('filled', 2, 100) },
            { clientOrderId: 'unknown-to-us', answer: report('filled', 9, 100) },
            { clientOrderId: 'vc-2', answer: { kind: 'not_found', code: 'N', message: '' } },
          ],
        };
        await store.applyView('acct-1', stale, T0 + 1);
        await store.applyView('acct-1', stale, T0 + 2);
        const s = await peek();
        expect(s.account.position.qty, 'booked once').toBe(2);
        expect(s.account.gross_exposure, 'v1 filled (200) + v2 still reserved (100)').toBe(300);
        expect(await store.orderForVerdict('v2'), 'a miss in a view is no answer').toMatchObject({
          status: 'forwarding',
        });
      });

      it('never lets a view lower exposure below what the store reserved and recorded after it (property)', async () => {
        // Buys of whole units at a fixed price of 100, so exposure is 100 × units. The venue fills an order when it
        // is placed. Views are taken at one moment and applied at another (stale or not), outcomes arrive late.
        type Op =
          | { op: 'decide'; qty: number }
          | { op: 'place'; i: number }
          | { op: 'take' }
          | { op: 'apply'; j: number }
          | { op: 'outcome'; i: number };
        const opArb: fc.Arbitrary<Op> = fc.oneof(
          fc.record({ op: fc.constant('decide' as const), qty: fc.integer({ min: 1, max: 5 }) }),
          fc.record({ op: fc.constant('place' as const), i: fc.nat(20) }),
          fc.record({ op: fc.constant('take' as const) }),
          fc.record({ op: fc.constant('apply' as const), j: fc.nat(20) }),
          fc.record({ op: fc.constant('outcome' as const), i: fc.nat(20) }),
        );
        let round = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
            const acct = `acct-p${++round}`;
            const orders: { id: string; coid: string; qty: number; filled: boolean }[] = [];
            const views: AccountView[] = [];
            const venuePosition = () => orders.filter((o) => o.filled).reduce((a, o) => a + o.qty, 0);
            const exposure = async () => (await store.accountSnapshot(acct, 'BTC/USDT', T0, 10_000)).gross_exposure;
            let t = T0;
            for (const o of ops) {
              t += 1;
              if (o.op === 'decide') {
                const id = `${acct}-v${orders.length}`;
                const coid = `${acct}-c${orders.length}`;
                await store.decide(scope({ accountId: acct, agentId: `${acct}-a`, now: t }), () =>
                  write(id, { reserve: buy(o.qty * 100, { quantity: o.qty, venueClientOrderId: coid }) }),
                );
                orders.push({ id, coid, qty: o.qty, filled: false });
              } else if (o.op === 'place') {
                const order = orders[o.i % Math.max(1, orders.length)];
                if (order) order.filled = true;
              } else if (o.op === 'take') {
                const basis = await store.viewBasis(acct);
                const inflight = new Set(basis.inflight.map((x) => x.clientOrderId));
                const pos = venuePosition();
                views.push({
                  asOf: basis.asOf,
                  equity: 10_000,
                  positions: pos > 0 ? [{ symbol: 'BTC/USDT', qty: pos, avgPrice: 100, mark: 100 }] : [],
                  orders: orders
                    .filter((x) => inflight.has(x.coid) && x.filled)
                    .map((x) => ({ clientOrderId: x.coid, answer: report('filled', x.qty, 100, x.id) })),
                });
              } else if (o.op === 'apply') {
                const v = views[o.j % Math.max(1, views.length)];
                if (v) await store.applyView(acct, v, t);
              } else {
                const order = orders[o.i % Math.max(1, orders.length)];
                if (order?.filled)
                  await store.recordOrderOutcome(order.id, report('filled', order.qty, 100, order.id), t);
              }
              const decided = orders.reduce((a, x) => a + x.qty, 0);
              expect(await exposure(), `after ${JSON.stringify(o)}`).toBeGreaterThanOrEqual(decided * 100 - 1e-6);
            }
            // Once every outcome is in and a current view applied, nothing is counted twice.
            for (const order of orders) order.filled = true;
            for (const order of orders)
              await store.recordOrderOutcome(order.id, report('filled', order.qty, 100, order.id), t);
            const basis = await store.viewBasis(acct);
            const pos = venuePosition();
            await store.applyView(
              acct,
              {
                asOf: basis.asOf,
                equity: 10_000,
                positions: pos > 0 ? [{ symbol: 'BTC/USDT', qty: pos, avgPrice: 100, mark: 100 }] : [],
              },
              t + 1,
            );
            expect(await exposure()).toBeCloseTo(pos * 100, 6);
          }),
          { numRuns: 60 },
        );
      });

      it('creates an unseen account from a view, its equity starting the day, and stamps synced_at', async () => {
        const btc = { symbol: 'BTC/USDT', qty: 0.5, avgPrice: 100, mark: 120 };
        await store.applyView('acct-new', view(7_000, [btc]), T0 + 5);
        expect(await store.accountSnapshot('acct-new', 'BTC/USDT', T0 + 6, 10_000)).toEqual({
          equity: 7_000,
          peak_equity: 7_000,
          day_start_equity: 7_000,
          gross_exposure: 60,
          daily_count: 0,
          position: { qty: 0.5, avg_price: 100, pending_reduce_qty: 0 },
          synced_at: T0 + 5,
        });
        await store.applyView('acct-new', view(7_500), T0 + 7);
        expect((await peek({ accountId: 'acct-new', now: T0 + 8 })).account).toMatchObject({
          equity: 7_500,
          peak_equity: 7_500,
          day_start_equity: 7_000,
          synced_at: T0 + 7,
        });
      });

      it('applies concurrent views of a new account one after the other', async () => {
        const apply = (i: number) =>
          store.applyView('acct-new', view(1_000 + i, [{ symbol: 'BTC/USDT', qty: 1, avgPrice: 1, mark: i }]), T0 + i);
        await Promise.all(Array.from({ length: 8 }, (_, i) => apply(i + 1)));
        const s = await store.accountSnapshot('acct-new', 'BTC/USDT', T0 + 10, 0);
        expect(s.position.qty, "exactly one view's positions remain").toBe(1);
        expect(s.gross_exposure, 'positions and equity come from the same view').toBe(s.equity - 1_000);
        expect(s.synced_at).toBe(T0 + s.gross_exposure);
      });

      it('creates the account in accountSnapshot and rolls its day from `now`', async () => {
        expect(await store.accountSnapshot('acct-new', null, T0, 5_000)).toEqual({
          equity: 5_000,
          peak_equity: 5_000,
          day_start_equity: 5_000,
          gross_exposure: 0,
          daily_count: 0,
          position: { qty: 0, avg_price: 0, pending_reduce_qty: 0 },
          synced_at: null,
        });
        await see({ accountId: 'acct-new' }, { reserve: buy(100) });
        await store.applyView('acct-new', view(6_000), T0);
        expect(await store.accountSnapshot('acct-new', 'BTC/USDT', T0, 1)).toMatchObject({
          daily_count: 1,
          synced_at: T0,
          equity: 6_000,
        });
        expect(await store.accountSnapshot('acct-new', 'BTC/USDT', T0 + 86_400_000, 1)).toMatchObject({
          daily_count: 0,
          day_start_equity: 6_000,
          gross_exposure: 100,
        });
      });

      it('returns doubles exactly as written', async () => {
        const equity = 0.1 + 0.2;
        await see({ initialEquity: equity }, { reserve: buy(1 / 3, { quantity: 1e-9 }) });
        await store.applyView(
          'acct-1',
          view(equity, [{ symbol: 'BTC/USDT', qty: 1e-8, avgPrice: 1 / 7, mark: 123_456.789 }]),
          T0,
        );
        const s = await peek();
        expect(s.account.equity).toBe(equity);
        expect(s.account.position).toEqual({ qty: 1e-8, avg_price: 1 / 7, pending_reduce_qty: 0 });
        expect(s.account.gross_exposure).toBe(1e-8 * 123_456.789 + 1 / 3);
      });
    });

    describe('ledger', () => {
      it('starts at the genesis head', async () => {
        expect(await store.ledgerHead()).toEqual({ count: 0, head_hash: GENESIS_HASH });
        expect(await store.ledgerRange(1, 10)).toEqual([]);
      });

      it('chains decisions, outcomes and direct appends into one verifiable ledger', async () => {
        for (let i = 0; i < 20; i++) {
          await see({ now: T0 + i }, { verdictId: `v${i}`, reserve: buy(10), certificateJson: `body ${i} \u00e9` });
          await store.recordOrderOutcome(`v${i}`, { kind: 'refused', code: 'X', message: 'm' }, T0 + i);
          expect(await store.ledgerAppend('note', `r${i}`, `{"i":${i}}`, T0 + i)).toBe(3 * i + 3);
        }
        const chain = await verifyLedger(store, 7);
        expect(chain.ok, JSON.stringify(chain.problems)).toBe(true);
        expect(chain.count).toBe(60);
        expect(await store.ledgerHead()).toEqual({ count: 60, head_hash: chain.head });
        const page = await store.ledgerRange(10, 3);
        expect(page.map((r) => r.seq)).toEqual([10, 11, 12]);
        expect(page[2]).toMatchObject({ ts: T0 + 3, kind: 'note', ref: 'r3', body: '{"i":3}' });
        expect(page[1]!.hash).toBe(page[2]!.prev_hash);
        expect((await store.ledgerRange(1, 1))[0]).toMatchObject({
          kind: 'verdict',
          body: 'body 0 \u00e9',
          prev_hash: GENESIS_HASH,
        });
      });

      it('keeps concurrent appends one linear chain', async () => {
        const seqs = await Promise.all(Array.from({ length: 40 }, (_, i) => store.ledgerAppend('k', `r${i}`, 'b', T0)));
        expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        const chain = await verifyLedger(store);
        expect(chain.ok, JSON.stringify(chain.problems)).toBe(true);
      });

      it('stores checkpoints in insertion order', async () => {
        const cp = (count: number) => ({
          count,
          head_hash: 'h'.repeat(64),
          ts: T0 + count,
          key_id: 'ed25519:k',
          signature: `s${count}`,
        });
        await store.addCheckpoint(cp(5));
        await store.addCheckpoint(cp(2));
        expect(await store.checkpoints()).toEqual([cp(5), cp(2)]);
      });
    });

    describe('agents', () => {
      it('registers agents by token hash, re-registers in place and lists them by id', async () => {
        await store.putAgent('zeta', 't-z', 'acct-z', T0);
        await store.putAgent('alpha', 't-a', 'acct-a', T0 + 1);
        await store.putAgent('zeta', 't-z2', 'acct-z2', T0 + 2);
        expect(await store.agentByToken('t-z2')).toEqual({ agentId: 'zeta', accountId: 'acct-z2' });
        expect(await store.agentByToken('t-z')).toBeNull();
        expect(await store.agents()).toEqual([
          { agentId: 'alpha', accountId: 'acct-a', createdAt: T0 + 1 },
          { agentId: 'zeta', accountId: 'acct-z2', createdAt: T0 },
        ]);
      });
    });

    describe('approvals', () => {
      async function open(approvalId: string, createdAt = T0) {
        await see(
          {},
          {
            decision: 'PENDING_APPROVAL',
            approval: {
              approvalId,
              verdictId: nextId('v'),
              accountId: 'acct-1',
              agentId: 'agent-1',
              venue: 'paper',
              orderHash: 'h',
              intentJson: '{}',
              notional: 1,
              createdAt,
              expiresAt: createdAt + 1_000,
            },
          },
        );
      }

      it('moves an approval only from the state it is in', async () => {
        await open('a2', T0 + 5);
        await open('a1', T0);
        expect(await store.transitionApproval('a1', 'pending', 'approved', 'alice', T0 + 10)).toBe(true);
        expect(await store.transitionApproval('a1', 'pending', 'rejected', 'bob', T0 + 11)).toBe(false);
        expect(await store.transitionApproval('nope', 'pending', 'approved', 'bob', T0 + 11)).toBe(false);
        expect(await store.approval('a1')).toMatchObject({
          status: 'approved',
          decidedAt: T0 + 10,
          decidedBy: 'alice',
          resultVerdictId: null,
        });
        expect(await store.transitionApproval('a1', 'approved', 'executed', null, T0 + 12, 'v-exec')).toBe(true);
        expect(await store.approval('a1'), 'a null `by` keeps the approver').toMatchObject({
          status: 'executed',
          decidedAt: T0 + 12,
          decidedBy: 'alice',
          resultVerdictId: 'v-exec',
        });
        expect(
          (await store.approvals()).map((a) => a.approvalId),
          'oldest first',
        ).toEqual(['a1', 'a2']);
        expect((await store.approvals({ status: 'pending' })).map((a) => a.approvalId)).toEqual(['a2']);
      });

      it('lets exactly one of concurrent transitions win', async () => {
        await open('a1');
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.transitionApproval('a1', 'pending', i % 2 ? 'approved' : 'rejected', `user-${i}`, T0 + i),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await store.approval('a1')).toMatchObject({
          status: winner % 2 ? 'approved' : 'rejected',
          decidedBy: `user-${winner}`,
        });
      });
    });

    describe('audit', () => {
      it('filters by agent, kind and an inclusive time range, newest first, up to the limit', async () => {
        const ts = (m: number) => `2026-06-01T12:0${m}:00.000Z`;
        const rows = [
          { audit_id: 'a0', ts: ts(0), kind: 'vet', agent_id: 'agent-1', body: '{}' },
          { audit_id: 'a1', ts: ts(1), kind: 'place', agent_id: 'agent-1', body: '{"n":1}' },
          { audit_id: 'a2', ts: ts(2), kind: 'vet', agent_id: 'agent-2', body: '{}' },
          { audit_id: 'a3', ts: ts(3), kind: 'vet', agent_id: null, body: '{}' },
          { audit_id: 'a4', ts: ts(4), kind: 'vet', agent_id: 'agent-1', body: '{}' },
        ];
        for (const r of [rows[3]!, rows[0]!, rows[4]!, rows[1]!, rows[2]!]) await store.appendAudit(r);
        const ids = async (f: Parameters<Store['audit']>[0]) => (await store.audit(f)).map((r) => r.audit_id);
        expect(await store.audit({ limit: 1 })).toEqual([rows[4]]);
        expect(await ids({ limit: 10 })).toEqual(['a4', 'a3', 'a2', 'a1', 'a0']);
        expect(await ids({ agentId: 'agent-1', limit: 10 })).toEqual(['a4', 'a1', 'a0']);
        expect(await ids({ kind: 'vet', agentId: 'agent-1', limit: 10 })).toEqual(['a4', 'a0']);
        expect(await ids({ since: ts(1), until: ts(3), limit: 10 })).toEqual(['a3', 'a2', 'a1']);
        expect(await ids({ since: ts(1), until: ts(3), limit: 2 })).toEqual(['a3', 'a2']);
        expect(await store.audit({ kind: 'place', limit: 10 })).toEqual([rows[1]]);
      });
    });

    describe('documents', () => {
      it('gets, puts and lists documents per namespace in key order', async () => {
        expect(await store.getDoc('ns', 'k')).toBeNull();
        await store.putDoc('ns', 'b', '{"v":1}', T0);
        await store.putDoc('ns', 'a', '{"v":2}', T0);
        await store.putDoc('ns', 'B', '{"v":3}', T0);
        await store.putDoc('other', 'a', 'x', T0);
        await store.putDoc('ns', 'b', '{"v":4}', T0 + 1);
        expect(await store.getDoc('ns', 'b')).toBe('{"v":4}');
        expect(await store.listDocs('ns'), 'keys sort byte-wise').toEqual([
          { key: 'B', value: '{"v":3}' },
          { key: 'a', value: '{"v":2}' },
          { key: 'b', value: '{"v":4}' },
        ]);
        expect(await store.listDocs('none')).toEqual([]);
      });

      it('updates a document read-modify-write, creating it when missing', async () => {
        const seen: (string | null)[] = [];
        const bump = (cur: string | null) => {
          seen.push(cur);
          return String(Number(cur ?? '0') + 1);
        };
        expect(await store.updateDoc('ns', 'n', bump, T0)).toBe('1');
        expect(await store.updateDoc('ns', 'n', bump, T0)).toBe('2');
        expect(seen).toEqual([null, '1']);
        expect(await store.getDoc('ns', 'n')).toBe('2');
      });

      it('writes the other documents an update returns in the same transaction', async () => {
        await store.updateDoc(
          'ns',
          'main',
          () => ({
            value: 'v1',
            also: [
              { ns: 'arch', key: 'a', value: 'old' },
              { ns: 'arch', key: 'b', value: 'x' },
            ],
          }),
          T0,
        );
        expect(await store.getDoc('ns', 'main')).toBe('v1');
        expect(await store.listDocs('arch')).toEqual([
          { key: 'a', value: 'old' },
          { key: 'b', value: 'x' },
        ]);
      });

      it('writes nothing when the update function throws', async () => {
        const boom = () => {
          throw new Error('abort');
        };
        await expect(store.updateDoc('ns', 'missing', boom, T0)).rejects.toThrow('abort');
        expect(await store.getDoc('ns', 'missing')).toBeNull();
        await store.putDoc('ns', 'k', 'keep', T0);
        await expect(store.updateDoc('ns', 'k', boom, T0)).rejects.toThrow('abort');
        expect(await store.getDoc('ns', 'k')).toBe('keep');
      });

      it('loses no update under 50 concurrent increments, including the one that creates the document', async () => {
        const inc = (cur: string | null) => String(Number(cur ?? '0') + 1);
        await Promise.all(Array.from({ length: 50 }, () => store.updateDoc('ns', 'counter', inc, T0)));
        expect(await store.getDoc('ns', 'counter')).toBe('50');
      });
    });

    describe('lifecycle', () => {
      it('tolerates init being called again', async () => {
        await see();
        await store.init();
        expect((await store.ledgerHead()).count).toBe(1);
      });
    });
  });
}
