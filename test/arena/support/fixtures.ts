import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeSigner } from '../../../src/adapters/crypto/node-signer.js';
import { type ArenaSetup, type AssembledArena, assembleArena } from '../../../src/app/arena/assemble.js';
import type { Agent } from '../../../src/core/arena/index.js';

export const REAL_BTC = join(import.meta.dirname, '..', '..', '..', 'data', 'BTCUSDT_1h.csv');

/** An installation's issuer key, for in-process runs (the CLI uses ARBITER_HOME's): one per test file. */
export const TEST_ISSUER = new NodeSigner(NodeSigner.generatePem());

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
      signer: TEST_ISSUER,
      ...overrides,
    },
    agents,
  );
}
