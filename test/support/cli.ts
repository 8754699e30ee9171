import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'arbiter.js');

export function tempHome(prefix = 'arbiter-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the built CLI (npm test builds first) with ARBITER_HOME pointed at `home`. */
export function cli(home: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, ARBITER_HOME: home, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
