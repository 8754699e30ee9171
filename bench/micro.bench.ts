/**
 * The pieces of one verdict, each timed alone, behind the "where the time goes" figures in BENCHMARKS.md:
 * canonical JSON of a real verdict payload, the ledger hash, redaction of an audit record, grid rounding of sizes
 * and prices, the smallest SQLite WAL commit and the cost of each further page, WAL pages written per verdict, and
 * the hand-off round trip to a second thread. Run: npm run bench:micro
 */
import { createHash, hash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Harness } from '../src/app/redteam/harness.js';
import { redact, redactedJson } from '../src/core/audit/redact.js';
import { canonicalJson } from '../src/core/cert/canonical.js';
import { ceilToStep, clean, floorToStep } from '../src/core/market/precision.js';

function time(name: string, fn: () => unknown, n = 20_000): number {
  for (let i = 0; i < Math.min(n, 2_000); i++) fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  const us = ((performance.now() - t) * 1000) / n;
  console.log(`${name.padEnd(58)} ${us.toFixed(1).padStart(7)} µs`);
  return us;
}

console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}`);

// A real verdict, from the same firewall path as bench:firewall.
const h = new Harness({
  mandate: (m) => ({ ...m, arbiter: { ...m.arbiter, duplicate_window_ms: 0 } }),
  checkpoints: 'inline',
});
const v = await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 50 }, { agent: 'micro' });
// A plain copy: nothing cached (the firewall caches the mandate's and instrument's text).
const payload = JSON.parse(JSON.stringify(v.certificate.payload)) as Record<string, unknown>;
const text = canonicalJson(payload);
console.log(`verdict payload: ${text.length} bytes canonical`);
time('canonical JSON of the payload (a plain copy, no cached text)', () => canonicalJson(payload));
time('JSON.stringify of the same payload (reference)', () => JSON.stringify(payload));
time('sha256 of the certificate, createHash().update().digest()', () =>
  createHash('sha256').update(v.certificateJson).digest('hex'),
);
time('sha256 of the certificate, one-shot crypto.hash', () => hash('sha256', v.certificateJson, 'hex'));
const audit = (await h.store.audit({ limit: 1 }))[0]!;
const record = JSON.parse(audit.body) as unknown;
time('redact one audit record', () => redact(record));
time('redacted JSON text of one audit record (the audit row, one walk)', () => redactedJson(record));

// Grid rounding: every order's size (floorToStep) and every modelled book's ~60 prices and sizes. Per 1,000 calls,
// so the figure in µs is ns per call. Sizes off the grid take the quick path; sizes on it (0.29 on 0.0001) the
// exact comparison.
const offGrid = Array.from({ length: 1024 }, (_, i) => ((i * 7919) % 1000) * 0.000731 + 0.29);
const onGrid = Array.from({ length: 1024 }, (_, i) => Number(`${2900 + i}e-4`));
const thousand = (fn: (v: number) => number, xs: readonly number[]) => () => {
  let s = 0;
  for (let i = 0; i < 1000; i++) s += fn(xs[i & 1023]!);
  return s;
};
time(
  'clean() × 1,000 (step 0.0001)',
  thousand((v) => clean(v, 0.0001), offGrid),
  2_000,
);
time(
  'floorToStep × 1,000, sizes off the grid (step 0.0001)',
  thousand((v) => floorToStep(v, 0.0001), offGrid),
  2_000,
);
time(
  'floorToStep × 1,000, sizes on the grid (step 0.0001)',
  thousand((v) => floorToStep(v, 0.0001), onGrid),
  2_000,
);
time(
  'ceilToStep × 1,000, prices off the grid (tick 0.01)',
  thousand((v) => ceilToStep(v * 1e4, 0.01), offGrid),
  2_000,
);

// WAL pages written per verdict: the WAL's growth with checkpoints off, over 2,000 verdicts.
const db = (h.store as unknown as { db: Database.Database }).db;
db.pragma('wal_autocheckpoint = 0');
db.pragma('wal_checkpoint(TRUNCATE)');
const wal = `${db.name}-wal`;
for (let i = 0; i < 2_000; i++) {
  h.clock.advance(1);
  await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 50 + (i % 7) }, { agent: `a${i % 50}` });
}
console.log(
  `${'WAL pages written per verdict (2,000 verdicts)'.padEnd(58)} ${(statSync(wal).size / (4096 + 24) / 2_000).toFixed(1).padStart(7)}`,
);
await h.close();

// The smallest durable commit, and what each further page adds.
const dir = mkdtempSync(join(tmpdir(), 'arbiter-micro-'));
const sq = new Database(join(dir, 'x.db'));
sq.pragma('journal_mode = WAL');
sq.pragma('synchronous = NORMAL');
sq.pragma('wal_autocheckpoint = 0');
for (let t = 0; t < 4; t++) sq.exec(`CREATE TABLE t${t} (id INTEGER PRIMARY KEY, a TEXT)`);
const ins = [0, 1, 2, 3].map((t) => sq.prepare(`INSERT INTO t${t} (a) VALUES (?)`));
const commit = (pages: number) =>
  sq.transaction(() => {
    for (let t = 0; t < pages; t++) ins[t]!.run('x');
  });
const one = time('BEGIN IMMEDIATE; one-row INSERT; COMMIT (WAL)', () => commit(1).immediate(), 10_000);
const four = time('the same with a row in each of 4 tables (4 pages)', () => commit(4).immediate(), 10_000);
console.log(`${'  → each further page'.padEnd(58)} ${((four - one) / 3).toFixed(1).padStart(7)} µs`);
sq.close();
rmSync(dir, { recursive: true, force: true });

// The hand-off to a second thread (what ThreadedSigner uses): post in shared memory, wait for the answer.
const ctl = new Int32Array(new SharedArrayBuffer(8));
const w = new Worker(
  `const { workerData } = require('node:worker_threads'); const c = new Int32Array(workerData);
   for (;;) { Atomics.wait(c, 0, 0); if (Atomics.load(c, 0) === 1) { Atomics.store(c, 0, 2); Atomics.notify(c, 0); } }`,
  { eval: true, workerData: ctl.buffer },
);
await new Promise((r) => setTimeout(r, 200));
time(
  'Atomics hand-off round trip to a worker thread',
  () => {
    Atomics.store(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    Atomics.wait(ctl, 0, 1);
    Atomics.store(ctl, 0, 0);
  },
  20_000,
);
await w.terminate();
