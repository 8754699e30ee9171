import { describe, expect, it } from 'vitest';
import { httpDoor } from './support/doors.js';
import { recordFigures } from './support/figures.js';
import { addAgents, cloneHome, type Home, looseLimits, makeHome, STORES, type StoreKind } from './support/homes.js';
import { forwardingCount, inFlight, snapshot, unresolved } from './support/inspect.js';
import {
  auditByVerdict,
  ledgerPositions,
  outcomesOf,
  sentClientIds,
  venueBook,
  venueOrders,
  venuePositions,
  verdictOfVenueOrder,
  verdictRecordMismatches,
  verdictsOf,
} from './support/ledger-facts.js';
import { cleanUpAfterAll } from './support/lifecycle.js';
import { kill, runCli, type Serve, sleep, startServe, waitFor } from './support/processes.js';
import { budgetMs, SCALE } from './support/scale.js';
import { type StormOrder, storm } from './support/storm.js';

/**
 * Case 5 of issue 12: `serve` is SIGKILLed under load while orders are between "decided" and "venue answered".
 * It is restarted and more than 100 further orders are placed (the paper venue used to remember only its last 100
 * finished orders, so a recovery by client order id after that found nothing), then it is restarted with a small
 * ARBITER_RECOVER_AFTER_MS and left to recover. Then the store, the ledger and the venue must agree exactly.
 *
 * The first serve's paper exchange has a simulated round trip (ARBITER_PAPER_LATENCY_MS), so orders spend time
 * between "sent" and "answered" however fast the machine is.
 *
 * The further orders go through a restart whose recovery is held off (ARBITER_RECOVER_AFTER_MS of ten minutes),
 * so the recovery always comes after them: how quickly a loaded machine places 110 orders must not decide what
 * this case tests.
 */
const AGENTS = ['crash-a', 'crash-b', 'crash-c', 'crash-d'];
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];
const bases = new Map<StoreKind, Promise<{ home: Home; tokens: Map<string, string> }>>();

cleanUpAfterAll();

/** One installation per store with the agents added; each repetition runs on a copy of it. */
function base(store: StoreKind) {
  let b = bases.get(store);
  if (!b) {
    b = (async () => {
      const home = await makeHome(store, looseLimits);
      return { home, tokens: await addAgents(home, AGENTS) };
    })();
    bases.set(store, b);
  }
  return b;
}

function orders(prefix: string, n: number): StormOrder[] {
  return Array.from({ length: n }, (_, i) => ({
    agent: AGENTS[i % AGENTS.length]!,
    intent: {
      symbol: SYMBOLS[i % SYMBOLS.length]!,
      side: 'buy',
      notional: 20 + (i % 20),
      client_order_id: `${prefix}-${i}`,
    },
  }));
}

function placeThrough(serve: Serve, tokens: Map<string, string>) {
  return (o: StormOrder) => httpDoor(serve, tokens.get(o.agent)!).place(o.intent);
}

interface RunFigures {
  readonly rep: number;
  readonly sentBeforeKill: number;
  readonly inFlightAtKill: number;
  /** Of those, how many the venue had already filled. */
  readonly atVenueUnrecordedAtKill: number;
  readonly placedAfter: number;
  readonly recoveredAs: Record<string, number>;
  readonly venuePositions: Record<string, number>;
  readonly ledgerPositions: Record<string, number>;
  readonly venuePlaced: number;
  readonly ledgerAccepted: number;
  /** Venue orders (as far as the venue lists them) filled there but not recorded filled in the ledger and store. */
  readonly fillsNotRecorded: readonly string[];
  readonly verdicts: number;
  /** Verdicts without exactly one ledger record, plus ledger verdict records without a verdict. */
  readonly verdictRecordMismatches: number;
  readonly auditMissing: number;
  readonly auditDoubled: number;
  readonly doubledAtVenue: number;
  readonly leftInFlight: number;
  readonly chainOk: boolean;
}

