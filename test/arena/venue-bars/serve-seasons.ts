import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type VenueEmulator } from '../../emulator/index.js';
import { ADMIN, eventually, http, type Served, serve } from '../../killswitch/support/outside.js';
import { cliAsync, tempHome } from '../../support/cli.js';

const MINUTE = 60_000;
const WARMUP = 200; // serve's default warm-up
const SEASON = 2; // bars per season: the smallest season a kill can land in the middle of

const jsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
const json = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/**
 * `serve --arena ccxt:bybit:BTC/USDT:USDT@1m --arena-season-bars 2`, offline: the built CLI as a server, ccxt
 * against the local Bybit emulator's public 1m candles (1m is the shortest timeframe the arena reads, so the test
 * lasts about five minutes of real bars). The served arena never ends: each season of two bars is written out and
 * verifies, the next starts at the next bar, and a server killed mid-season resumes that season where it stopped.
 */
describe.concurrent('serve --arena on a venue feed runs season after season', () => {
  let emu: VenueEmulator;
  let home: string;
  const servers: Served[] = [];
  beforeAll(async () => {
    emu = await startEmulator('bybit');
    home = tempHome('arbiter-serve-seasons-');
  });
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop();
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  });

  const start = async () => {
    const s = await serve(
      home,
      ['--arena', 'ccxt:bybit:BTC/USDT:USDT@1m', '--arena-start-after', '0', '--arena-season-bars', String(SEASON)],
      { ARBITER_VENUE_URL: emu.url, ARBITER_VENUE_MODE: 'live' },
    );
    servers.push(s);
    return s;
  };
  const logged = (s: Served, text: string) =>
    eventually(`"${text}" in the server's log`, async () => (s.log().includes(text) ? true : undefined), 150_000);

  it.sequential('finishes each season verifiable, starts the next at the next bar with equal capital, and resumes the right season after a SIGKILL', async () => {
    const state = join(home, 'arena', 'bybit-BTC_USDT_USDT-1m');
    const first = await start();
    await logged(first, 'arena: season 0 finished');
    const pin = json<{ venue_start: number; season_bars: number }>(join(state, 'seasons.json'));
    expect(pin.season_bars).toBe(SEASON);
    expect(pin.venue_start % MINUTE, 'a bar open on the 1m timeframe').toBe(0);
    await logged(
      first,
      `arena: bar 0 decided (season 1, opened ${new Date(pin.venue_start + 2 * MINUTE).toISOString()})`,
    );

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await start();
    await logged(second, 'season 1, each bar once it has closed at the venue, resuming at bar 1');
    await logged(second, 'arena: season 1 finished');
    expect(second.log(), 'the restarted server traded no bar of season 1 again').not.toContain(
      'arena: bar 0 decided (season 1',
    );
    expect(second.log()).not.toContain('season 0');

    for (const n of [0, 1]) {
      const dir = join(state, String(n));
      // Season n trades the two bars after season n-1's: pinned in its live.json, kept in its market.csv.
      expect(json<{ venue_start: number }>(join(dir, 'live.json')).venue_start).toBe(
        pin.venue_start + n * SEASON * MINUTE,
      );
      const opens = readFileSync(join(dir, 'market.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[0]));
      expect(opens, `season ${n}'s bars`).toEqual([0, 1].map((k) => pin.venue_start + (n * SEASON + k) * MINUTE));
      // The season's folder verifies against the installation's key: ledger chain, signed checkpoints, certificates.
      const verified = await cliAsync(home, ['arena', 'verify', dir]);
      expect(verified.code, verified.out + verified.err).toBe(0);
      const report = JSON.parse(verified.out) as { ok: boolean; records: number; checkpoints: number };
      expect(report.ok).toBe(true);
      expect(report.records).toBeGreaterThan(0);
      expect(report.checkpoints).toBeGreaterThan(0);
      // Each agent decided each bar of the season once, across the kill.
      const decided = jsonl<{ agent: string; bar: number }>(join(dir, 'decisions.jsonl'));
      const keys = decided.map((d) => `${d.agent}@${d.bar}`);
      expect(new Set(keys).size, `season ${n} decided a bar twice`).toBe(keys.length);
      // Decisions (holds are not traced) fall on the season's own two bars, the first one included.
      expect(
        decided.every((d) => d.bar === WARMUP || d.bar === WARMUP + 1),
        keys.join(' '),
      ).toBe(true);
      expect(keys).toContain(`buy-hold@${WARMUP}`);
      // Every season starts every agent with the same capital: buy-hold buys again at the season's first bar.
      const buys = jsonl<{ agent: string; bar: number; side: string }>(join(dir, 'trades.jsonl')).filter(
        (t) => t.agent === 'buy-hold',
      );
      expect(
        buys.map((t) => [t.bar, t.side]),
        `season ${n}: buy-hold's one buy`,
      ).toEqual([[WARMUP, 'buy']]);
      const run = json<{ config: { capital: number } }>(join(dir, 'run.json'));
      const equity = readFileSync(join(dir, 'equity', 'buy-hold.csv'), 'utf8')
        .split('\n')[1]!
        .split(',');
      expect(Number(equity[2]), `season ${n} starts at the arena's capital`).toBe(run.config.capital);
      expect(Object.keys(json<object>(join(dir, 'leaderboard.json'))).length).toBeGreaterThan(0);
    }

    // The dashboard lists the season just finished and the one now running, and shows the one running.
    await logged(second, 'season 2, each bar once it has closed at the venue');
    const runs = await http(second.url, 'GET', '/v1/arena/runs', { token: ADMIN });
    const listed = (runs.body.runs as { id: string; status: string; bars_total: number }[]).map((r) => [
      r.id,
      r.status,
      r.bars_total,
    ]);
    expect(listed, 'newest first').toEqual([
      ['season-2', 'running', SEASON],
      ['season-1', 'finished', SEASON],
    ]);
    const shown = await http(second.url, 'GET', '/v1/leaderboard', { token: ADMIN });
    expect(shown.body.run_id, JSON.stringify(shown.body)).toBe('season-2');
    const past = await http(second.url, 'GET', '/v1/leaderboard?run=season-1', { token: ADMIN });
    expect((past.body.rows as unknown[]).length, 'the finished season keeps its leaderboard').toBeGreaterThan(0);
    await second.stop();
    expect(second.child.signalCode, second.log()).not.toBe('SIGKILL');

    // The same state folder with another season length is refused before the server listens, naming the pinned one.
    const other = await cliAsync(
      home,
      ['serve', '--port', '0', '--arena', 'ccxt:bybit:BTC/USDT:USDT@1m', '--arena-season-bars', '3'],
      { ARBITER_VENUE_URL: emu.url, ARBITER_VENUE_MODE: 'live', ARBITER_ADMIN_TOKEN: ADMIN },
    );
    expect(other.code).not.toBe(0);
    expect(other.err).toContain('ARENA_STATE_MISMATCH');
    expect(other.err).toContain('--arena-season-bars 2');
  }, 480_000);

  it.sequential('refuses a season length that is not a whole number of bars, or a source that ends by itself', async () => {
    const bad = async (args: string[]) => {
      const r = await cliAsync(home, ['serve', '--port', '0', ...args], { ARBITER_ADMIN_TOKEN: ADMIN });
      expect(r.code, r.err).not.toBe(0);
      return r.err;
    };
    for (const n of ['0', '2.5', 'lots', '100001'])
      expect(await bad(['--arena', 'ccxt:bybit:BTC/USDT:USDT@1m', '--arena-season-bars', n])).toContain(
        `--arena-season-bars must be a whole number from 1 to 100000; got ${n}`,
      );
    expect(await bad(['--arena', 'csv:data/BTCUSDT_1h.csv', '--arena-season-bars', '5'])).toContain(
      '--arena-season-bars needs --arena on a venue feed',
    );
    expect(await bad(['--arena-season-bars', '5'])).toContain('--arena-season-bars needs --arena on a venue feed');
  });

  it.sequential('refuses a state folder of another feed or issuer key, or of a served arena from before seasons', async () => {
    const feed = ['--arena', 'ccxt:bybit:BTC/USDT:USDT@1m', '--arena-season-bars', String(SEASON)];
    const refused = async (state: string) => {
      const r = await cliAsync(home, ['serve', '--port', '0', ...feed, '--arena-state', state], {
        ARBITER_ADMIN_TOKEN: ADMIN,
      });
      expect(r.code, r.err).not.toBe(0);
      expect(r.err).toContain('ARENA_STATE_MISMATCH');
      return r.err;
    };
    const other = join(home, 'other-feed');
    mkdirSync(other, { recursive: true });
    const pinned = { arena_seasons: 1, source: 'ccxt:bybit:ETH/USDT:USDT@1m', season_bars: SEASON, key_id: 'k-other' };
    writeFileSync(join(other, 'seasons.json'), JSON.stringify({ ...pinned, venue_start: 0 }));
    const err = await refused(other);
    expect(err).toContain('--arena ccxt:bybit:ETH/USDT:USDT@1m');
    expect(err).toContain('issuer key k-other');
    const before = join(home, 'before-seasons');
    mkdirSync(before, { recursive: true });
    writeFileSync(join(before, 'live.json'), '{}');
    expect(await refused(before)).toContain('from before seasons');
  });
});
