import { type Leaderboard, type LeaderboardOptions, leaderboard, type TrialInput } from '../../core/arena/index.js';
import type { ArenaEngine } from '../../services/arena/engine.js';
import type { RosterEntry } from './roster.js';

const YEAR_MS = 365 * 86_400_000;

export interface ScoringOptions {
  readonly seed: number;
  readonly partitions: number;
  readonly folds: number;
  readonly floor: number;
  readonly cap: number;
  readonly bootstrapResamples: number;
}

/** Each trial's curve, trades and costs as the scoring needs them. */
export function trialInputs(engine: ArenaEngine, roster: readonly RosterEntry[]): TrialInput[] {
  const p = engine.portfolio;
  const pnls = roster.map(() => [] as number[]);
  const notional = roster.map(() => [] as number[]);
  const index = new Map(engine.agentIds.map((id, a) => [id, a] as const));
  for (const t of engine.trades) {
    const a = index.get(t.agent)!;
    notional[a]!.push(t.notional);
    if (t.closes) pnls[a]!.push(t.realized_pnl - t.fee);
  }
  return roster.map((r, a) => ({
    id: r.id,
    family: r.family,
    benchmark: r.benchmark,
    params: r.params,
    equity: engine.equity[a]!,
    closedTradePnls: pnls[a]!,
    tradedNotional: notional[a]!,
    fees: p.fees[a]!,
    funding: p.funding[a]!,
    fills: p.fillCount[a]!,
    ...(r.model ? { model: r.model() } : {}),
  }));
}

/** The leaderboard of a finished run, annualised by its bar length. */
export function score(engine: ArenaEngine, roster: readonly RosterEntry[], o: ScoringOptions): Leaderboard {
  const opts: LeaderboardOptions = {
    periodsPerYear: engine.frame.periodsPerYear ?? YEAR_MS / engine.frame.timeframeMs,
    seed: o.seed,
    bootstrapResamples: o.bootstrapResamples,
    partitions: o.partitions,
    folds: o.folds,
    floor: o.floor,
    cap: o.cap,
  };
  return leaderboard(trialInputs(engine, roster), opts);
}
