/**
 * Issue 2's benchmark: evaluate + sign + durable ledger append (one SQLite WAL transaction per verdict) in one
 * process, and beside it the cost of a bare Ed25519 signature. Run: npm run bench:firewall
 * Env: BENCH_N, BENCH_CONCURRENCY (e.g. 8,32), BENCH_SIGNER=inline, BENCH_CHECKPOINTS=inline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeSigner } from '../src/adapters/crypto/node-signer.js';
import { Harness } from '../src/app/redteam/harness.js';

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

async function main(): Promise<void> {
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}, N=${N}`);
  // Bare signature over a payload-sized message.
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

  // The full verdict path: FirewallService.vet → evaluate → sign → one SQLite transaction (verdict row,
  // throttle row, ledger append with hash chain) → redacted audit line.
  const h = new Harness({
    threadedSigning: process.env.BENCH_SIGNER !== 'inline',
    // BENCH_CHECKPOINTS=inline: SQLite's own checkpoints inside commits, to compare with the background ones.
    checkpoints: process.env.BENCH_CHECKPOINTS === 'inline' ? 'inline' : 'background',
    mandate: (m) => ({
      ...m,
      arbiter: { ...m.arbiter, throttle: { per_second: 1e5, per_minute: 6e6 }, duplicate_window_ms: 0 },
    }),
  });
  const lat = new Float64Array(N);
  for (let i = 0; i < WARMUP; i++)
    await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 50 + (i % 7) }, { agent: `w${i % 50}` });
  t0 = performance.now();
  for (let i = 0; i < N; i++) {
    h.clock.advance(1);
    const a = performance.now();
    await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 50 + (i % 7) }, { agent: `a${i % 50}` });
    lat[i] = performance.now() - a;
  }
  report('signed + durably recorded verdict (vet)', lat, performance.now() - t0);

  // The same path with C callers in flight at once (as an HTTP or MCP server sees them): decisions that arrive in
  // the same event-loop turn share one commit (group commit), each still its own savepoint and ledger record.
  for (const C of (process.env.BENCH_CONCURRENCY ?? '8,32').split(',').map(Number)) {
    const clat = new Float64Array(N);
    let next = 0;
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: C }, async (_, w) => {
        for (let i = next++; i < N; i = next++) {
          h.clock.advance(1);
          const a = performance.now();
          await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 50 + (i % 7) }, { agent: `c${w}-${i % 50}` });
          clat[i] = performance.now() - a;
        }
      }),
    );
    report(`  same, ${C} callers in flight`, clat, performance.now() - t0);
  }
  const head = await h.store.ledgerHead();
  console.log(`ledger records written: ${head.count}`);
  await h.close();
  const dir = mkdtempSync(join(tmpdir(), 'x'));
  rmSync(dir, { recursive: true });
}

await main();
