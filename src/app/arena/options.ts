import { z } from 'zod';
import type { NodeSigner } from '../../adapters/crypto/node-signer.js';
import { CliError } from '../output.js';
import type { ArenaSetup } from './assemble.js';

const int = (min: number) => z.coerce.number().int().min(min);

/** The options `arena run` and `arena live` share, validated together so every problem is reported at once. */
export const arenaOptions = z
  .object({
    source: z.string().min(1),
    seed: int(0).default(7),
    bars: int(2).optional(),
    warmup: int(0).default(200),
    agents: z.string().default('all'),
    agentFile: z.array(z.string()).default([]),
    roster: z.string().min(1).optional(),
    capital: z.coerce.number().positive().max(1e12).default(10_000),
    signing: z.enum(['checkpoint', 'per-verdict']).default('checkpoint'),
    checkpointEvery: int(0).default(1_000),
    partitions: int(2)
      .refine((n) => n % 2 === 0, 'must be even')
      .default(16),
    folds: int(2).default(4),
    floor: z.coerce.number().min(0).max(1).default(0.02),
    cap: z.coerce.number().gt(0).max(1).default(0.25),
    bootstrap: int(1).default(1_000),
    funding: z.string().optional(),
    report: z.boolean().default(true),
    quiet: z.boolean().default(false),
  })
  .refine((o) => o.floor <= o.cap, { message: 'floor must not exceed cap', path: ['floor'] });

export type ArenaOptions = z.infer<typeof arenaOptions>;

export function parseArenaOptions(raw: Record<string, unknown>): ArenaOptions {
  const r = arenaOptions.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `--${String(i.path[0] ?? '?')}: ${i.message}`).join('; ');
    throw new CliError('ARENA_OPTIONS_INVALID', problems);
  }
  return r.data;
}

/** The assembly of a run with these options, its store at `storePath`, signed with the issuer key `signer`. */
export function setupFromOptions(
  o: ArenaOptions,
  storePath: string,
  runId: string,
  persist: boolean,
  signer: NodeSigner,
): ArenaSetup {
  return {
    source: o.source,
    seed: o.seed,
    ...(o.bars === undefined ? {} : { bars: o.bars }),
    warmup: o.warmup,
    ...(o.funding === undefined ? {} : { funding: o.funding }),
    capital: o.capital,
    signing: o.signing,
    checkpointEvery: o.checkpointEvery,
    storePath,
    runId,
    persist,
    signer,
  };
}
