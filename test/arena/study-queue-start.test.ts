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
    const clients = await Promise.all(
      Array.from({ length: 6 }, async () => ({
        b: await boss(url),
        pool: new pg.Pool({ connectionString: url, max: 2 }),
      })),
    );
    try {
      const results = await Promise.allSettled(clients.map(({ b, pool }) => prepareQueue(b, pool)));
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(failed, `round ${round}`).toEqual([]);
      const { rows } = await clients[0]!.pool.query('SELECT count(*)::int AS n FROM pgboss.queue WHERE name = $1', [
        STUDY_QUEUE,
      ]);
      expect(rows[0].n).toBe(1);
    } finally {
      for (const { b, pool } of clients) {
        await b.stop({ graceful: false, wait: true }).catch(() => {});
        await pool.end();
      }
    }
  }
}, 180_000);
