import { describe, expect, it } from 'vitest';
import { score } from '../../src/app/arena/results.js';
import { fromSpecs } from '../../src/app/arena/roster.js';
import { RandomAgent } from '../../src/core/arena/agents/adaptive.js';
import { type AgentSpec, leaderboard, type TrialInput } from '../../src/core/arena/index.js';
import { mulberry32, normalSampler } from '../../src/core/stats/index.js';
import { arena } from './support/fixtures.js';

const OPTS = { seed: 7, partitions: 8, folds: 4, floor: 0.02, cap: 0.5, bootstrapResamples: 200 };

function randomSpecs(n: number): AgentSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `coin-${i + 1}`,
    family: 'random',
    params: { seed: i + 1 },
    benchmark: true,
    create: () => new RandomAgent(`coin-${i + 1}`, 1000 + i, 0.05),
  }));
}

describe('the leaderboard', () => {
  it('flags every seeded random agent as not distinguishable from luck', async () => {
    const roster = fromSpecs(randomSpecs(8));
    const a = await arena(
      roster.map((r) => r.agent),
      { bars: 600 },
    );
    await a.engine.run();
    const board = score(a.engine, roster, OPTS);
    expect(board.trials).toBe(8);
    expect(board.rows.every((r) => r.fills > 0)).toBe(true);
    for (const r of board.rows) expect(r.luck, `${r.agent}: DSR ${r.dsr}`).toBe(true);
    expect(board.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await a.close();
  });

  it('lets a strong, steady edge through and ranks it first, deflated by every trial', () => {
    const rng = normalSampler(mulberry32(3));
    const curve = (drift: number) => {
      const e = new Float64Array(2_001);
      e[0] = 10_000;
      for (let t = 1; t < e.length; t++) e[t] = e[t - 1]! * (1 + drift + 0.002 * rng());
      return e;
    };
    const trial = (id: string, drift: number): TrialInput => ({
      id,
      family: 'synthetic',
      benchmark: false,
      params: {},
      equity: curve(drift),
      closedTradePnls: [1, -1],
      tradedNotional: [10_000],
      fees: 0,
      funding: 0,
      fills: 2,
    });
    const trials = [...Array.from({ length: 12 }, (_, i) => trial(`noise-${i}`, 0)), trial('edge', 0.0005)];
    const board = leaderboard(trials, { ...OPTS, periodsPerYear: 8760 });
    expect(board.rows[0]!.agent).toBe('edge');
    expect(board.rows[0]!.luck).toBe(false);
    expect(board.rows[0]!.dsr).toBeGreaterThan(0.95);
    expect(board.rows.filter((r) => !r.luck).map((r) => r.agent)).toEqual(['edge']);
    expect(board.rows[0]!.psr).toBeGreaterThanOrEqual(board.rows[0]!.dsr);
    expect('pbo' in board.pbo && board.pbo.pbo).toBeGreaterThanOrEqual(0);
  });
});
