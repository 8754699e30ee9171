import type { PredictionArenaResult } from '../../core/prediction/index.js';
import { builtInPredictionAgents, runPredictionArena } from '../../core/prediction/index.js';
import { CliError } from '../output.js';

export interface PredictionRunOptions {
  readonly seed: number;
  readonly markets: number;
  readonly steps: number;
  readonly capital: number;
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError('INVALID_OPTION', `${name}=${value} (an integer from ${min} to ${max})`);
  return n;
}

/** Parses `arena predict` options, naming the first one that is wrong and what it accepts. */
export function parsePredictionOptions(o: Record<string, string>): PredictionRunOptions {
  return {
    seed: integer('--seed', o.seed ?? '7', 0, 2 ** 32 - 1),
    markets: integer('--markets', o.markets ?? '6', 1, 200),
    steps: integer('--steps', o.steps ?? '200', 10, 10_000),
    capital: integer('--capital', o.capital ?? '10000', 100, 1e9),
  };
}

export function runPrediction(o: PredictionRunOptions): PredictionArenaResult {
  return runPredictionArena({
    seed: o.seed,
    markets: o.markets,
    steps: o.steps,
    cash: o.capital,
    agents: builtInPredictionAgents(),
  });
}

const num = (v: number | null, digits: number) => (v === null ? '—' : v.toFixed(digits));

/** The text report: leaderboard by PnL with Brier and log score, then each agent's calibration table. */
export function predictionReport(r: PredictionArenaResult): string {
  const lines = [`prediction arena, seed ${r.seed}: ${r.markets.length} markets to resolution`];
  for (const m of r.markets)
    lines.push(
      `  ${m.id.padEnd(14)} ${m.outcome.padEnd(3)}  ${m.question} (resolved ${new Date(m.resolvesAt).toISOString()}; source: ${m.resolutionSource})`,
    );
  lines.push('', 'agent          pnl        trades  refused  brier   log score');
  for (const a of r.agents)
    lines.push(
      `${a.id.padEnd(14)} ${a.pnl.toFixed(2).padStart(10)} ${String(a.trades).padStart(7)} ${String(a.refused).padStart(8)}  ${num(a.calibration.brier, 3).padStart(6)}  ${num(a.calibration.logScore, 3).padStart(9)}`,
    );
  lines.push('', 'calibration (probability the trades implied vs how often YES happened)');
  for (const a of r.agents) {
    lines.push(`  ${a.id}`);
    for (const b of a.calibration.bins)
      lines.push(
        `    ${b.lo.toFixed(1)}–${(b.lo + 0.1).toFixed(1)}  n=${String(b.count).padStart(4)}  forecast ${b.meanForecast.toFixed(2)}  observed ${b.observed.toFixed(2)}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
