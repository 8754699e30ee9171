/**
 * A decision storm against one store, for the multi-process correctness test and the store benchmark. As a
 * script (`node --import tsx postgres-storm-worker.ts '<StormConfig JSON>'`) it opens a PostgresStore, prints
 * `ready`, waits for a `go` line on stdin, runs the storm (a `progress` line per committed decision when asked)
 * and prints `result <StormResult JSON>`.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { PostgresStore } from '../../src/adapters/store/postgres-store.js';
import type { VenueAnswer } from '../../src/core/order/lifecycle.js';
import type { DecideState, DecisionWrite, Store } from '../../src/ports/store.js';

export interface StormConfig {
  readonly url: string;
  /** Prefix of every verdict id, unique per worker and round. */
  readonly label: string;
  /** Caller i decides on accounts[i % n] as agents[i % m]. */
  readonly accounts: readonly string[];
  readonly agents: readonly string[];
  readonly decides: number;
  readonly concurrency: number;
  /** A fixed clock (every decision falls in the same throttle minute), or null for the wall clock. */
  readonly now: number | null;
  readonly dailyLimit: number;
  readonly exposureCap: number;
  readonly notional: number;
  readonly poolSize?: number;
  readonly progress?: boolean;
  /** After each forwarded decision, record its fill (the venue round trip), which releases the reservation. */
  readonly settle?: boolean;
}

export interface StormResult {
  readonly label: string;
  readonly committed: number;
  readonly allowed: number;
  readonly startedAt: number;
  readonly endedAt: number;
  /** Milliseconds per decision, in completion order. */
  readonly latencies: readonly number[];
}

/**
 * The storm's rule: allow while the daily count is under the limit; an allowed order adds exposure while there
 * is room under the cap and otherwise reserves as a reducing order (counted, no exposure). The certificate
 * records what the decision saw, so a checker can prove afterwards that every decision saw a distinct count.
 */
export function stormDecision(cfg: StormConfig, verdictId: string) {
  return (s: DecideState): DecisionWrite => {
    const allow = s.account.daily_count < cfg.dailyLimit;
    const room = s.account.gross_exposure + cfg.notional <= cfg.exposureCap;
    const seen = JSON.stringify({
      verdictId,
      daily: s.account.daily_count,
      minute: s.throttle.last_minute,
      gross: s.account.gross_exposure,
    });
    return {
      verdictId,
      decision: allow ? 'ALLOW' : 'REJECT',
      certificateJson: seen,
      reserve: allow
        ? {
            symbol: 'BTC/USDT',
            side: room ? 'buy' : 'sell',
            quantity: cfg.notional / 100,
            notional: cfg.notional,
            adds: room,
            venueClientOrderId: verdictId,
          }
        : null,
      breaker: 'none',
      approval: null,
      audit: null,
    };
  };
}

export async function runStorm(store: Store, cfg: StormConfig, onCommit?: () => void): Promise<StormResult> {
  const latencies: number[] = [];
  let next = 0;
  let allowed = 0;
  const startedAt = Date.now();
  const caller = async (c: number) => {
    const accountId = cfg.accounts[c % cfg.accounts.length]!;
    const agentId = cfg.agents[c % cfg.agents.length]!;
    for (let i = next++; i < cfg.decides; i = next++) {
      const now = cfg.now ?? Date.now();
      const t = performance.now();
      const out = await store.decide(
        {
          accountId,
          agentId,
          venue: 'paper',
          symbol: 'BTC/USDT',
          clientOrderId: null,
          orderKey: null,
          contentKey: null,
          dryRun: false,
          now,
          day: new Date(now).toISOString().slice(0, 10),
          duplicateWindowMs: 0,
          initialEquity: 100_000,
        },
        stormDecision(cfg, `${cfg.label}-${i}`),
      );
      latencies.push(performance.now() - t);
      if (out.decision === 'ALLOW') allowed += 1;
      if (cfg.settle && out.decision === 'ALLOW' && !out.replayed) {
        const fill: VenueAnswer = {
          kind: 'order',
          venueOrderId: out.verdictId,
          status: 'filled',
          filledQuantity: cfg.notional / 100,
          avgPrice: 100,
        };
        await store.recordOrderOutcome(out.verdictId, fill, now);
      }
      onCommit?.();
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, (_, c) => caller(c)));
  return { label: cfg.label, committed: latencies.length, allowed, startedAt, endedAt: Date.now(), latencies };
}

export interface StormWorker {
  /** Resolves once the worker's store is initialised (its migrations ran). */
  readonly ready: Promise<void>;
  go(): void;
  /** Decisions the worker has reported committed (with `progress: true`). */
  progress(): number;
  /** Resolves when the worker has reported `n` commits (or exited). */
  reached(n: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  readonly done: Promise<{ code: number | null; signal: string | null; result: StormResult | null; stderr: string }>;
}

/** Runs this file as a separate Node process (through tsx) with `cfg`. */
export function spawnStormWorker(cfg: StormConfig): StormWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), JSON.stringify(cfg)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let commits = 0;
  let result: StormResult | null = null;
  let stderr = '';
  const waiters: { n: number; resolve: () => void }[] = [];
  const wake = (all: boolean) => {
    for (const w of waiters.splice(0)) (all || commits >= w.n ? w.resolve : () => waiters.push(w))();
  };
  let onReady: () => void = () => undefined;
  let onExitEarly: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onExitEarly = reject;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'ready') onReady();
    else if (line === 'progress') {
      commits += 1;
      wake(false);
    } else if (line.startsWith('result ')) result = JSON.parse(line.slice(7)) as StormResult;
  });
  const done = new Promise<{ code: number | null; signal: string | null; result: StormResult | null; stderr: string }>(
    (resolve) => {
      child.on('close', (code, signal) => {
        onExitEarly(new Error(`storm worker ${cfg.label} exited before it was ready: ${stderr}`));
        wake(true);
        resolve({ code, signal, result, stderr });
      });
    },
  );
  return {
    ready,
    go: () => child.stdin.end('go\n'),
    progress: () => commits,
    reached: (n) =>
      commits >= n || child.exitCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ n, resolve })),
    kill: (signal) => child.kill(signal),
    done,
  };
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '') as StormConfig;
  const store = new PostgresStore({ url: cfg.url, hasher: nodeHasher, poolSize: cfg.poolSize ?? cfg.concurrency });
  await store.init();
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
  const result = await runStorm(store, cfg, cfg.progress ? () => process.stdout.write('progress\n') : undefined);
  await store.close();
  process.stdout.write(`result ${JSON.stringify(result)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
