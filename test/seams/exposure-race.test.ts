import { describe, expect, it } from 'vitest';
import { recordFigures } from './support/figures.js';
import { looseLimits, makeHome, STORES, type StoreKind } from './support/homes.js';
import { inFlight, snapshot } from './support/inspect.js';
import {
  exposureDrops,
  outcomesOf,
  storeFilledExposure,
  tally,
  unseenAllows,
  usd,
  venueBook,
  verdictsOf,
} from './support/ledger-facts.js';
import { cleanUpAfterAll } from './support/lifecycle.js';
import { buyArgs, cliVet, raceCli, spread } from './support/race.js';
import { budgetMs, SCALE } from './support/scale.js';

const CAP = 1_000;
/** Marks move a little between two decisions; a lost reservation moves the exposure by a whole order ($300+). */
const MARK_TOLERANCE = 0.005;

interface RunFigures {
  readonly rep: number;
  readonly venue: number;
  readonly venueAtFill: number;
  readonly store: number;
  readonly allowed: number;
  readonly tally: string;
  readonly drops: readonly string[];
  /** ALLOWs judged without the order allowed just before them. */
  readonly unseen: readonly string[];
  /** What the processes that printed no verdict said (their first line). */
  readonly crashes: readonly string[];
  readonly orphans: number;
  readonly inFlight: number;
  readonly crashed: number;
  /** Refusals for anything but the exposure cap (each process's order is legitimate otherwise). */
  readonly otherRefusals: number;
}

/**
 * Case 1 of issue 12: N OS processes on one installation each buy $300–$349 of BTC/USDT (`arbiter vet --execute`,
 * the real synthetic market, no --quote) against a $1,000 gross exposure cap. Capping is OFF: an order that does
 * not fit is refused, so at most three fit. Funding is large, so only the exposure cap binds.
 *
 * `pinned`: the same race with every racer pinning one reference quote (`--quote`, taken from a dry run just
 * before), so the race is about the cap alone even while slow processes' quotes are refused (case 3).
 */
async function race(store: StoreKind, rep: number, pinned: boolean): Promise<RunFigures> {
  const home = await makeHome(store, (m) => {
    looseLimits(m);
    m.hard_caps.max_total_exposure_usd = CAP;
    m.arbiter.allow_capping = false;
  });
  let quote: string[] = [];
  if (pinned) {
    const probe = await cliVet(home, buyArgs('probe', 'BTC/USDT', 1));
    const q = probe.certificate?.payload.context.quote as { bid: number; ask: number } | undefined;
    if (!q) throw new Error(`setup: no quote in the probe's certificate: ${probe.stderr}`);
    quote = ['--quote', `${q.bid},${q.ask}`];
  }
  const amounts = spread(SCALE.racers, 300, 349);
  const results = await raceCli(home, SCALE.racers, (i) =>
    buyArgs(`racer-${i}`, 'BTC/USDT', amounts[i]!, ...quote, '--execute'),
  );
  const s = await snapshot(home);
  const verdicts = verdictsOf(s.ledger).filter((v) => v.agent.startsWith('racer-'));
  const book = venueBook(s);
  return {
    rep,
    venue: book.exposureAtVerdictPrice,
    venueAtFill: book.exposureAtFillPrice,
    store: storeFilledExposure(s),
    allowed: verdicts.filter((v) => v.decision === 'ALLOW').length,
    tally: tally(verdicts),
    drops: exposureDrops(verdicts, MARK_TOLERANCE).map(
      ({ from, to }) => `seq ${from.seq} judged ${usd(from.judgedGross)} → seq ${to.seq} judged ${usd(to.judgedGross)}`,
    ),
    unseen: unseenAllows(verdicts, outcomesOf(s.ledger), MARK_TOLERANCE).map(
      ({ from, to }) =>
        `seq ${to.seq} judged ${usd(to.judgedGross)}, not seq ${from.seq}'s ${usd(from.judgedGross)} + ${usd(from.effective?.notional ?? 0)}`,
    ),
    crashes: results.filter((r) => r.decision === null).map((r) => `exit ${r.code}: ${r.stderr.trim().split('\n')[0]}`),
    orphans: book.orphans.length,
    inFlight: inFlight(s).length,
    crashed: results.filter((r) => r.decision === null).length,
    otherRefusals: verdicts.filter(
      (v) => v.decision !== 'ALLOW' && !(v.reasons.length === 1 && v.reasons[0] === 'EXPOSURE_EXCEEDS_CAP'),
    ).length,
  };
}