async function crashAndRecover(store: StoreKind, rep: number): Promise<RunFigures> {
  const b = await base(store);
  const home = await cloneHome(b.home);
  // 1. A storm over HTTP. Once it is under way, SIGKILL as soon as an order is seen mid-forward: some of
  // them have usually reached the venue, their outcome not yet recorded.
  // The paper exchange answers after a 60 ms round trip (ARBITER_PAPER_LATENCY_MS), as a remote one would: on a
  // fast machine an in-process exchange answers within the watcher's poll, and the kill would catch nothing.
  const first = await startServe(home.env({ ARBITER_PAPER_LATENCY_MS: '60' }));
  let killed = false;
  let answered = 0;
  const warm = Math.min(40, Math.floor(SCALE.crashStormOrders / 4));
  const watcher = (async () => {
    while (!killed) {
      if (answered >= warm && (await forwardingCount(home).catch(() => 0)) >= 1) break;
      await sleep(2);
    }
    // Into the second half of the round trip: the exchange has booked it, its answer has not arrived.
    await sleep(40);
    if (!killed) await kill(first.child, 'SIGKILL');
    killed = true;
  })();
  const before = await storm({
    orders: orders(`r${rep}-pre`, SCALE.crashStormOrders),
    concurrency: 16,
    send: placeThrough(first, b.tokens),
    stop: () => killed,
    onSent: (x) => {
      if (x.answer) answered += 1;
    },
  });
  killed = true;
  await watcher;
  await kill(first.child, 'SIGKILL');
  const killedAt = await snapshot(home);
  const atKill = inFlight(killedAt).length;
  // Orders the venue has that the store has no outcome for yet: what recovery must find by client order id.
  const atVenueUnrecorded = venueBook(killedAt).placed - [...outcomesOf(killedAt.ledger).values()].length;

  // 2. Restart with recovery held off; more than 100 further orders.
  const second = await startServe(home.env({ ARBITER_RECOVER_AFTER_MS: '600000' }));
  const after = await storm({
    orders: orders(`r${rep}-post`, SCALE.ordersAfterCrash),
    concurrency: 8,
    send: placeThrough(second, b.tokens),
  });
  await kill(second.child, 'SIGTERM');

  // 3. Restart with a small ARBITER_RECOVER_AFTER_MS and wait until nothing is left in flight.
  const third = await startServe(home.env({ ARBITER_RECOVER_AFTER_MS: '300' }));
  await waitFor(
    'the restarted serve to resolve every order left in flight',
    async () => (unresolved(await snapshot(home)).length === 0 ? true : undefined),
    60_000,
    500,
  ).catch(() => undefined); // what is left is asserted below, with figures
  await kill(third.child, 'SIGTERM');

  const s = await snapshot(home);
  const verdicts = verdictsOf(s.ledger);
  const outcomes = outcomesOf(s.ledger);
  const recoveredAs: Record<string, number> = {};
  for (const o of outcomes.values())
    if (o.kind === 'failed') recoveredAs[o.code ?? '?'] = (recoveredAs[o.code ?? '?'] ?? 0) + 1;
  const audits = auditByVerdict(s);
  const book = venueBook(s);
  const chain = await runCli(home.env(), ['ledger', 'verify']);
  return {
    rep,
    sentBeforeKill: before.filter((x) => x.answer).length,
    inFlightAtKill: atKill,
    atVenueUnrecordedAtKill: atVenueUnrecorded,
    placedAfter: after.filter((x) => x.answer?.order?.status === 'filled').length,
    recoveredAs,
    venuePositions: Object.fromEntries(venuePositions(s)),
    ledgerPositions: Object.fromEntries(ledgerPositions(s)),
    venuePlaced: book.placed,
    ledgerAccepted: [...outcomes.values()].filter((o) => o.kind === 'accepted').length,
    fillsNotRecorded: venueOrders(s)
      .filter((o) => o.status === 'filled')
      .filter((o) => {
        const v = verdictOfVenueOrder(o, verdicts, outcomes, sentClientIds(s));
        const stored = v && s.orders.find((x) => x.verdict_id === v.id)?.status;
        return !v || outcomes.get(v.id)?.status !== 'filled' || stored !== 'filled';
      })
      .map((o) => `${o.orderId} (${o.clientOrderId})`),
    verdicts: s.verdictIds.length,
    verdictRecordMismatches: verdictRecordMismatches(s),
    auditMissing: verdicts.filter((v) => (audits.get(v.id) ?? 0) === 0).length,
    auditDoubled: verdicts.filter((v) => (audits.get(v.id) ?? 0) > 1).length,
    doubledAtVenue: book.doubled.length,
    leftInFlight: unresolved(s).length,
    chainOk: chain.code === 0,
  };
}

