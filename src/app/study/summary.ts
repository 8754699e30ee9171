import {
  averageRanks,
  bootstrapMeanCi,
  deflatedSharpe,
  kendallTau,
  mean,
  moments,
  mulberry32,
  quantile,
  sharpe,
  std,
  variance,
} from '../../core/stats/index.js';
import type { RunSpec, StudyOptions } from './plan.js';
import { FAN_POINTS, type RunOutcome } from './run-one.js';

const YEAR_MS = 365 * 86_400_000;

/** The verdict rule, written into study.json and the report as it is applied. */
export const VERDICT_RULE =
  'yes when the deflated Sharpe ratio (trials = agents × prompts × runs) is at least 0.95 AND the 95 % bootstrap ' +
  'confidence interval of (mean run return on the markets − mean run return on the null control) lies above 0; ' +
  'otherwise no';

/** A finite number rounded for the file, or null (JSON has no NaN or ∞). */
const num = (x: number, digits = 6): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);

const ci = (c: { lo: number; hi: number }) => [num(c.lo), num(c.hi)];

const percent = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(2)} %`);

function fanOf(
  outcomes: readonly RunOutcome[],
  agent: number,
  qs: readonly number[],
): Record<string, (number | null)[]> {
  const bands: Record<string, (number | null)[]> = {};
  for (const q of qs) {
    bands[`p${String(Math.round(q * 100)).padStart(2, '0')}`] = Array.from({ length: FAN_POINTS }, (_, k) =>
      num(
        quantile(
          Float64Array.from(outcomes, (r) => r.agents[agent]!.fan[k]!),
          q,
        ),
      ),
    );
  }
  return bands;
}

/**
 * An LLM agent's model spend summed over every run of the study (markets and null control), or null for a
 * rule-based agent.
 */
function spendOf(outcomes: readonly RunOutcome[], agent: number) {
  const spends = outcomes.flatMap((r) => {
    const s = r.agents[agent]!.spend;
    return s ? [s] : [];
  });
  if (spends.length === 0) return null;
  const sum = (f: (s: (typeof spends)[number]) => number) => spends.reduce((t, s) => t + f(s), 0);
  const cost = sum((s) => s.cost_usd);
  return {
    model: spends[0]!.model,
    runs: spends.length,
    calls: sum((s) => s.calls),
    input_tokens: sum((s) => s.input_tokens),
    output_tokens: sum((s) => s.output_tokens),
    cost_usd: num(cost),
    cost_per_run_usd: num(cost / spends.length),
    priced: spends.every((s) => s.priced),
  };
}

/** Mean Kendall's τ between the return rankings of every pair of runs (NaN pairs — all ties — left out). */
function rankStability(outcomes: readonly RunOutcome[]) {
  const taus: number[] = [];
  for (let i = 0; i < outcomes.length; i++)
    for (let j = i + 1; j < outcomes.length; j++) {
      const t = kendallTau(
        outcomes[i]!.agents.map((a) => a.totalReturn),
        outcomes[j]!.agents.map((a) => a.totalReturn),
      );
      if (!Number.isNaN(t)) taus.push(t);
    }
  return {
    pairs: taus.length,
    mean_tau: num(mean(taus)),
    min_tau: num(taus.length ? Math.min(...taus) : Number.NaN),
    max_tau: num(taus.length ? Math.max(...taus) : Number.NaN),
  };
}

/**
 * The study's findings, from its runs in plan order: per agent the mean and bootstrap CI of return and Sharpe on
 * the markets, the DSR of its pooled returns against the best of all trials, the null control, its ranks, and the
 * verdict; and the stability of the ranking across runs. Pure: the same runs give the same bytes.
 */
export function summarise(o: StudyOptions, specs: readonly RunSpec[], outcomes: readonly RunOutcome[]) {
  const edge = outcomes.filter((r) => !specs[r.index]!.control);
  const control = outcomes.filter((r) => specs[r.index]!.control);
  const first = outcomes[0]!;
  const ids = first.agents.map((a) => a.id);
  const periodsPerYear = YEAR_MS / first.timeframeMs;
  const annual = Math.sqrt(periodsPerYear);
  const prompts = first.agents.reduce((s, a) => s + a.prompts, 0);
  const trials = prompts * edge.length;
  // The dispersion of every trial's Sharpe (one per agent × prompt × run), brought to the scale of a pooled track
  // record: a Sharpe over `runs` times the bars varies `runs` times less. The DSR then asks whether an agent's pooled
  // Sharpe beats what the best of `trials` lucky draws of that length would show.
  const allSharpes = edge.flatMap((r) => r.agents.map((a) => a.sharpe)).filter(Number.isFinite);
  const sharpeVariance = allSharpes.length > 1 && edge.length > 0 ? variance(allSharpes) / edge.length : 0;
  // Ranks per market run, 1 = best return.
  const ranks = edge.map((r) => {
    const asc = averageRanks(r.agents.map((a) => a.totalReturn));
    return Array.from(asc, (x) => ids.length + 1 - x);
  });
  const agents = ids.map((id, a) => {
    const rng = mulberry32((o.seed * 7919 + a * 104_729) >>> 0);
    const returns = edge.map((r) => r.agents[a]!.totalReturn);
    const sharpes = edge.map((r) => r.agents[a]!.sharpe * annual).filter(Number.isFinite);
    const nullReturns = control.map((r) => r.agents[a]!.totalReturn);
    const nullSharpes = control.map((r) => r.agents[a]!.sharpe * annual).filter(Number.isFinite);
    const pooled = Float64Array.from(edge.flatMap((r) => Array.from(r.agents[a]!.returns)));
    const m = moments(pooled);
    const dsr = deflatedSharpe({
      sharpe: sharpe(pooled),
      nObs: pooled.length,
      skew: Number.isFinite(m.skewness) ? m.skewness : 0,
      kurtosis: Number.isFinite(m.kurtosis) ? m.kurtosis : 3,
      nTrials: Math.max(1, trials),
      sharpeVariance,
    });
    const returnCi = bootstrapMeanCi(returns, { rng, resamples: o.bootstrap });
    const sharpeCi = bootstrapMeanCi(sharpes, { rng, resamples: o.bootstrap });
    const nullCi = bootstrapMeanCi(nullReturns, { rng, resamples: o.bootstrap });
    const diff = bootstrapMeanCi(returns, { rng, resamples: o.bootstrap, minus: nullReturns });
    const meanReturn = mean(returns);
    const distinguishable = dsr >= 0.95 && diff.lo > 0;
    const r = ranks.map((x) => x[a]!);
    const row = {
      agent: id,
      runs: edge.length,
      return: { mean: num(meanReturn), ci95: ci(returnCi) },
      sharpe: { mean: num(mean(sharpes)), ci95: ci(sharpeCi), annualised_by: num(periodsPerYear) },
      dsr: num(Number.isFinite(dsr) ? dsr : Number.NaN, 4),
      null_control: {
        runs: control.length,
        return: { mean: num(mean(nullReturns)), ci95: ci(nullCi) },
        sharpe: { mean: num(mean(nullSharpes)) },
        /** Share of null runs whose return reached this agent's mean return on the markets. */
        luck_share: num(
          nullReturns.length ? nullReturns.filter((x) => x >= meanReturn).length / nullReturns.length : Number.NaN,
        ),
      },
      edge_over_null: { mean: num(diff.estimate), ci95: ci(diff) },
      rank: { mean: num(mean(r), 4), sd: num(r.length > 1 ? std(r) : 0, 4) },
      llm: spendOf(outcomes, a),
      verdict: {
        distinguishable,
        line: `${id}: edge distinguishable from luck at 95 %: ${distinguishable ? 'yes' : 'no'} (DSR ${
          Number.isFinite(dsr) ? dsr.toFixed(3) : '—'
        } vs 0.95; mean return ${percent(num(meanReturn))} vs null ${percent(num(mean(nullReturns)))}, difference CI [${percent(
          num(diff.lo),
        )}, ${percent(num(diff.hi))}])`,
      },
      fan: { markets: fanOf(edge, a, [0.05, 0.25, 0.5, 0.75, 0.95]), null: fanOf(control, a, [0.05, 0.5, 0.95]) },
    };
    return row;
  });
  return {
    study: {
      roster: o.roster ?? null,
      agents_option: o.roster ? null : o.agents,
      seeds: o.seeds,
      first_seed: o.seed,
      windows: o.windows,
      bars: o.bars,
      warmup: o.warmup,
      capital: o.capital,
      bootstrap_resamples: o.bootstrap,
      runs: edge.length,
      null_runs: control.length,
      agents: ids.length,
      prompts,
      trials,
      /** Variance of the per-run, per-bar Sharpes of all trials divided by the runs (the pooled scale). */
      trial_sharpe_variance: num(sharpeVariance),
      verdict_rule: VERDICT_RULE,
      null_control:
        'a zero-drift Gaussian random walk (BTC volatility, no regimes, no funding) per synthetic seed, and each real ' +
        'window cut into 24-bar blocks, shuffled by seed and with its drift removed',
    },
    agents,
    rank_stability: { markets: rankStability(edge), null: rankStability(control), ranks_by_run: ranks },
    runs: outcomes.map((r) => {
      const s = specs[r.index]!;
      return {
        index: s.index,
        label: s.label,
        market: s.market,
        control: s.control,
        seed: s.seed,
        offset: s.offset,
        bars: r.bars,
        returns: Object.fromEntries(r.agents.map((x) => [x.id, num(x.totalReturn)])),
      };
    }),
  };
}

export type StudySummary = ReturnType<typeof summarise>;
