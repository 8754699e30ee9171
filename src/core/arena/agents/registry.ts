import { ArenaError } from '../errors.js';
import type { Agent, AgentSpec } from '../types.js';
import { QLearningAgent, RandomAgent, RegimeSwitchAgent } from './adaptive.js';
import { FundingCarryAgent } from './carry.js';
import { BollingerAgent, RsiMacdAgent } from './reversion.js';
import { BreakoutAgent, BuyAndHoldAgent, MomentumAgent } from './trend.js';

type Params = Readonly<Record<string, number | string>>;

function spec(family: string, id: string, params: Params, create: (id: string) => Agent, benchmark = false): AgentSpec {
  return { id, family, params, benchmark, create: () => create(id) };
}

/**
 * Every built-in agent with every parameter set, in a fixed order. Each entry is one trial: the Deflated
 * Sharpe counts all of them, benchmarks included. `runSeed` (the run's `--seed`) reaches the random benchmarks.
 */
export function builtinSpecs(runSeed = 0): AgentSpec[] {
  return [
    spec('buy-hold', 'buy-hold', {}, (id) => new BuyAndHoldAgent(id), true),
    ...[1, 2, 3].map((seed) =>
      spec('random', `random-${seed}`, { seed }, (id) => new RandomAgent(id, seed, 0.02, runSeed), true),
    ),
    ...[20, 50, 100].map((n) => spec('momentum', `momentum-${n}`, { lookback: n }, (id) => new MomentumAgent(id, n))),
    ...[20, 55].map((n) => spec('breakout', `breakout-${n}`, { period: n }, (id) => new BreakoutAgent(id, n))),
    ...(
      [
        [20, 2],
        [50, 2.5],
      ] as const
    ).map(([n, k]) =>
      spec('bollinger', `bollinger-${n}-${k}`, { period: n, width: k }, (id) => new BollingerAgent(id, n, k)),
    ),
    ...(
      [
        [14, 30, 70],
        [7, 20, 80],
      ] as const
    ).map(([n, lo, hi]) =>
      spec(
        'rsi-macd',
        `rsi-macd-${n}-${lo}-${hi}`,
        { rsi: n, oversold: lo, overbought: hi },
        (id) => new RsiMacdAgent(id, n, lo, hi),
      ),
    ),
    ...[1, 3].map((bp) =>
      spec(
        'funding-carry',
        `funding-carry-${bp}bp`,
        { threshold: bp / 10_000 },
        (id) => new FundingCarryAgent(id, bp / 10_000),
      ),
    ),
    spec('regime-switch', 'regime-switch-14-25', { adx: 14, threshold: 25 }, (id) => new RegimeSwitchAgent(id, 14, 25)),
    spec('q-learning', 'q-learning-1', { seed: 1, alpha: 0.1, gamma: 0.9 }, (id) => new QLearningAgent(id, 1)),
  ];
}

export const BUILTIN_FAMILIES: readonly string[] = [...new Set(builtinSpecs().map((s) => s.family))];

/** `all`, or a comma list of family names (every parameter set) and trial ids. Order follows the registry. */
export function selectSpecs(selector: string, runSeed = 0): AgentSpec[] {
  const all = builtinSpecs(runSeed);
  const wanted = selector
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (wanted.length === 0 || wanted.includes('all')) return all;
  for (const w of wanted) {
    if (!all.some((s) => s.family === w || s.id === w)) {
      throw new ArenaError('ARENA_UNKNOWN_AGENT', `no built-in agent or family ${JSON.stringify(w)}`, {
        known: [...BUILTIN_FAMILIES],
      });
    }
  }
  return all.filter((s) => wanted.includes(s.family) || wanted.includes(s.id));
}
