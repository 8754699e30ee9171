import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArenaSetup, type AssembledArena, assembleArena } from '../../../src/app/arena/assemble.js';
import type { Agent } from '../../../src/core/arena/index.js';

export const REAL_BTC = join(import.meta.dirname, '..', '..', '..', 'data', 'BTCUSDT_1h.csv');

export function tempDir(prefix = 'arbiter-arena-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A short in-memory simulation with the production wiring. */
export function arena(agents: readonly Agent[], overrides: Partial<ArenaSetup> = {}): Promise<AssembledArena> {
  return assembleArena(
    {
      source: 'synthetic',
      seed: 7,
      bars: 200,
      warmup: 100,
      capital: 10_000,
      signing: 'checkpoint',
      checkpointEvery: 50,
      storePath: ':memory:',
      runId: 'test',
      persist: false,
      ...overrides,
    },
    agents,
  );
}
