import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArenaOptions } from '../../src/app/arena/options.js';
import { runArena } from '../../src/app/arena/run.js';
import { leaderboard, type TrialInput } from '../../src/core/arena/index.js';
import { expectedShortfall, valueAtRisk } from '../../src/core/risk/var.js';
import { mulberry32, normalSampler, simpleReturns } from '../../src/core/stats/index.js';
import { TEST_ISSUER, tempDir } from './support/fixtures.js';

const OPTS = { seed: 7, partitions: 8, folds: 4, floor: 0.02, cap: 0.5, bootstrapResamples: 100, periodsPerYear: 8760 };

function trial(id: string, seed: number, vol: number): TrialInput {
  const z = normalSampler(mulberry32(seed));
  const equity = new Float64Array(1_001);
  equity[0] = 10_000;
  for (let t = 1; t < equity.length; t++) equity[t] = equity[t - 1]! * (1 + 0.0001 + vol * z());
  return {
    id,
    family: 'synthetic',
    benchmark: false,
    params: {},
    equity,
    closedTradePnls: [1, -1],
    tradedNotional: [1],
    fees: 0,
    funding: 0,
    fills: 2,
  };
}

describe('arena risk figures per agent', () => {
  const trials = [
    trial('calm', 1, 0.002),
    trial('wild', 2, 0.02),
    ...Array.from({ length: 6 }, (_, i) => trial(`n${i}`, 10 + i, 0.005)),
  ];

  it('reports the historical 95 % VaR and ES of each agent’s bar returns beside the other statistics', () => {
    const board = leaderboard(trials, OPTS);
    for (const t of trials) {
      const row = board.rows.find((r) => r.agent === t.id)!;
      const r = simpleReturns(t.equity);
      expect(row.var_95).toBe(valueAtRisk(r, { p: 0.95, method: 'historical' }));
      expect(row.es_95).toBe(expectedShortfall(r, { p: 0.95, method: 'historical' }));
      expect(row.es_95).toBeLessThanOrEqual(row.var_95);
    }
  });

  it('gives a seeded Monte Carlo drawdown band that is wider for the wilder agent and the same on every run', () => {
    const a = leaderboard(trials, OPTS);
    const b = leaderboard(trials, OPTS);
    const calm = a.rows.find((r) => r.agent === 'calm')!.mc_drawdown;
    const wild = a.rows.find((r) => r.agent === 'wild')!.mc_drawdown;
    expect(calm.p50).toBeGreaterThan(0);
    expect(calm.p50).toBeLessThanOrEqual(calm.p95);
    expect(wild.p95).toBeLessThan(1);
    expect(wild.p50).toBeGreaterThan(calm.p95);
    expect(a.rows.map((r) => r.mc_drawdown)).toEqual(b.rows.map((r) => r.mc_drawdown));
  });

  it('shows VaR, ES and the Monte Carlo drawdown as columns of the report', async () => {
    const dir = tempDir();
    const opts = { source: 'synthetic', bars: '200', warmup: '60', agents: 'buy-hold,momentum', quiet: true };
    await runArena(parseArenaOptions({ ...opts, bootstrap: '100', partitions: '8' }), dir, TEST_ISSUER);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    for (const head of ['VaR 95% (bar)', 'ES 95% (bar)', 'MC max DD p50 / p95'])
      expect(html).toContain(`<th>${head}</th>`);
    const table = html.slice(html.indexOf('<table'), html.indexOf('</table>'));
    const heads = (table.match(/<th>/g) ?? []).length;
    const firstRow = table.slice(table.indexOf('<tr class'), table.indexOf('</tr>', table.indexOf('<tr class')));
    expect((firstRow.match(/<td>/g) ?? []).length, 'every row has a cell per column').toBe(heads);
  }, 60_000);
});
