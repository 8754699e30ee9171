/**
 * The verdict path in one process: a dry run (evaluate + sign, state read under no lock, nothing written) and an
 * order (evaluate + sign + one SQLite transaction for the decision, the venue call, one for its outcome with the
 * account view), one caller and C callers in flight, beside the cost of a bare Ed25519 signature.
 * Run: npm run bench:firewall
 * Env: BENCH_N, BENCH_CONCURRENCY (e.g. 8,32), BENCH_GROUP=off (one commit per decision instead of group commit),
 * BENCH_CHECKPOINTS=inline (SQLite's own WAL checkpoints inside commits).
 *
 * The orders go to a venue that accepts each one and rests it (src/app/redteam/resting-venue.ts), so the figure is
 * the firewall's and the store's, not a fill model's. The file runs unchanged on builds before the order
 * lifecycle, for a before/after comparison in one run.
 */
import { cpus } from 'node:os';
import { NodeSigner } from '../src/adapters/crypto/node-signer.js';
import { Harness, type HarnessOptions } from '../src/app/redteam/harness.js';
import { RestingVenue } from '../src/app/redteam/resting-venue.js';

const N = Number(process.env.BENCH_N ?? 20_000);
const WARMUP = 2_000;

function pct(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function report(name: string, lat: Float64Array, wallMs: number): void {
  const s = Float64Array.from(lat).sort();
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(
    `${name.padEnd(44)} ${(lat.length / (wallMs / 1000)).toFixed(0).padStart(8)} /s   p50 ${us(pct(s, 50))}   p99 ${us(pct(s, 99))}`,
  );
}

function harness(): Harness {
  const opts: HarnessOptions & { groupCommit?: boolean } = {
    checkpoints: process.env.BENCH_CHECKPOINTS === 'inline' ? 'inline' : 'background',
    ...(process.env.BENCH_GROUP === 'off' ? { groupCommit: false } : {}),
    venue: ({ clock }) => new RestingVenue(() => clock.now()),
    mandate: (m) => ({
      ...m,
      hard_caps: {
        ...m.hard_caps,
        account_funding_usd: 1e12,
        max_total_exposure_usd: 1e12,
        max_trades_per_day: 1e9,
        max_order_notional_usd: 1e6,
      },
      // The resting venue reports 10,000 of equity whatever the funding: no loss limit may bind either.
      arbiter: {
        ...m.arbiter,
        throttle: { per_second: 1e5, per_minute: 6e6 },
        duplicate_window_ms: 0,
        max_daily_loss_pct: 100,
        max_drawdown_pct: 100,
      },
    }),
  };
  return new Harness(opts);
}

const intent = (i: number) => ({ symbol: 'BTC/USDT', side: 'buy', notional: 50 + (i % 7) });

async function main(): Promise<void> {
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}, N=${N}`);
  const signer = new NodeSigner(NodeSigner.generatePem());
  const msg = new TextEncoder().encode('x'.repeat(2_500));
  for (let i = 0; i < WARMUP; i++) signer.sign(msg);
  const sig = new Float64Array(N);
  let t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const a = performance.now();
    signer.sign(msg);
    sig[i] = performance.now() - a;
  }
  report('bare Ed25519 sign (2.5 KB message)', sig, performance.now() - t0);

  const h = harness();
  try {
    for (const execute of [false, true]) {
      const what = execute ? 'order (vet --execute, resting venue)' : 'dry run (vet)';
      for (let i = 0; i < WARMUP; i++) await h.vet(intent(i), { agent: `w${i % 50}`, execute });
      const lat = new Float64Array(N);
      t0 = performance.now();
      for (let i = 0; i < N; i++) {
        h.clock.advance(1);
        const a = performance.now();
        await h.vet(intent(i), { agent: `a${i % 50}`, execute });
        lat[i] = performance.now() - a;
      }
      report(what, lat, performance.now() - t0);
      // C callers in flight at once (as an HTTP or MCP server sees them).
      for (const C of (process.env.BENCH_CONCURRENCY ?? '8,32').split(',').map(Number)) {
        const clat = new Float64Array(N);
        let next = 0;
        t0 = performance.now();
        await Promise.all(
          Array.from({ length: C }, async (_, w) => {
            for (let i = next++; i < N; i = next++) {
              h.clock.advance(1);
              const a = performance.now();
              await h.vet(intent(i), { agent: `c${w}-${i % 50}`, execute });
              clat[i] = performance.now() - a;
            }
          }),
        );
        report(`  same, ${C} callers in flight`, clat, performance.now() - t0);
      }
    }
    console.log(`ledger records written: ${(await h.store.ledgerHead()).count}`);
  } finally {
    await h.close();
  }
}

await main();
