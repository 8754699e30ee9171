import { parentPort } from 'node:worker_threads';
import type { RunSpec, StudyOptions } from './plan.js';
import { runOne } from './run-one.js';

/** A study's worker thread: takes one run at a time from the pool and posts its outcome back. */
parentPort?.on('message', async (m: { options: StudyOptions; spec: RunSpec }) => {
  try {
    const outcome = await runOne(m.options, m.spec);
    parentPort!.postMessage({ outcome });
  } catch (e) {
    const err = e as Error & { code?: string };
    parentPort!.postMessage({ error: { message: err.message, ...(err.code ? { code: err.code } : {}) } });
  }
});
