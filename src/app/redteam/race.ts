import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeHasher } from '../../adapters/crypto/node-signer.js';
import { RuntimeLayout } from '../../adapters/runtime/layout.js';
import { writeMandate } from '../../adapters/runtime/mandate-file.js';
import { defaultMandate } from '../../core/mandate/schema.js';
import type { Mandate } from '../../core/mandate/types.js';

export interface RaceResult {
  readonly processes: number;
  readonly allowed: number;
  /** Each racer's decision with its reason codes (`PAUSE_FOR_REAUTH:DAILY_TRADE_LIMIT`). */
  readonly decisions: readonly string[];
  readonly errors: readonly string[];
}

function runCli(
  bin: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/**
 * Real concurrency: N separate OS processes (`arbiter vet --execute`) race for the last unit of a limit on one
 * shared store. The mandate leaves room for exactly one of them.
 */
export async function raceForLastUnit(
  bin: string,
  n: number,
  tune: (m: Mandate) => Mandate,
  notional: number,
): Promise<RaceResult> {
  const home = mkdtempSync(join(tmpdir(), 'arbiter-race-'));
  try {
    const layout = new RuntimeLayout(home);
    writeMandate(layout, tune(defaultMandate(new Date(Date.now() - 60_000), nodeHasher.sha256Hex('race'), 'paper')));
    const env = { ...process.env, ARBITER_HOME: home };
    // Create the store and key once so the racers only race for the limit.
    await runCli(bin, ['pubkey'], env);
    const runs = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        runCli(
          bin,
          [
            'vet',
            '--execute',
            '--agent',
            `racer-${i}`,
            '--symbol',
            'BTC/USDT',
            '--side',
            'buy',
            '--notional',
            String(notional),
          ],
          env,
        ),
      ),
    );
    const decisions: string[] = [];
    const errors: string[] = [];
    let allowed = 0;
    for (const r of runs) {
      try {
        const v = JSON.parse(r.out) as { decision: string; reasons?: readonly string[] };
        if (v.decision === 'ALLOW' || v.decision === 'ALLOW_CAPPED') allowed += 1;
        decisions.push(v.reasons?.length ? `${v.decision}:${v.reasons.join('+')}` : v.decision);
      } catch {
        errors.push(r.err.trim().slice(0, 300) || `exit ${r.code}`);
      }
    }
    return { processes: n, allowed, decisions, errors };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
