/**
 * What the kill switch's file check costs on every verdict: the two HALT sentinels (global and venue) checked with
 * lstat (so a dangling symlink halts) against the existsSync it replaced (which followed symlinks), on a runtime
 * root without sentinels (the common case) and with one. Run: npx tsx bench/halt-check.bench.ts
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileHalts } from '../src/adapters/runtime/halt-files.js';
import { RuntimeLayout } from '../src/adapters/runtime/layout.js';

function time(name: string, fn: () => unknown, n = 200_000): void {
  for (let i = 0; i < 20_000; i++) fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  console.log(`${name.padEnd(52)} ${(((performance.now() - t) * 1000) / n).toFixed(2).padStart(7)} µs`);
}

console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}`);
const root = mkdtempSync(join(tmpdir(), 'arbiter-bench-halt-'));
try {
  const layout = new RuntimeLayout(root);
  mkdirSync(layout.brokerDir('paper'), { recursive: true });
  const before = () => ({ global: existsSync(layout.globalHalt()), venue: existsSync(layout.brokerHalt('paper')) });
  const after = () => fileHalts(layout, 'paper');
  time('no sentinel: existsSync × 2 (before)', before);
  time('no sentinel: lstat × 2 (fileHalts, after)', after);
  writeFileSync(layout.globalHalt(), '{}');
  time('global HALT present: existsSync × 2 (before)', before);
  time('global HALT present: lstat × 2 (fileHalts, after)', after);
} finally {
  rmSync(root, { recursive: true, force: true });
}
