import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The Python 3 scripts that play Vibe-Trading's side of the runtime root (written from reading its code). */
export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** Runs `fixtures/<script>` with `args`, JSON on stdin, and returns its parsed JSON stdout. */
export function python<T = unknown>(script: string, args: readonly string[] = [], input?: unknown): T {
  const r = spawnSync('python3', [join(FIXTURES, script), ...args], {
    input: input === undefined ? '' : JSON.stringify(input),
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`python3 ${script} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Starts `fixtures/<script>` as a long-running process; resolves once it prints `ready` on stdout. */
export function startPython(script: string, args: readonly string[] = []) {
  const child = spawn('python3', [join(FIXTURES, script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => {
    err += String(d);
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += String(d);
      if (out.includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`python3 ${script} exited ${code} before ready: ${err}`)));
  });
  ready.catch(() => {}); // awaited by the callers that wait for it; an early exit is reported there
  const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out, err })),
  );
  return { child, ready, exited, output: () => out };
}
