import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunSpec, StudyOptions } from './plan.js';
import { type RunOutcome, runOne } from './run-one.js';

/** Worker threads a study uses by default: one per core the machine offers. */
export const defaultJobs = () => availableParallelism();

const WORKER = fileURLToPath(new URL('./thread.js', import.meta.url));

/**
 * Runs every spec and returns the outcomes in plan order. With jobs > 1 the runs go to that many worker threads
 * (each takes the next run when it finishes one); every run is deterministic by itself, so the outcomes — and the
 * study — are the same as a serial run's. Under a TypeScript loader (no compiled thread.js) it runs serially.
 */
export async function runAll(
  o: StudyOptions,
  specs: readonly RunSpec[],
  jobs: number,
  onDone: (done: number) => void = () => {},
): Promise<RunOutcome[]> {
  const results: RunOutcome[] = new Array(specs.length);
  let done = 0;
  const threads = Math.min(jobs, specs.length);
  if (threads <= 1 || !existsSync(WORKER)) {
    for (const s of specs) {
      results[s.index] = await runOne(o, s);
      onDone(++done);
    }
    return results;
  }
  let next = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, () => {
        const w = new Worker(WORKER);
        workers.push(w);
        return new Promise<void>((resolve, reject) => {
          const give = () => {
            if (next >= specs.length) return resolve();
            w.postMessage({ options: o, spec: specs[next++] });
          };
          w.on('message', (m: { outcome?: RunOutcome; error?: { message: string; code?: string } }) => {
            if (m.error) {
              const e = new Error(m.error.message) as Error & { code?: string };
              if (m.error.code) e.code = m.error.code;
              return reject(e);
            }
            results[m.outcome!.index] = m.outcome!;
            onDone(++done);
            give();
          });
          w.on('error', reject);
          w.on('exit', (code) => {
            if (code !== 0) reject(new Error(`study worker thread exited with ${code}`));
          });
          give();
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