const samePositions = (r: RunFigures) =>
  [...new Set([...Object.keys(r.venuePositions), ...Object.keys(r.ledgerPositions)])].every(
    (k) => Math.abs((r.venuePositions[k] ?? 0) - (r.ledgerPositions[k] ?? 0)) <= 1e-9,
  );

function runs(rs: readonly RunFigures[], bad: (r: RunFigures) => boolean): string {
  return `${rs.filter(bad).length} of ${rs.length} runs: ${JSON.stringify(rs.filter(bad))}`;
}

describe.each(STORES.filter((s) => s === 'sqlite' || SCALE.crashOnPostgres))(
  'a SIGKILL of serve under load, then restart and recovery (%s)',
  (store) => {
    it(
      'ends with every venue fill recorded, the ledger and venue agreeing, one ledger record and audit row per verdict, nothing doubled or in flight',
      async () => {
        const rs: RunFigures[] = [];
        for (let rep = 1; rep <= SCALE.killRepetitions; rep++) rs.push(await crashAndRecover(store, rep));
        recordFigures(`crash-recovery/${store}/${SCALE.name}`, rs);
        expect(
          rs.filter((r) => r.inFlightAtKill === 0).length,
          `the SIGKILL caught no order mid-forward in ${runs(rs, (r) => r.inFlightAtKill === 0)}`,
        ).toBe(0);
        expect(
          rs.filter((r) => r.placedAfter < SCALE.ordersAfterCrash).length,
          `not every order after the restart was filled in ${runs(rs, (r) => r.placedAfter < SCALE.ordersAfterCrash)}`,
        ).toBe(0);
        expect
          .soft(
            rs.filter((r) => r.leftInFlight > 0).length,
            `orders left forwarding after recovery in ${runs(rs, (r) => r.leftInFlight > 0)}`,
          )
          .toBe(0);
        expect
          .soft(
            rs.filter((r) => r.fillsNotRecorded.length > 0).length,
            `orders the venue filled are not recorded filled in ${runs(rs, (r) => r.fillsNotRecorded.length > 0)}`,
          )
          .toBe(0);
        expect
          .soft(
            rs.filter((r) => !samePositions(r)).length,
            `the ledger's net position differs from the venue's in ${runs(rs, (r) => !samePositions(r))}`,
          )
          .toBe(0);
        expect
          .soft(
            rs.filter((r) => r.venuePlaced !== r.ledgerAccepted).length,
            `orders the venue placed are not all recorded as sent in ${runs(rs, (r) => r.venuePlaced !== r.ledgerAccepted)}`,
          )
          .toBe(0);
        expect
          .soft(
            rs.filter((r) => r.doubledAtVenue > 0).length,
            `a client order id executed twice at the venue in ${runs(rs, (r) => r.doubledAtVenue > 0)}`,
          )
          .toBe(0);
        expect
          .soft(
            rs.filter((r) => r.verdictRecordMismatches > 0).length,
            `verdicts without exactly one ledger record in ${runs(rs, (r) => r.verdictRecordMismatches > 0)}`,
          )
          .toBe(0);
        expect
          .soft(
            rs.filter((r) => r.auditMissing + r.auditDoubled > 0).length,
            `verdicts without exactly one audit row in ${runs(rs, (r) => r.auditMissing + r.auditDoubled > 0)}`,
          )
          .toBe(0);
        expect
          .soft(rs.filter((r) => !r.chainOk).length, `arbiter ledger verify failed in ${runs(rs, (r) => !r.chainOk)}`)
          .toBe(0);
      },
      budgetMs(240_000, SCALE.killRepetitions),
    );
  },
);
