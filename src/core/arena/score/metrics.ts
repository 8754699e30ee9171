import { hash32 } from '../../market/hash.js';
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
  /** Tokens, cost and P&L per dollar of model spend (null when nothing was spent), for agents with a model. */
  readonly model?: ModelSpend & { readonly pnl_per_usd: number | null };
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
    ...(t.model ? { model: { ...t.model, pnl_per_usd: pnlPerUsd(t.equity, t.model.cost_usd) } } : {}),
  };
}

function pnlPerUsd(equity: Float64Array, usd: number): number | null {
  return usd > 0 ? (equity[equity.length - 1]! - equity[0]!) / usd : null;
}

function fin(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}
