import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliAsync, tempHome } from '../support/cli.js';

// `npm test` builds first: these drive bin/arbiter.js (dist/) as a user would.
const home = tempHome('arbiter-study-');
const roster = join(home, 'roster.json');
writeFileSync(roster, JSON.stringify({ agents: ['buy-hold', 'momentum-20', 'random-1'] }));
const STUDY = [
  'arena',
  'study',
  '--roster',
  roster,
  '--seeds',
  '20',
  '--windows',
  '2',
  '--bars',
  '120',
  '--warmup',
  '40',
  '--bootstrap',
  '300',
  '--quiet',
];

type Ci = [number, number];
interface Row {
  agent: string;
  runs: number;
  return: { mean: number; ci95: Ci };
  sharpe: { mean: number; ci95: Ci };
  dsr: number;
  null_control: { runs: number; return: { mean: number; ci95: Ci }; luck_share: number };
  edge_over_null: { mean: number; ci95: Ci };
  rank: { mean: number; sd: number };
  verdict: { distinguishable: boolean; line: string };
  fan: { markets: Record<string, number[]>; null: Record<string, number[]> };
}

describe('arena study (built CLI)', () => {
  const serialDir = join(home, 'serial');
  const parallelDir = join(home, 'parallel');

  it('over 20 seeds and 2 real windows reports CIs, the DSR over every trial, a null control and a verdict', async () => {
    const r = await cliAsync(home, [...STUDY, '--jobs', '1', '--out', serialDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim()).toBe(serialDir);
    const s = JSON.parse(readFileSync(join(serialDir, 'study.json'), 'utf8'));
    expect(s.study).toMatchObject({ runs: 22, null_runs: 22, agents: 3, prompts: 3, trials: 66 });
    expect(s.study.verdict_rule).toMatch(/deflated Sharpe.*0\.95.*null control/);
    const rows = s.agents as Row[];
    expect(rows.map((x) => x.agent)).toEqual(['buy-hold', 'momentum-20', 'random-1']);
    for (const row of rows) {
      expect(row.runs).toBe(22);
      const [lo, hi] = row.return.ci95;
      expect(lo).toBeLessThanOrEqual(row.return.mean);
      expect(row.return.mean).toBeLessThanOrEqual(hi);
      expect(row.sharpe.ci95[0]).toBeLessThanOrEqual(row.sharpe.ci95[1]);
      expect(row.dsr).toBeGreaterThanOrEqual(0);
      expect(row.dsr).toBeLessThanOrEqual(1);
      expect(row.null_control.runs).toBe(22);
      expect(row.null_control.return.ci95[0]).toBeLessThanOrEqual(row.null_control.return.ci95[1]);
      expect(row.edge_over_null.mean).toBeCloseTo(row.return.mean - row.null_control.return.mean, 5);
      expect(row.rank.mean).toBeGreaterThanOrEqual(1);
      expect(row.rank.mean).toBeLessThanOrEqual(3);
      // The rule as written: both conditions, nothing else.
      expect(row.verdict.distinguishable).toBe(row.dsr >= 0.95 && row.edge_over_null.ci95[0] > 0);
      expect(row.verdict.line).toMatch(
        new RegExp(`^${row.agent}: edge distinguishable from luck at 95 %: (yes|no) \\(DSR `),
      );
      expect(row.fan.markets.p50).toHaveLength(41);
      expect(row.fan.markets.p50![0]).toBe(1);
    }
    // Built-ins on markets with no edge to find: none of them is distinguishable from luck.
    expect(rows.every((x) => !x.verdict.distinguishable)).toBe(true);
    // Kendall's τ over every pair of market runs, and over the null runs.
    expect(s.rank_stability.markets.pairs).toBeGreaterThan(200);
    expect(Math.abs(s.rank_stability.markets.mean_tau)).toBeLessThanOrEqual(1);
    expect(s.rank_stability.null.pairs).toBeGreaterThan(200);
    expect(s.rank_stability.ranks_by_run).toHaveLength(22);
    const markets = s.runs.map((x: { market: string }) => x.market);
    expect(markets.filter((m: string) => m === 'synthetic')).toHaveLength(20);
    expect(markets.filter((m: string) => m === 'real')).toHaveLength(2);
    expect(markets.filter((m: string) => m === 'null-walk')).toHaveLength(20);
    expect(markets.filter((m: string) => m === 'null-shuffled')).toHaveLength(2);

    const html = readFileSync(join(serialDir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<script/i);
    for (const row of rows) expect(html).toContain(`aria-label="equity fan of ${row.agent}"`);
    expect(html).toContain('aria-label="confidence intervals of mean return"');
    expect(html).toContain('Rank stability');
    expect(html).toContain('edge distinguishable from luck at 95 %');
  }, 240_000);

  it('spread over three worker threads gives the same study.json, byte for byte', async () => {
    const r = await cliAsync(home, [...STUDY, '--jobs', '3', '--out', parallelDir]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(parallelDir, 'study.json'), 'utf8')).toBe(
      readFileSync(join(serialDir, 'study.json'), 'utf8'),
    );
  }, 240_000);

  it('refuses bad options with the option named and what is accepted', () => {
    const few = cli(home, ['arena', 'study', '--seeds', '1', '--out', join(home, 'x')]);
    expect(few.code).not.toBe(0);
    expect(few.err).toMatch(/STUDY_OPTIONS_INVALID: --seeds: .*2/);
    const long = cli(home, ['arena', 'study', '--windows', '2', '--bars', '100000', '--out', join(home, 'y')]);
    expect(long.code).not.toBe(0);
    expect(long.err).toMatch(/--windows: .* has \d+ bars, fewer than one window of --warmup 200 \+ --bars 100000/);
    const worker = cli(home, ['worker']);
    expect(worker.code).not.toBe(0);
    expect(worker.err).toMatch(/WORKER_NO_DATABASE: set ARBITER_DATABASE_URL/);
  });
});
