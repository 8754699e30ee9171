import {
  expectedMaxSharpe,
  isLuck,
  matrixFromColumns,
  pbo,
  simpleReturns,
  walkForwardStability,
} from '../../stats/index.js';
import { type AllocationComparison, compareAllocation } from './compare.js';
import { deflateAll } from './deflate.js';
import { type MetricOptions, type TrialInput, type TrialMetrics, trialMetrics } from './metrics.js';

export interface LeaderboardOptions extends MetricOptions {
  /** CSCV blocks for PBO (even). */
  readonly partitions: number;
  /** Folds for walk-forward stability and the allocation comparison. */
  readonly folds: number;
  readonly floor: number;
  readonly cap: number;
}

export interface LeaderboardRow extends TrialMetrics {
  readonly rank: number;
  readonly luck: boolean;
}

export type Section<T> = T | { readonly error: string };

export interface Leaderboard {
  readonly score_rule: string;
  readonly luck_rule: string;
  readonly trials: number;
  readonly observations: number;
  readonly periods_per_year: number;
  /** Sample variance of the trials' per-period Sharpe ratios, and the Sharpe the best of them would show by luck. */
  readonly sharpe_variance: number;
  readonly expected_max_sharpe: number;
  readonly rows: readonly LeaderboardRow[];
  readonly pbo: Section<{ partitions: number; pbo: number; combinations: number; probability_of_loss: number }>;
  readonly walk_forward: Section<{
    folds: number;
    mean_rank_correlation: number;
    rank_correlations: number[];
    positive_fraction: Record<string, number>;
  }>;
  readonly allocation: Section<AllocationComparison>;
}

export const SCORE_RULE =
  'rank by the Deflated Sharpe Ratio (probability that the Sharpe is real after deflating for every trial in the run), then by annualised Sharpe, then by id';
export const LUCK_RULE = 'not distinguishable from luck: DSR < 0.95 (or undefined)';

function section<T>(f: () => T): Section<T> {
  try {
    return f();
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Ranks every trial by an overfit-aware score and adds the run-level overfitting diagnostics. */
export function leaderboard(trials: readonly TrialInput[], o: LeaderboardOptions): Leaderboard {
  const columns = trials.map((t) => simpleReturns(t.equity));
  const deflation = deflateAll(columns);
  const rows = trials.map((t, i) => trialMetrics(t, deflation.each[i]!, o));
  const key = (x: number) => (Number.isNaN(x) ? Number.NEGATIVE_INFINITY : x);
  const order = rows
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) =>
        key(b.r.dsr) - key(a.r.dsr) ||
        key(b.r.sharpe) - key(a.r.sharpe) ||
        (a.r.agent < b.r.agent ? -1 : a.r.agent > b.r.agent ? 1 : 0),
    );
  const ranked = order.map(({ r }, k) => ({ rank: k + 1, luck: isLuck(r.dsr), ...r }));
  const ids = trials.map((t) => t.id);
  const matrix = matrixFromColumns(columns);
  return {
    score_rule: SCORE_RULE,
    luck_rule: LUCK_RULE,
    trials: trials.length,
    observations: columns[0]?.length ?? 0,
    periods_per_year: o.periodsPerYear,
    sharpe_variance: deflation.sharpeVariance,
    expected_max_sharpe: expectedMaxSharpe(Math.max(1, trials.length), deflation.sharpeVariance),
    rows: ranked,
    pbo: section(() => {
      const r = pbo(matrix, { partitions: o.partitions });
      return {
        partitions: o.partitions,
        pbo: r.pbo,
        combinations: r.nCombinations,
        probability_of_loss: r.degradation.probabilityOfLoss,
      };
    }),
    walk_forward: section(() => {
      const w = walkForwardStability(matrix, o.folds);
      const positive: Record<string, number> = {};
      ids.forEach((id, j) => {
        positive[id] = w.positiveFraction[j]!;
      });
      return {
        folds: w.folds,
        mean_rank_correlation: w.meanRankCorrelation,
        rank_correlations: Array.from(w.rankCorrelations),
        positive_fraction: positive,
      };
    }),
    allocation: section(() => {
      // The pool is the agents one would actually fund: benchmarks (buy-and-hold, random) only stand in for luck.
      const funded = trials.map((t, j) => ({ t, j })).filter(({ t }) => !t.benchmark);
      const pool = funded.length >= 2 ? funded : trials.map((t, j) => ({ t, j }));
      const c = compareAllocation(
        pool.map(({ t }) => t.id),
        pool.map(({ j }) => columns[j]!),
        { ...o },
      );
      const who = funded.length >= 2 ? `the ${pool.length} non-benchmark agents` : `all ${pool.length} agents`;
      return { ...c, method: `${c.method}; pool: ${who}` };
    }),
  };
}
