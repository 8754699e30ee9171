import type Database from 'better-sqlite3';
import type { DecideOutcome, DecideScope, DecideState, DecisionWrite } from '../../ports/store.js';
import { type DecideTx, decideInTx } from './sqlite-decide.js';

interface Queued {
  readonly scope: DecideScope;
  readonly decide: (state: DecideState) => DecisionWrite;
  readonly resolve: (o: DecideOutcome) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit: decisions that arrive in the same turn of the event loop (concurrent HTTP or MCP calls) share
 * one `BEGIN IMMEDIATE … COMMIT`, each inside its own savepoint, in arrival order, so each one reads the state
 * the ones before it left. A decision whose callback or writes fail is rolled back alone; a failed commit fails
 * them all. Nobody is answered before the commit that holds their decision. With `grouped` false each decision
 * is committed when it is asked for (a single caller that waits for every answer gains nothing by waiting a turn).
 */
export class GroupCommit {
  private queue: Queued[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly tx: DecideTx,
    private readonly grouped: boolean,
    /** Called after each commit with the number of decisions it held. */
    private readonly committed: (n: number) => void,
  ) {}

  decide(scope: DecideScope, decide: (state: DecideState) => DecisionWrite): Promise<DecideOutcome> {
    return new Promise<DecideOutcome>((resolve, reject) => {
      this.queue.push({ scope, decide, resolve, reject });
      if (!this.grouped) this.flush();
      else if (this.queue.length === 1) setImmediate(this.flush);
    });
  }

  /** Decides and commits everything asked for so far (also called before the store closes). */
  readonly flush = (): void => {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const s = this.tx.s;
    const results: ({ ok: true; value: DecideOutcome } | { ok: false; error: unknown })[] = [];
    try {
      s.begin.run();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    // A decision alone in its transaction needs no savepoint: if it fails, the whole transaction rolls back.
    const alone = batch.length === 1;
    try {
      for (const item of batch) {
        if (alone) {
          results.push({ ok: true, value: decideInTx(this.tx, item.scope, item.decide) });
          continue;
        }
        s.savepoint.run();
        try {
          results.push({ ok: true, value: decideInTx(this.tx, item.scope, item.decide) });
          s.release.run();
        } catch (error) {
          s.rollbackTo.run();
          s.release.run();
          results.push({ ok: false, error });
        }
      }
      s.commit.run();
      this.committed(batch.length);
    } catch (error) {
      if (this.db.inTransaction) s.rollback.run();
      for (const item of batch) item.reject(error);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const r = results[i]!;
      if (r.ok) batch[i]!.resolve(r.value);
      else batch[i]!.reject(r.error);
    }
  };
}
