import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type PgBoss from 'pg-boss';
import type { RunSpec, StudyOptions } from './plan.js';
import { type RunOutcome, runOne } from './run-one.js';

/** The pg-boss queue a study's runs go through. */
export const STUDY_QUEUE = 'arbiter-study-run';

/**
 * Seconds a taken run may stay unfinished before the queue gives it to another worker (a worker killed mid-run
 * holds it until then). ARBITER_STUDY_EXPIRE_SECONDS, default 900.
 */
export function expireSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ARBITER_STUDY_EXPIRE_SECONDS;
  if (raw === undefined || raw === '') return 900;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 86_400)
    throw new Error(`ARBITER_STUDY_EXPIRE_SECONDS must be a whole number of seconds from 1 to 86400, got ${raw}`);
  return n;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS arbiter_study_run (
  study_id   text    NOT NULL,
  run_index  integer NOT NULL,
  options    text    NOT NULL,
  spec       text    NOT NULL,
  result     text,
  worker     text,
  PRIMARY KEY (study_id, run_index)
);
CREATE TABLE IF NOT EXISTS arbiter_study_attempt (
  study_id   text        NOT NULL,
  run_index  integer     NOT NULL,
  worker     text        NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
);`;

/** pg-boss is loaded only when a study uses the queue: the rest of the CLI does not need it. */
export async function boss(url: string): Promise<PgBoss> {
  const expire = expireSeconds();
  const { default: Boss } = await import('pg-boss');
  return new Boss({
    connectionString: url,
    max: 3,
    expireInSeconds: expire,
    // Expired (abandoned) runs are found by the maintenance pass: run it often enough for the expiry to matter.
    maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.floor(expire / 2))),
    retryLimit: 20,
    retryDelay: 0,
  });
}

/**
 * Makes the database ready for a study's processes: Arbiter's two tables, pg-boss's schema and the study queue.
 * Done under one session advisory lock, on one connection, so processes starting at once take turns: pg-boss's
 * `createQueue` creates and attaches a partition of its job table, and two processes doing that at once (or one
 * doing it while another starts pg-boss) can deadlock (40P01; CI saw three workers started together do it).
 */
export async function prepareQueue(b: PgBoss, pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('SELECT pg_advisory_lock(hashtext($1))', ['arbiter_study_schema']);
    try {
      await c.query(SCHEMA);
      await b.start();
      await b.createQueue(STUDY_QUEUE);
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', ['arbiter_study_schema']);
    }
  } finally {
    c.release();
  }
}

/** Outcomes travel as JSON (exact for doubles); the per-bar returns go back into Float64Array. */
const encode = (o: RunOutcome) =>
  JSON.stringify({ ...o, agents: o.agents.map((a) => ({ ...a, returns: Array.from(a.returns) })) });
const decode = (s: string): RunOutcome => {
  const o = JSON.parse(s) as RunOutcome & { agents: { returns: number[] }[] };
  return { ...o, agents: o.agents.map((a) => ({ ...a, returns: Float64Array.from(a.returns) })) } as RunOutcome;
};

/**
 * A study through PostgreSQL: the runs are written to arbiter_study_run and one pg-boss job per run is queued; any
 * number of `arbiter worker` processes (this machine or others, same database) take them. Waits until every run
 * has its result and returns the outcomes in plan order.
 */
export async function runQueued(
  url: string,
  o: StudyOptions,
  specs: readonly RunSpec[],
  onDone: (done: number) => void = () => {},
): Promise<RunOutcome[]> {
  const b = await boss(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  b.on('error', () => {}); // maintenance hiccups are retried by pg-boss itself
  // An idle connection the server drops is replaced on the next query; unheard, pg would throw it from the process.
  pool.on('error', (e) => process.stderr.write(`study: database connection lost while idle: ${e.message}\n`));
  try {
    await prepareQueue(b, pool);
    const study = randomUUID();
    for (const s of specs)
      await pool.query('INSERT INTO arbiter_study_run (study_id, run_index, options, spec) VALUES ($1, $2, $3, $4)', [
        study,
        s.index,
        JSON.stringify(o),
        JSON.stringify(s),
      ]);
    await b.insert(specs.map((s) => ({ name: STUDY_QUEUE, data: { study, index: s.index } })));
    process.stderr.write(`study ${study}: ${specs.length} runs queued on ${STUDY_QUEUE}\n`);
    let last = -1;
    for (;;) {
      const { rows } = await pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM arbiter_study_run WHERE study_id = $1 AND result IS NOT NULL',
        [study],
      );
      const done = Number(rows[0]!.n);
      if (done !== last) {
        last = done;
        onDone(done);
      }
      if (done === specs.length) break;
      await sleep(250); // waiting for results, not scheduling: the queue decides who runs what
    }
    const { rows } = await pool.query<{ run_index: number; result: string }>(
      'SELECT run_index, result FROM arbiter_study_run WHERE study_id = $1 ORDER BY run_index',
      [study],
    );
    return rows.map((r) => decode(r.result));
  } finally {
    await b.stop({ graceful: false, wait: true }).catch(() => {});
    await pool.end();
  }
}

/**
 * `arbiter worker`: takes study runs from the queue one at a time and writes each result once. A run's result is
 * stored only if none is there yet, so a run taken again after a worker died is never counted twice.
 */
export async function work(url: string, log: (line: string) => void, stop: Promise<void>): Promise<void> {
  const b = await boss(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  b.on('error', (e) => log(`worker: queue error: ${e.message}`));
  pool.on('error', (e) => log(`worker: database connection lost while idle: ${e.message}`));
  const me = `${hostname()}:${process.pid}`;
  try {
    await prepareQueue(b, pool);
    await b.work<{ study: string; index: number }>(
      STUDY_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 0.5 },
      async ([job]) => {
        const { study, index } = job!.data;
        const { rows } = await pool.query<{ options: string; spec: string; result: string | null }>(
          'SELECT options, spec, result FROM arbiter_study_run WHERE study_id = $1 AND run_index = $2',
          [study, index],
        );
        const row = rows[0];
        if (!row) throw new Error(`study ${study} has no run ${index}`);
        if (row.result !== null) return; // already counted (a retry of a run that did finish)
        await pool.query('INSERT INTO arbiter_study_attempt (study_id, run_index, worker) VALUES ($1, $2, $3)', [
          study,
          index,
          me,
        ]);
        log(`worker ${me}: took run ${index} of study ${study}`);
        const outcome = await runOne(JSON.parse(row.options) as StudyOptions, JSON.parse(row.spec) as RunSpec);
        const r = await pool.query(
          'UPDATE arbiter_study_run SET result = $3, worker = $4 WHERE study_id = $1 AND run_index = $2 AND result IS NULL',
          [study, index, encode(outcome), me],
        );
        log(`worker ${me}: run ${index} of study ${study} ${r.rowCount === 1 ? 'recorded' : 'already recorded'}`);
      },
    );
    log(`worker ${me}: waiting for study runs on ${STUDY_QUEUE}`);
    await stop;
  } finally {
    await b.stop({ graceful: true, wait: true }).catch(() => {});
    await pool.end();
  }
}
