import { describe, expect, it } from 'vitest';
import { recordFigures } from './support/figures.js';
import { looseLimits, makeHome, STORES } from './support/homes.js';
import { cleanUpAfterAll } from './support/lifecycle.js';
import { buyArgs, raceCli, spread } from './support/race.js';
import { budgetMs, SCALE } from './support/scale.js';

const QUOTE_REFUSALS = new Set(['QUOTE_FROM_FUTURE', 'QUOTE_STALE']);

cleanUpAfterAll();

/**
 * Case 3 of issue 12: many processes at once without `--quote` (the synthetic market's quote is fresh: it is
 * made at the moment it is asked for). Under load a process is slow, but a quote it has just fetched is neither
 * from the future nor stale.
 */
describe.each(STORES.filter((s) => s === 'sqlite' || SCALE.quoteOnPostgres))(
  'the reference quote under load (%s)',
  (store) => {
    it(
      `refuses none of ${SCALE.quoteRacers} orders sent at once as QUOTE_FROM_FUTURE or QUOTE_STALE`,
      async () => {
        const home = await makeHome(store, looseLimits);
        const amounts = spread(SCALE.quoteRacers, 20, 40);
        const results = await raceCli(home, SCALE.quoteRacers, (i) =>
          buyArgs(`loaded-${i}`, i % 2 ? 'ETH/USDT' : 'BTC/USDT', amounts[i]!, '--execute'),
        );
        const refused = results.filter((r) => r.reasons.some((c) => QUOTE_REFUSALS.has(c)));
        const decisions = new Map<string, number>();
        for (const r of results) {
          const k = `${r.decision ?? `exit ${r.code}`} ${r.reasons.join('+')}`.trim();
          decisions.set(k, (decisions.get(k) ?? 0) + 1);
        }
        recordFigures(`quote-under-load/${store}/${SCALE.name}`, {
          processes: results.length,
          decisions: Object.fromEntries(decisions),
          quoteRefusals: refused.map((r) => r.messages.join('; ')),
        });
        expect(
          results.filter((r) => r.decision === null).map((r) => `exit ${r.code}: ${r.stderr.slice(0, 200)}`),
          'every process prints a verdict',
        ).toEqual([]);
        expect(
          refused.length,
          `${refused.length} of ${results.length} legitimate orders refused for the quote's time: ${refused
            .slice(0, 5)
            .map((r) => r.messages.join('; '))
            .join(' | ')}`,
        ).toBe(0);
      },
      budgetMs(4_000, SCALE.quoteRacers),
    );
  },
);
