import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadCandlesCsv } from '../../adapters/market-data/csv-candles.js';
import { CliError } from '../output.js';

/** The shipped real candles (data/ beside src/ and dist/): a study's real windows come from here by default. */
export const SHIPPED_CANDLES = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'data',
  'BTCUSDT_1h.csv',
);

const int = (min: number) => z.coerce.number().int().min(min);

export const studyOptions = z
  .object({
    roster: z.string().min(1).optional(),
    agents: z.string().default('all'),
    agentFile: z.array(z.string()).default([]),
    seeds: int(2).max(10_000).default(20),
    seed: int(0).default(1),
    windows: int(0).max(1_000).default(4),
    data: z.string().min(1).default(SHIPPED_CANDLES),
    bars: int(10).default(500),
    warmup: int(0).default(200),
    capital: z.coerce.number().positive().max(1e12).default(10_000),
    bootstrap: int(100).default(2_000),
    jobs: int(1).max(256).optional(),
    report: z.boolean().default(true),
    quiet: z.boolean().default(false),
  })
  .strict();

export type StudyOptions = z.infer<typeof studyOptions>;

export function parseStudyOptions(raw: Record<string, unknown>): StudyOptions {
  const r = studyOptions.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues
      .map((i) => (i.code === 'unrecognized_keys' ? i.message : `--${String(i.path[0] ?? '?')}: ${i.message}`))
      .join('; ');
    throw new CliError('STUDY_OPTIONS_INVALID', problems);
  }
  return r.data;
}

/** One run of a study: a market (by seed or window) the whole roster trades, or its null twin. */
export interface RunSpec {
  readonly index: number;
  /** `synthetic` (seeded generator), `real` (a window of real candles), or their null twins. */
  readonly market: 'synthetic' | 'real' | 'null-walk' | 'null-shuffled';
  /** True for the null control (a market with no edge to find). */
  readonly control: boolean;
  readonly seed: number;
  /** The arena source spec (`synthetic`, `csv:PATH`, `null`, `shuffled:PATH`). */
  readonly source: string;
  /** Real windows: bars of the file skipped before the window. */
  readonly offset: number;
  readonly label: string;
}

/**
 * The runs of a study, in a fixed order: `seeds` synthetic markets (seeds seed, seed+1, …), `windows` evenly spaced
 * windows of the real candles (warm-up + bars each), then the null control — one zero-drift random walk per
 * synthetic seed and one block-shuffled, drift-free copy of each real window.
 */
export async function planStudy(o: StudyOptions): Promise<RunSpec[]> {
  const edge: Omit<RunSpec, 'index'>[] = [];
  const control: Omit<RunSpec, 'index'>[] = [];
  for (let k = 0; k < o.seeds; k++) {
    const seed = o.seed + k;
    edge.push({
      market: 'synthetic',
      control: false,
      seed,
      source: 'synthetic',
      offset: 0,
      label: `synthetic #${seed}`,
    });
    control.push({ market: 'null-walk', control: true, seed, source: 'null', offset: 0, label: `null walk #${seed}` });
  }
  if (o.windows > 0) {
    const path = resolve(o.data);
    if (!existsSync(path)) throw new CliError('STUDY_OPTIONS_INVALID', `--data: ${path} does not exist`);
    const total = (await loadCandlesCsv(path)).candles.length;
    const span = o.warmup + o.bars;
    if (span > total)
      throw new CliError(
        'STUDY_OPTIONS_INVALID',
        `--windows: ${path} has ${total} bars, fewer than one window of --warmup ${o.warmup} + --bars ${o.bars}`,
      );
    for (let w = 0; w < o.windows; w++) {
      const offset = o.windows === 1 ? 0 : Math.floor((w * (total - span)) / (o.windows - 1));
      const seed = o.seed + w;
      edge.push({ market: 'real', control: false, seed, source: `csv:${path}`, offset, label: `real @${offset}` });
      control.push({
        market: 'null-shuffled',
        control: true,
        seed,
        source: `shuffled:${path}`,
        offset,
        label: `shuffled @${offset} #${seed}`,
      });
    }
  }
  return [...edge, ...control].map((r, index) => ({ ...r, index }));
}
