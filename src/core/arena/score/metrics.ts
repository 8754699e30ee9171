import { hash32 } from '../../market/hash.js';
import { monteCarlo } from '../../risk/monte-carlo.js';
import { expectedShortfall, valueAtRisk } from '../../risk/var.js';
import {
  annualizedSharpe,
  annualizedVolatility,
  bootstrapSharpeCi,
  cagr,
  calmar,
  maxDrawdown,
  minTrackRecordLength,
  mulberry32,
  probabilisticSharpeOfReturns,
  profitFactor,
  simpleReturns,
  sortino,
  totalReturn,
  turnover,
  winRate,
} from '../../stats/index.js';
import type { Deflation } from './deflate.js';

/** What the arena knows about one trial at the end of a run. */
export interface TrialInput {
  readonly id: string;
  readonly family: string;
  readonly benchmark: boolean;
  readonly params: Readonly<Record<string, number | string>>;
  /** Equity before the first bar, at each bar, and at the end (n + 1 points for n bars). */
  readonly equity: Float64Array;
  /** Realised P&L net of its fee, one per fill that reduced a position (a closed trade, whole or part). */
  readonly closedTradePnls: readonly number[];
  readonly tradedNotional: readonly number[];
  readonly fees: number;
  readonly funding: number;
  readonly fills: number;
  /** What a model-driven agent's calls cost in the run (absent for agents without a model). */
  readonly model?: ModelSpend;
}

export interface ModelSpend {
  readonly model: string;
  readonly calls: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cost_usd: number;
  /** False when the model has no price in the table (its cost reads 0). */
  readonly priced: boolean;
}

export interface TrialMetrics {
  readonly agent: string;
  readonly family: string;
  readonly benchmark: boolean;
  readonly params: Readonly<Record<string, number | string>>;
  readonly final_equity: number;
  readonly total_return: number;
  readonly cagr: number;
  readonly volatility: number;
  readonly sharpe: number;
  readonly sharpe_ci: { readonly lo: number; readonly hi: number; readonly level: number };
  readonly sortino: number;
  readonly calmar: number;
  readonly max_drawdown: number;
  readonly max_drawdown_bars: number;
  readonly win_rate: number;
  readonly profit_factor: number;
  readonly turnover: number;
  readonly fees: number;
  readonly funding: number;
  readonly fills: number;
  readonly closed_trades: number;
  readonly psr: number;
  readonly dsr: number;
  readonly min_trl_bars: number;
  readonly skew: number;
  readonly kurtosis: number;
  /** Historical 95 % VaR of one bar's return, signed (negative = loss), as PerformanceAnalytics. */
  readonly var_95: number;
  /** Historical 95 % expected shortfall of one bar's return (≤ var_95). */
  readonly es_95: number;
  /**
   * Maximum drawdown over a run as long as this one, in a seeded block bootstrap of the agent's own bar returns
   * (MC_PATHS paths): the median and the 95th percentile. NaN with fewer than 2 returns.
   */
  readonly mc_drawdown: { readonly p50: number; readonly p95: number; readonly paths: number };
  /** Tokens, cost and P&L per dollar of model spend (null when nothing was spent), for agents with a model. */
  readonly model?: ModelSpend & { readonly pnl_per_usd: number | null };
}

/** Monte Carlo paths per agent for `mc_drawdown`. */
export const MC_PATHS = 200;

function mcDrawdown(r: Float64Array, seed: number): TrialMetrics['mc_drawdown'] {
  if (r.length < 2 || !r.every(Number.isFinite)) return { p50: Number.NaN, p95: Number.NaN, paths: 0 };
  const mc = monteCarlo(r, { paths: MC_PATHS, steps: r.length, seed, method: 'bootstrap', quantiles: [0.5, 0.95] });
  return { p50: mc.maxDrawdown.quantiles[0]!.value, p95: mc.maxDrawdown.quantiles[1]!.value, paths: MC_PATHS };
}

export interface MetricOptions {
  readonly periodsPerYear: number;
  readonly seed: number;
  readonly bootstrapResamples: number;
}

/** Every per-trial statistic, annualised by the bar frequency (conventions: core/stats). */
export function trialMetrics(t: TrialInput, d: Deflation, o: MetricOptions): TrialMetrics {
  const r = simpleReturns(t.equity);
  const ppy = o.periodsPerYear;
  const dd = maxDrawdown(t.equity);
  const ci = bootstrapSharpeCi(r, {
    rng: mulberry32((o.seed ^ hash32(t.id)) >>> 0),
    resamples: o.bootstrapResamples,
    periodsPerYear: ppy,
  });
  return {
    agent: t.id,
    family: t.family,
    benchmark: t.benchmark,
    params: t.params,
    final_equity: t.equity[t.equity.length - 1]!,
    total_return: totalReturn(t.equity),
    cagr: cagr(t.equity, ppy),
    volatility: annualizedVolatility(r, ppy),
    sharpe: annualizedSharpe(r, ppy),
    sharpe_ci: { lo: ci.lo, hi: ci.hi, level: ci.level },
    sortino: sortino(r, ppy),
    calmar: calmar(t.equity, ppy),
    max_drawdown: dd.maxDrawdown,
    max_drawdown_bars: dd.duration,
    win_rate: winRate(t.closedTradePnls),
    profit_factor: profitFactor(t.closedTradePnls),
    turnover: turnover(t.tradedNotional, t.equity),
    fees: t.fees,
    funding: t.funding,
    fills: t.fills,
    closed_trades: t.closedTradePnls.length,
    psr: probabilisticSharpeOfReturns(r),
    dsr: d.dsr,
    min_trl_bars: Number.isFinite(d.sharpe)
      ? minTrackRecordLength({ sharpe: d.sharpe, skew: fin(d.skew, 0), kurtosis: fin(d.kurtosis, 3) })
      : Number.NaN,
    skew: d.skew,
    kurtosis: d.kurtosis,
    var_95: valueAtRisk(r, { p: 0.95, method: 'historical' }),
    es_95: expectedShortfall(r, { p: 0.95, method: 'historical' }),
    mc_drawdown: mcDrawdown(r, (o.seed ^ hash32(`mc:${t.id}`)) >>> 0),
    ...(t.model ? { model: { ...t.model, pnl_per_usd: pnlPerUsd(t.equity, t.model.cost_usd) } } : {}),
  };
}

function pnlPerUsd(equity: Float64Array, usd: number): number | null {
  return usd > 0 ? (equity[equity.length - 1]! - equity[0]!) / usd : null;
}

function fin(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}
