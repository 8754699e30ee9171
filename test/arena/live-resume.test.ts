import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeEd25519Verify, nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { loadSigner } from '../../src/adapters/runtime/keys.js';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { parseArenaOptions } from '../../src/app/arena/options.js';
import { liveArena } from '../../src/app/arena/run.js';
import { fromBase64url, utf8 } from '../../src/core/cert/certificate.js';
import {
  type ChainCheckpoint,
  type ChainRecord,
  ChainVerifier,
  checkpointMessage,
} from '../../src/core/ledger/chain.js';
import { differences } from './support/files.js';
import { tempDir } from './support/fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(import.meta.dirname, 'support', 'arena-cli.ts');
const BARS = 120;
const AGENTS = 'buy-hold,random,momentum-20,funding-carry-1bp,q-learning-1,rsi-macd';

function live(
  state: string,
  home: string,
  barMs = 0,
): ChildProcess & { stderrText: () => string; exited: Promise<{ code: number | null; signal: string | null }> } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      ...['arena', 'live', '--source', 'synthetic', '--bars', String(BARS), '--warmup', '100', '--agents', AGENTS],
      ...['--state', state, '--bar-ms', String(barMs), '--no-report', '--bootstrap', '100', '--checkpoint-every', '15'],
    ],
    // The installation whose issuer key signs the run (the same one the in-process reference uses).
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ARBITER_HOME: home } },
  );
  let err = '';
  child.stderr!.on('data', (d) => {
    err += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return Object.assign(child, { stderrText: () => err, exited });
}

/** Resolves once the child's stderr shows `text` (progress lines come every 10%). */
function when(child: ReturnType<typeof live>, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (child.stderrText().includes(text)) resolve();
    };
    child.stderr!.on('data', check);
    child.on('exit', () => reject(new Error(`exited before "${text}":\n${child.stderrText()}`)));
    check();
  });
}

function ledgerOf(dir: string): ChainRecord[] {
  return readFileSync(join(dir, 'ledger.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ChainRecord);
}

describe('arena live', () => {
  it('survives SIGKILL mid-run: the resumed run ends exactly where an uninterrupted one does', async () => {
    const interrupted = tempDir();
    const reference = tempDir();
    const home = tempDir('arbiter-home-');
    const issuer = loadSigner(new RuntimeLayout(home));
    const uninterrupted = liveArena(
      parseArenaOptions({
        source: 'synthetic',
        bars: String(BARS),
        warmup: '100',
        agents: AGENTS,
        bootstrap: '100',
        checkpointEvery: '15',
        report: false,
        quiet: true,
      }),
      reference,
      { barMs: 0 },
      issuer,
    );

    const first = live(interrupted, home, 3); // paced: it cannot finish before the kill arrives
    await when(first, ' 20.0%');
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = live(interrupted, home);
    await when(second, ' 60.0%');
    second.kill('SIGKILL');
    expect((await second.exited).signal).toBe('SIGKILL');
    expect(second.stderrText()).toMatch(/resuming at bar \d+ of 120/);

    const third = live(interrupted, home);
    expect((await third.exited).code, third.stderrText()).toBe(0);
    expect((await uninterrupted).finished).toBe(true);
    const resumedAt = Number(/resuming at bar (\d+)/.exec(third.stderrText())?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThan(BARS);

    // Every output file of the interrupted run equals the uninterrupted run's, byte for byte.
    const skip = (f: string) => f.startsWith('arena.db');
    expect(differences(interrupted, reference, skip)).toEqual([]);

    // The ledger is gapless, its hash chain intact and every signed checkpoint verifies.
    const records = ledgerOf(interrupted);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    const run = JSON.parse(readFileSync(join(interrupted, 'run.json'), 'utf8'));
    const publicKey = Uint8Array.from(Buffer.from(run.issuer.public_key_hex, 'hex'));
    expect(run.issuer.key_id, "signed with the installation's issuer key").toBe(issuer.keyId);
    const cps = JSON.parse(readFileSync(join(interrupted, 'checkpoints.json'), 'utf8')) as ChainCheckpoint[];
    expect(cps.length).toBeGreaterThan(1);
    const v = new ChainVerifier((s) => nodeHasher.sha256Hex(s), new Set(cps.map((c) => c.count)));
    for (const r of records) v.add(r);
    const report = v.finish(cps, (cp) =>
      nodeEd25519Verify(publicKey, utf8(checkpointMessage(cp.count, cp.head_hash, cp.ts)), fromBase64url(cp.signature)),
    );
    expect(report.problems).toEqual([]);
    expect(new Set(cps.map((c) => c.count)).size, 'no checkpoint signed twice').toBe(cps.length);

    // Exactly one verdict per (agent, bar) decision, and one per decision in the trace.
    const verdicts = records.filter((r) => r.kind === 'verdict').map((r) => r.ref);
    expect(new Set(verdicts).size).toBe(verdicts.length);
    const decisions = readFileSync(join(interrupted, 'decisions.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { verdict_id: string; agent: string; bar: number });
    expect(decisions.map((d) => d.verdict_id).sort()).toEqual([...verdicts].sort());
    for (const d of decisions) expect(d.verdict_id).toBe(`vdt_${d.agent}.${d.bar}`);
    const outcomes = records.filter((r) => r.kind === 'order_outcome').map((r) => r.ref);
    expect(new Set(outcomes).size, 'one venue outcome per forwarded order').toBe(outcomes.length);
    expect(run.reconciliation.misses).toBe(0);
  }, 90_000);
});
