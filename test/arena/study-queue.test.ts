import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliAsync, tempHome } from '../support/cli.js';
import { type EmbeddedPg, startPostgres } from '../support/embedded-pg.js';

// Drives the built CLI: `arena study` with ARBITER_DATABASE_URL and three `arbiter worker` processes, one SIGKILLed.
const home = tempHome('arbiter-study-queue-');
const STUDY = ['arena', 'study', '--agents', 'buy-hold,momentum-20,random-1', '--seeds', '6', '--windows', '1'];
const SMALL = ['--bars', '120', '--warmup', '40', '--bootstrap', '300', '--quiet'];

interface Worker {
  readonly child: ChildProcessWithoutNullStreams;
  err: string;
  readonly exited: Promise<number | null>;
}

function startWorker(env: NodeJS.ProcessEnv): Worker {
  const child = spawn(process.execPath, [BIN, 'worker'], { env: { ...process.env, ARBITER_HOME: home, ...env } });
  const w: Worker = {
    child,
    err: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stderr.on('data', (d) => {
    w.err += d;
  });
  child.stdout.resume();
  return w;
}

/** Resolves when `w`'s stderr has a line matching `re` (checked on every chunk: no polling, no sleep). */
function line(w: Worker, re: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = re.exec(w.err);
      if (m) {
        w.child.stderr.off('data', check);
        resolve(m);
      }
    };
    w.child.stderr.on('data', check);
    w.child.on('exit', () => reject(new Error(`worker exited before ${re}: ${w.err}`)));
    check();
  });
}

let db: EmbeddedPg;
let url: string;

beforeAll(async () => {
  db = await startPostgres();
  url = await db.createDatabase('study');
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

describe('arena study through the PostgreSQL queue (pg-boss)', () => {
  it('three workers, one SIGKILLed mid-run: the study completes, every run counted once, same as a serial study', async () => {
    const serialDir = join(home, 'serial');
    const serial = await cliAsync(home, [...STUDY, ...SMALL, '--jobs', '1', '--out', serialDir]);
    expect(serial.code, serial.err).toBe(0);

    const env = { ARBITER_DATABASE_URL: url, ARBITER_STUDY_EXPIRE_SECONDS: '3' };
    const workers = [startWorker(env), startWorker(env), startWorker(env)];
    await Promise.all(workers.map((w) => line(w, /waiting for study runs/)));

    // Kill whichever worker takes a run first, while it is running it.
    let killed: { pid: number; index: number } | null = null;
    const firstTake = Promise.race(
      workers.map((w) => line(w, /worker \S+:(\d+): took run (\d+) of study/).then((m) => ({ w, m }))),
    ).then(({ w, m }) => {
      w.child.kill('SIGKILL');
      killed = { pid: Number(m[1]), index: Number(m[2]) };
    });

    const queuedDir = join(home, 'queued');
    const study = cliAsync(home, [...STUDY, ...SMALL, '--out', queuedDir], env);
    await Promise.race([
      firstTake,
      study.then((x) => {
        throw new Error(`the study ended before any worker took a run: ${x.err}`);
      }),
    ]);
    const r = await study;
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/study [0-9a-f-]{36}: 14 runs queued on arbiter-study-run/);
    expect(readFileSync(join(queuedDir, 'study.json'), 'utf8')).toBe(
      readFileSync(join(serialDir, 'study.json'), 'utf8'),
    );

    const id = /study ([0-9a-f-]{36}):/.exec(r.err)![1]!;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const runs = await client.query<{ run_index: number; worker: string }>(
        'SELECT run_index, worker FROM arbiter_study_run WHERE study_id = $1 AND result IS NOT NULL ORDER BY run_index',
        [id],
      );
      expect(runs.rows.map((x) => x.run_index)).toEqual(Array.from({ length: 14 }, (_, i) => i));
      const k = killed!;
      const taken = runs.rows.find((x) => x.run_index === k.index)!;
      // The killed worker's run was taken again by another worker and recorded once, by that one.
      expect(taken.worker.endsWith(`:${k.pid}`)).toBe(false);
      const attempts = await client.query<{ worker: string }>(
        'SELECT worker FROM arbiter_study_attempt WHERE study_id = $1 AND run_index = $2',
        [id, k.index],
      );
      expect(attempts.rows.length).toBeGreaterThanOrEqual(2);
      expect(attempts.rows.some((x) => x.worker.endsWith(`:${k.pid}`))).toBe(true);
    } finally {
      await client.end();
    }

    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes.filter((c) => c === 0)).toHaveLength(2);
  }, 300_000);

  it('a worker whose database connections the server drops keeps running, says so, and still takes the next study', async () => {
    const dropUrl = await db.createDatabase('study_drop');
    const env = { ARBITER_DATABASE_URL: dropUrl };
    const w = startWorker(env);
    await line(w, /waiting for study runs/);

    // What a database restart or an administrator's pg_terminate_backend does to every connection, idle or not.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1',
        ['study_drop'],
      );
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await line(w, /worker: database connection lost while idle: terminating connection due to administrator command/);

    const r = await cliAsync(
      home,
      [
        'arena',
        'study',
        '--agents',
        'buy-hold',
        '--seeds',
        '2',
        '--windows',
        '1',
        ...SMALL,
        '--out',
        join(home, 'drop'),
      ],
      env,
    );
    expect(r.code, r.err).toBe(0);
    expect(w.err).toMatch(/took run 0 of study/);
    expect(w.child.exitCode).toBeNull();
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 300_000);
});
