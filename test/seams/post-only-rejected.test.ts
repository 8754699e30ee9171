import { expect, it } from 'vitest';
import { looseLimits, makeHome } from './support/homes.js';
import { snapshot } from './support/inspect.js';
import { cleanUpAfterAll } from './support/lifecycle.js';
import { buyArgs, cliVet } from './support/race.js';

/**
 * Case 10 of issue 12: "a failed forward never counts as a trade". With one trade left today, a post-only limit
 * order that would cross the book is refused by the venue (the paper exchange rejects it); it must not use up the
 * day, so a normal order after it is allowed and filled. Through the CLI, on SQLite.
 */
cleanUpAfterAll();

it('does not use up the last daily trade on a post-only order the venue rejects', async () => {
  const home = await makeHome('sqlite', (m) => {
    looseLimits(m);
    m.hard_caps.max_trades_per_day = 1;
  });
  // The market's ask, from a dry run by another agent: a post-only buy 1% above it crosses the book.
  const probe = await cliVet(home, buyArgs('probe', 'BTC/USDT', 20));
  const q = probe.certificate?.payload.context.quote as { bid: number; ask: number } | undefined;
  expect(q?.ask, `setup: no quote in the probe's certificate: ${probe.stderr}`).toBeGreaterThan(0);
  const limit = String(Math.ceil(q!.ask * 1.01));
  // Both orders pin that quote (`--quote`, documented for tests): this case is about the day's count, and a slow
  // process's quote timing (case 3, quote-under-load.test.ts) must not decide it.
  const quote = ['--quote', `${q!.bid},${q!.ask}`];

  const maker = buyArgs('maker', 'BTC/USDT', 50, ...quote);
  const po = await cliVet(home, [...maker, '--type', 'limit', '--limit-price', limit, '--tif', 'PO', '--execute']);
  expect(po.decision, `setup: the firewall should pass the post-only order: ${po.reasons} ${po.messages}`).toBe(
    'ALLOW',
  );
  const rejected = po.execution?.order?.status === 'rejected' || po.execution?.order_error != null;
  expect(rejected, `setup: the venue should refuse a crossing post-only order: ${JSON.stringify(po.execution)}`).toBe(
    true,
  );

  const normal = await cliVet(home, [...maker, '--execute']);
  const s = await snapshot(home);
  const filled = (s.paper?.orders ?? []).filter((o) => o.status === 'filled').length;
  const what = `the order after the venue's rejection got ${normal.decision} [${normal.reasons}] ${normal.messages}; store count ${s.account?.daily_count}`;
  expect
    .soft(normal.reasons, `${what} (the rejected post-only order used up the day's only trade)`)
    .not.toContain('DAILY_TRADE_LIMIT');
  expect.soft(normal.decision, what).toBe('ALLOW');
  expect.soft(normal.execution?.order?.status, what).toBe('filled');
  expect
    .soft(
      s.account?.daily_count,
      `the day's count must be the ${filled} order(s) the venue filled, not the rejected one`,
    )
    .toBe(filled);
}, 120_000);
