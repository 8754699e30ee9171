import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Moves SQLite's WAL checkpoints off the thread that decides. By default SQLite checkpoints inside the COMMIT
 * that crosses `wal_autocheckpoint` pages: it copies those pages into the database file and fsyncs it, and
 * that decision waits (measured here: about 40% of a decision's cost, and the p99). Once a store is busy, a
 * worker thread with its own connection runs PASSIVE checkpoints on a timer (they never block the writer); the
 * writer's own auto-checkpoint is turned off. If the worker falls behind by more than `maxBacklogFrames` (it
 * reports the frames not yet copied after each pass), the writer checkpoints inline once, as SQLite would have.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 100');
const progress = new Int32Array(workerData.progress);
const tick = () => {
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    // Frames in the WAL not yet copied into the database file (the writer reads this to know it is overdue).
    if (r && r.log >= 0) Atomics.store(progress, 0, Math.max(0, r.log - r.checkpointed));
  } catch {}
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  tick();
  db.close();
  parentPort.postMessage('stopped');
});
`;

export interface CheckpointerOptions {
  readonly path: string;
  readonly intervalMs?: number;
  /** WAL frames (pages) the worker may be behind before the writer steps in (default 16,384 ≈ 64 MB). */
  readonly maxBacklogFrames?: number;
}

export class BackgroundCheckpointer {
  private worker: Worker | null = null;
  private readonly progress = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly opts: CheckpointerOptions) {}

  get running(): boolean {
    return this.worker !== null;
  }

  start(): void {
    if (this.worker) return;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_CODE, {
      eval: true,
      workerData: {
        driver,
        path: this.opts.path,
        intervalMs: this.opts.intervalMs ?? 50,
        progress: this.progress.buffer,
      },
    });
    this.worker.unref();
    // A worker that fails leaves checkpoints to the writer's size check below.
    this.worker.on('error', () => {
      this.worker = null;
    });
  }

  /** True when the worker has fallen too far behind and the writer should checkpoint now. */
  overdue(): boolean {
    return Atomics.load(this.progress, 0) > (this.opts.maxBacklogFrames ?? 16_384);
  }

  /** The writer checkpointed: the backlog the worker reported is gone. */
  caughtUp(): void {
    Atomics.store(this.progress, 0, 0);
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      w.once('message', done);
      w.once('exit', done);
      w.once('error', done);
      w.postMessage('stop');
      setTimeout(done, 2_000).unref();
    });
    await w.terminate();
  }
}
