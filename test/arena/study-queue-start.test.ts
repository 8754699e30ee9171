import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { boss, prepareQueue, STUDY_QUEUE } from '../../src/app/study/queue.js';
import { type EmbeddedPg, startPostgres } from '../support/embedded-pg.js';

/**
 * CI once saw one of three `arbiter worker`s started together on a new database exit with `40P01: deadlock
 * detected`: pg-boss's createQueue creates and attaches a partition of its job table, and processes doing that at
 * once can deadlock. Here six queue clients (as six workers or studies would) make each of several new databases
 * ready at the same moment; every one must get there, and the queue must exist once.
 */
let db: EmbeddedPg;
beforeAll(async () => {
  db = await startPostgres();
}, 120_000);
afterAll(async () => {
  await db?.stop();
});

it('six processes making a new database ready at once all succeed, with one study queue', async () => {
  for (let round = 0; round < 4; round++) {
    const url = await db.createDatabase(`queue_start_${round}`);
    // pg-boss and pg emit 'error' for a connection that fails while idle; an emitter with no listener throws it.
    const emitted: string[] = [];
    const clients = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const b = await boss(url);
        const pool = new pg.Pool({ connectionString: url, max: 2 });
        b.on('error', (e) => emitted.push(String(e)));
        pool.on('error', (e) => emitted.push(String(e)));
        return { b, pool };
      }),
    );
    try {
      const results = await Promise.allSettled(clients.map(({ b, pool }) => prepareQueue(b, pool)));
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(failed, `round ${round}`).toEqual([]);
      const { rows } = await clients[0]!.pool.query('SELECT count(*)::int AS n FROM pgboss.queue WHERE name = $1', [
        STUDY_QUEUE,
      ]);
      expect(rows[0].n).toBe(1);
      expect(emitted, `round ${round}`).toEqual([]);
    } finally {
      for (const { b, pool } of clients) {
        await b.stop({ graceful: false, wait: true }).catch(() => {});
        await pool.end();
      }
      // A pool's end() resolves once its connections are asked to close, not once the server let them go: CI
      // stopped the server under two of pg-boss's closing connections and their 57P01 became uncaught exceptions.
      await connectionsClosed(`queue_start_${round}`);
    }
  }
}, 180_000);

async function connectionsClosed(database: string): Promise<void> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    for (let i = 0; ; i++) {
      const { rows } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
      if (rows[0].n === 0) return;
      if (i === 200)
        throw new Error(`${rows[0].n} connections to ${database} still open 10 s after every client ended`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await c.end();
  }
}
