// Store decision throughput and latency: SQLite and PostgreSQL (embedded) from one process with 16 concurrent
// callers, and PostgreSQL from 3 processes × 16 callers. Each caller loops: `decide` (account lock, state read,
// verdict, throttle mark, reservation + order + daily count, ledger append; trivial callback, no signing), then
// `recordOrderOutcome` with a complete fill (releases the reservation, appends a ledger record), as a forwarded
// order does. decides/s counts these cycles per wall-clock second; p50/p99 are the `decide` call's latency.
// "hot": all callers on one account; "spread": 16 accounts. One agent per caller (per-agent throttle windows).
// PostgreSQL runs with fsync on and synchronous_commit=off, the durability of SQLite's WAL + synchronous=NORMAL
// (survives a process crash; the last commits can be lost to an OS crash).
// Run: npx tsx bench/store.bench.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeHasher } from '../src/adapters/crypto/node-signer.js';
import { PostgresStore } from '../src/adapters/store/postgres-store.js';
import { SqliteStore } from '../src/adapters/store/sqlite-store.js';
import type { Store } from '../src/ports/store.js';
import { startPostgres } from '../test/support/embedded-pg.js';
import {
  runStorm,
  type StormConfig,
  type StormResult,
  spawnStormWorker,
} from '../test/support/postgres-storm-worker.js';

const CALLERS = 16;
const DECIDES = 3_000;
const WARMUP = 300;

type Shape = 'hot' | 'spread';

function config(url: string, label: string, shape: Shape, decides: number): StormConfig {
  const accounts =
    shape === 'hot' ? [`${label}-acct`] : Array.from({ length: CALLERS }, (_, i) => `${label}-acct-${i}`);
  return {
    url,
    label,
    accounts,
    agents: Array.from({ length: CALLERS }, (_, i) => `${label}-agent-${i}`),
    decides,
    concurrency: CALLERS,
    now: null,
    dailyLimit: 1e12,
    exposureCap: 1e15,
    notional: 10,
    poolSize: CALLERS,
    settle: true,
  };
}

function report(name: string, results: readonly StormResult[]): void {
  const lat = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!;
  const seconds = (Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000;
  console.log(
    `${name.padEnd(34)} ${String(Math.round(lat.length / seconds)).padStart(7)} decides/s   p50 ${pct(50).toFixed(2).padStart(6)} ms   p99 ${pct(99).toFixed(2).padStart(6)} ms   (n=${lat.length})`,
  );
}

async function inProcess(name: string, store: Store, url: string): Promise<void> {
  for (const shape of ['hot', 'spread'] as const) {
    await runStorm(store, config(url, `${name}-${shape}-warm`, shape, WARMUP));
    report(`${name} 1 process, ${shape}`, [await runStorm(store, config(url, `${name}-${shape}`, shape, DECIDES))]);
  }
}

async function threeProcesses(url: string): Promise<void> {
  for (const shape of ['hot', 'spread'] as const) {
    const workers = [0, 1, 2].map((w) =>
      spawnStormWorker({ ...config(url, `pg3-${shape}`, shape, DECIDES), label: `pg3-${shape}-w${w}` }),
    );
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const exits = await Promise.all(workers.map((w) => w.done));
    const failed = exits.find((e) => e.code !== 0 || !e.result);
    if (failed) throw new Error(`a storm worker failed: ${failed.stderr}`);
    report(
      `postgres 3 processes × ${CALLERS}, ${shape}`,
      exits.map((e) => e.result!),
    );
  }
}

const dir = await mkdtemp(join(tmpdir(), 'arbiter-bench-'));
const sqlite = new SqliteStore({ path: join(dir, 'bench.db'), hasher: nodeHasher });
console.log(`store bench: ${DECIDES} decides per scenario, ${CALLERS} concurrent callers per process`);
await inProcess('sqlite', sqlite, '');
await sqlite.close();
await rm(dir, { recursive: true, force: true });

const server = await startPostgres({ durable: true, flags: ['-c', 'synchronous_commit=off'] });
try {
  const url = await server.createDatabase('bench');
  const pgStore = new PostgresStore({ url, hasher: nodeHasher, poolSize: CALLERS });
  await pgStore.init();
  await inProcess('postgres', pgStore, url);
  await pgStore.close();
  await threeProcesses(url);
} finally {
  await server.stop();
}
