import { spawn, spawnSync } from 'node:child_process';
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

/**
 * The built CLI as a child process without blocking this one (a server or emulator in the test's process answers
 * it meanwhile).
 */
export function cliAsync(home: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ARBITER_HOME: home, ...env } });
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
