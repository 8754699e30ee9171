import { cpSync, rmSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { listedPredictionViews } from '../../src/core/prediction/board.js';
import { addAgents, looseLimits, makeHome } from '../seams/support/homes.js';
import { cleanUpAfterAll } from '../seams/support/lifecycle.js';
import { childEnv, type Serve, startServe } from '../seams/support/processes.js';
import { tempHome } from '../support/cli.js';

/**
 * Three built `arbiter serve` instances, each with its own ARBITER_HOME (so no order-submission lock is shared),
 * on one embedded PostgreSQL database: one agent's outcome buys sent through all three at once. Each buy is well
 * below the cost-basis caps ($25–$25.23 against $60 per market and $100 in total); together they are over $600, and each
 * instance's first buy lands in the same market at the same moment.
 */
const PER_MARKET = 60;
/**
 * The board as it stood when CI first ran this test (2026-12-02T17:17:21Z): the second market was at 1¢ and its
 * book one-sided, so buys were refused QUOTE_MISSING. The instances' clock is moved there (ARBITER_CLOCK_OFFSET_MS).
 */
const AT = Date.parse('2026-12-02T17:17:21Z');
const TOTAL = 100;

cleanUpAfterAll();
const extraHomes: string[] = [];
afterAll(() => {
  for (const d of extraHomes) rmSync(d, { recursive: true, force: true });
});

it('holds the per-market and total cost-basis caps across three serve instances sharing only PostgreSQL', async () => {
  const home = await makeHome('postgres', (m) => {
    looseLimits(m);
    m.hard_caps.allowed_instruments.push('prediction');
    m.universe.asset_classes.push('prediction');
    m.arbiter.market_kinds = [...(m.arbiter.market_kinds ?? []), 'prediction'];
    m.arbiter.allow_capping = false;
    m.arbiter.prediction = { max_cost_basis_per_market_usd: PER_MARKET, max_cost_basis_total_usd: TOTAL };
  });
  const token = (await addAgents(home, ['bettor'])).get('bettor')!;
  const homes = [home.dir, tempHome('arbiter-cb-2-'), tempHome('arbiter-cb-3-')];
  extraHomes.push(...homes.slice(1));
  for (const dir of homes.slice(1)) cpSync(home.dir, dir, { recursive: true });
  const offset = AT - Date.now();
  const instances: Serve[] = await Promise.all(
    homes.map((dir) =>
      startServe(
        childEnv({
          ARBITER_HOME: dir,
          ARBITER_DATABASE_URL: home.dbUrl!,
          ARBITER_ADMIN_TOKEN: home.adminToken,
          ARBITER_CLOCK_OFFSET_MS: String(offset),
        }),
      ),
    ),
  );
  const auth = { authorization: `Bearer ${token}` };
  const open = listedPredictionViews(Date.now() + offset).filter((m) => m.status === 'open');
  const [m1, m2] = open.map((m) => m.market_id) as [string, string];
  expect([m1, m2]).toEqual(['SYN4988-M1', 'SYN4988-M2']);

  const answers = await Promise.all(
    Array.from({ length: 24 }, async (_, i) => {
      const r = await fetch(`${instances[i % 3]!.url}/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({
          market_id: Math.floor(i / 3) % 2 === 0 ? m1 : m2,
          outcome: i % 2 === 0 ? 'YES' : 'NO',
          side: 'buy',
          // Each a different order (the duplicate gate flags the same content decided in the same millisecond).
          notional: 25 + i / 100,
        }),
      });
      return { status: r.status, body: (await r.json()) as Record<string, any> };
    }),
  );

  const p = await fetch(`${instances[0]!.url}/v1/positions`, { headers: auth });
  const positions = ((await p.json()) as { positions: { symbol: string; quantity: number; entryPrice: number }[] })
    .positions;
  const cost = (id: string) =>
    positions.filter((x) => x.symbol.startsWith(`${id}-`)).reduce((s, x) => s + x.quantity * x.entryPrice, 0);
  const story = JSON.stringify(answers.map((a) => [a.status, a.body.decision, a.body.reasons, a.body.order?.status]));
  expect(cost(m1), `cost basis at the venue in the first market; ${story}`).toBeLessThanOrEqual(PER_MARKET + 1e-6);
  expect(cost(m2), 'cost basis at the venue in the second market').toBeLessThanOrEqual(PER_MARKET + 1e-6);
  expect(cost(m1) + cost(m2), 'cost basis at the venue in total').toBeLessThanOrEqual(TOTAL + 1e-6);

  const filled = answers.filter((a) => a.body.order?.filledQuantity > 0);
  expect(filled.length, JSON.stringify(answers[0]?.body)).toBeGreaterThan(0);
  const refused = answers.filter((a) => !(a.body.decision === 'ALLOW' || a.body.decision === 'ALLOW_CAPPED'));
  expect(refused.length).toBeGreaterThan(0);
  for (const a of refused)
    expect(a.body.reasons, JSON.stringify(a.body)).toContain('PREDICTION_COST_BASIS_EXCEEDS_CAP');
}, 180_000);
