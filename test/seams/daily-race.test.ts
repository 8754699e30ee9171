import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { recordFigures } from './support/figures.js';
import { looseLimits, makeHome, STORES, type StoreKind } from './support/homes.js';
import { snapshot } from './support/inspect.js';
import { tally, venueOrders, verdictsOf } from './support/ledger-facts.js';
import { cleanUpAfterAll } from './support/lifecycle.js';
import { buyArgs, cliVet, raceCli, spread } from './support/race.js';
import { budgetMs, SCALE } from './support/scale.js';

/** k trades a day, k − 1 of them already used when the race starts. */
const K = 2;

interface RunFigures {
  readonly rep: number;
  readonly racersAllowed: number;
  readonly racersFilled: number;
  readonly venuePlaced: number;
  readonly venueFilled: number;
  readonly storeCount: number | null;
  readonly fileCount: number | null;
  readonly otherRefusals: readonly string[];
  readonly tally: string;
}

function tradeCounterFile(home: string): { date?: string; count?: number } | null {
  try {
    return JSON.parse(readFileSync(new RuntimeLayout(home).tradeCounter('paper'), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Case 2 of issue 12: `hard_caps.max_trades_per_day` = k, with k − 1 used today by one earlier order; then N OS
 * processes race for the last trade (`arbiter vet --execute`, $40–$60 each, nothing else binds).
 */
async function race(store: StoreKind, rep: number): Promise<RunFigures> {
  const home = await makeHome(store, (m) => {
    looseLimits(m);
    m.hard_caps.max_trades_per_day = K;
  });
  let quote = '';
  for (let i = 0; i < K - 1; i++) {
    const first = await cliVet(home, buyArgs('early', 'BTC/USDT', 70 + i, '--execute'));
    if (first.decision !== 'ALLOW' || first.execution?.order?.status !== 'filled')
      throw new Error(
        `setup: the day's first trade was not filled: ${first.decision} ${first.reasons} ${first.stderr}`,
      );
    const q = first.certificate?.payload.context.quote;
    quote = `${q.bid},${q.ask}`;
  }
  const amounts = spread(SCALE.racers, 40, 60);
  // The racers pin the reference quote the day's first trade was judged on (`--quote`, documented for tests), so
  // this race is about the count alone; the quote's timing under load is case 3 (quote-under-load.test.ts).
  const racers = await raceCli(home, SCALE.racers, (i) =>
    buyArgs(`racer-${i}`, 'BTC/USDT', amounts[i]!, '--quote', quote, '--execute'),
  );
  const s = await snapshot(home);
  const orders = venueOrders(s);
  const verdicts = verdictsOf(s.ledger).filter((v) => v.agent.startsWith('racer-'));
  const today = new Date().toISOString().slice(0, 10);
  const file = tradeCounterFile(home.dir);
  return {
    rep,
    racersAllowed: racers.filter((r) => r.decision === 'ALLOW' || r.decision === 'ALLOW_CAPPED').length,
    racersFilled: racers.filter((r) => r.execution?.order?.status === 'filled').length,
    venuePlaced: s.paper?.seq ?? 0,
    venueFilled: orders.filter((o) => o.status === 'filled').length,
    storeCount: s.account?.day === today ? s.account.daily_count : null,
    fileCount: file?.date === today && typeof file.count === 'number' ? file.count : null,
    otherRefusals: racers
      .filter((r) => r.decision !== 'ALLOW' && !(r.reasons.length === 1 && r.reasons[0] === 'DAILY_TRADE_LIMIT'))
      .map((r) =>
        r.decision ? `${r.decision} ${r.reasons.join('+')}` : `no verdict (exit ${r.code}): ${r.stderr.slice(0, 300)}`,
      ),
    tally: tally(verdicts),
  };
}

function report(runs: readonly RunFigures[], pick: (r: RunFigures) => boolean, what: string): string {
  const bad = runs.filter(pick);
  return `${what} in ${bad.length} of ${runs.length} runs: ${bad
    .map(
      (r) =>
        `run ${r.rep}: ${r.racersAllowed} racer(s) allowed, ${r.racersFilled} filled; venue placed ${r.venuePlaced} (${r.venueFilled} filled); count store=${r.storeCount} file=${r.fileCount}; racers [${r.tally}]`,
    )
    .join(' | ')}`;
}

cleanUpAfterAll();

describe.each(STORES)('the last trade of the day under a race of OS processes (%s)', (store) => {
  it(
    `places and fills exactly one of ${SCALE.racers} racing orders for the last daily trade and counts the day at k`,
    async () => {
      const runs: RunFigures[] = [];
      for (let rep = 1; rep <= SCALE.raceRepetitions; rep++) runs.push(await race(store, rep));
      recordFigures(`daily-race/${store}/${SCALE.name}`, runs);
      const doubled = (r: RunFigures) => r.venuePlaced > K || (r.storeCount ?? 0) > K || (r.fileCount ?? 0) > K;
      expect(runs.filter(doubled).length, report(runs, doubled, 'more than k trades were placed or counted')).toBe(0);
      const notOne = (r: RunFigures) => r.racersAllowed !== 1 || r.racersFilled !== 1 || r.venueFilled !== K;
      expect(
        runs.filter(notOne).length,
        report(runs, notOne, 'the last trade was not placed and filled exactly once'),
      ).toBe(0);
      const miscounted = (r: RunFigures) => r.storeCount !== K || r.fileCount !== K;
      expect(
        runs.filter(miscounted).length,
        report(runs, miscounted, 'the day did not end counted at k in the store and trade_counter.json'),
      ).toBe(0);
      expect(
        runs.flatMap((r) => r.otherRefusals.map((x) => `run ${r.rep}: ${x}`)),
        'racers refused for a reason other than the daily limit (their orders were legitimate)',
      ).toEqual([]);
    },
    budgetMs(4_000 * SCALE.racers, SCALE.raceRepetitions),
  );
});
