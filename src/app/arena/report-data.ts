import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Leaderboard } from '../../core/arena/index.js';
import { CliError } from '../output.js';

/** What the HTML report shows, read back from a run directory (so `arena report` needs nothing else). */
export interface ReportData {
  readonly run: Record<string, unknown>;
  readonly board: Leaderboard;
  /** Bars as [time (s), open, high, low, close]. */
  readonly candles: readonly (readonly number[])[];
  /** Per agent: [time (s), equity, drawdown] points, thinned to at most `maxPoints`. */
  readonly curves: Record<string, readonly (readonly number[])[]>;
  /** Per agent: [time (s), side (1 buy, −1 sell), price, quantity]. */
  readonly trades: Record<string, readonly (readonly number[])[]>;
  readonly timeframeSeconds: number;
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}

function thin<T>(rows: readonly T[], max: number): T[] {
  if (rows.length <= max) return [...rows];
  const step = Math.ceil(rows.length / max);
  const out = rows.filter((_, i) => i % step === 0);
  if ((rows.length - 1) % step !== 0) out.push(rows[rows.length - 1]!);
  return out;
}

export function readReportData(dir: string, maxPoints = 2_500): ReportData {
  for (const f of ['run.json', 'leaderboard.json', 'market.csv', 'trades.jsonl']) {
    if (!existsSync(join(dir, f))) throw new CliError('ARENA_NO_RUN', `${dir} has no ${f}: not an arena run directory`);
  }
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  const board = JSON.parse(readFileSync(join(dir, 'leaderboard.json'), 'utf8')) as Leaderboard;
  const candles = lines(join(dir, 'market.csv'))
    .slice(1)
    .map((l) => {
      const [ts, o, h, lo, c] = l.split(',').map(Number) as [number, number, number, number, number];
      return [ts / 1000, o, h, lo, c];
    });
  const curves: Record<string, number[][]> = {};
  const trades: Record<string, number[][]> = {};
  const ids = board.rows.map((r) => r.agent);
  for (const id of ids) {
    const file = join(dir, 'equity', `${id}.csv`);
    const rows = existsSync(file)
      ? lines(file)
          .slice(1)
          .map((l) => {
            const [, ts, e, dd] = l.split(',').map(Number) as [number, number, number, number];
            return [ts / 1000, e, -dd];
          })
      : [];
    curves[id] = thin(rows, maxPoints);
    trades[id] = [];
  }
  for (const l of lines(join(dir, 'trades.jsonl'))) {
    const t = JSON.parse(l) as {
      agent: string;
      ts: number;
      side: string;
      price: number;
      quantity: number;
      symbol: string;
    };
    trades[t.agent]?.push([
      t.ts / 1000,
      t.side === 'buy' ? 1 : -1,
      t.price,
      t.quantity,
      t.symbol.includes(':') ? 1 : 0,
    ]);
  }
  const tf = ((run.data as { timeframe_ms?: number } | undefined)?.timeframe_ms ?? 3_600_000) / 1000;
  return { run, board, candles, curves, trades, timeframeSeconds: tf };
}