function report(runs: readonly RunFigures[], pick: (r: RunFigures) => boolean, what: string): string {
  const bad = runs.filter(pick);
  return `${what} in ${bad.length} of ${runs.length} runs: ${bad
    .map(
      (r) =>
        `run ${r.rep}: venue ${usd(r.venue)} (at fill prices ${usd(r.venueAtFill)}), store ${usd(r.store)}, ${r.allowed} ALLOW [${r.tally}]${r.drops.length ? `; exposure went down: ${r.drops.join('; ')}` : ''}${r.unseen.length ? `; unseen: ${r.unseen.join('; ')}` : ''}${r.crashes.length ? `; crashed: ${r.crashes.join('; ')}` : ''}`,
    )
    .join(' | ')}`;
}

cleanUpAfterAll();

const VARIANTS: readonly [string, boolean, number][] = [
  ['the real synthetic quote (no --quote)', false, SCALE.raceRepetitions],
  ['one pinned quote (--quote)', true, SCALE.pinnedRaceRepetitions],
];

describe.each(STORES)('the gross exposure cap under a race of OS processes (%s)', (store) => {
  for (const [label, pinned, repetitions] of VARIANTS)
    it(
      `never lets ${SCALE.racers} processes buying at once fill more than the $1,000 cap, nor judge on an exposure that went down, with ${label}`,
      async () => {
        const runs: RunFigures[] = [];
        for (let rep = 1; rep <= repetitions; rep++) runs.push(await race(store, rep, pinned));
        recordFigures(`exposure-race/${store}/${pinned ? 'pinned-quote' : 'real-quote'}/${SCALE.name}`, runs);
        // Soft: every claim is reported on its own, so one run shows all that broke.
        expect
          .soft(
            runs.filter((r) => r.crashed > 0).map((r) => `run ${r.rep}: ${r.crashes.join('; ')}`),
            'every process prints a verdict',
          )
          .toEqual([]);
        expect
          .soft(
            runs.filter((r) => r.orphans > 0).map((r) => `run ${r.rep}: ${r.orphans}`),
            'venue orders without an ALLOW verdict behind them',
          )
          .toEqual([]);
        expect
          .soft(
            runs.filter((r) => r.inFlight > 0).map((r) => `run ${r.rep}: ${r.inFlight}`),
            'orders left in flight after every process exited',
          )
          .toEqual([]);
        const over = (r: RunFigures) => r.venue > CAP + 0.01 || r.store > CAP + 0.01;
        expect.soft(runs.filter(over).length, report(runs, over, 'the cap was exceeded')).toBe(0);
        const unseen = (r: RunFigures) => r.unseen.length > 0;
        expect
          .soft(
            runs.filter(unseen).length,
            report(runs, unseen, 'an ALLOW was judged without the order allowed just before it'),
          )
          .toBe(0);
        const dropped = (r: RunFigures) => r.drops.length > 0;
        expect
          .soft(
            runs.filter(dropped).length,
            report(runs, dropped, 'the exposure judged on went down between ALLOWs with no sells'),
          )
          .toBe(0);
        // Otherwise a run refused for another reason (e.g. QUOTE_FROM_FUTURE) would pass without racing the cap.
        const masked = (r: RunFigures) => r.otherRefusals > 0 || r.allowed < 2;
        expect
          .soft(
            runs.filter(masked).length,
            report(
              runs,
              masked,
              'the cap was not what refused (or fewer than the two orders that always fit were allowed)',
            ),
          )
          .toBe(0);
      },
      budgetMs(4_000 * SCALE.racers, Math.max(SCALE.raceRepetitions, SCALE.pinnedRaceRepetitions)),
    );
});
