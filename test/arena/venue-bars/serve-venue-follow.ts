import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type VenueEmulator } from '../../emulator/index.js';
import { ADMIN, eventually, http, type Served, serve } from '../../killswitch/support/outside.js';
import { tempHome } from '../../support/cli.js';

const MINUTE = 60_000;
const WARMUP = 200; // serve's default warm-up

/**
 * `serve --arena ccxt:bybit:BTC/USDT:USDT@1m`, offline: the built CLI as a server, ccxt against the local Bybit
 * emulator's public 1m candles. The served arena trades each bar once it has closed at the venue, keeps its state
 * under ARBITER_HOME, and a server killed with SIGKILL and started again resumes at its first unfinished bar
 * without trading a bar twice.
 */
describe.concurrent('serve --arena on a venue feed that keeps coming', () => {
  let emu: VenueEmulator;
  let home: string;
  const servers: Served[] = [];
  beforeAll(async () => {
    emu = await startEmulator('bybit');
    home = tempHome('arbiter-serve-follow-');
  });
  afterAll(async () => {
    // A server killed or stopped by the test has exited already (stop() waits for an exit that then never comes).
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop();
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  });

  const start = async () => {
    const s = await serve(home, ['--arena', 'ccxt:bybit:BTC/USDT:USDT@1m', '--arena-start-after', '0'], {
      ARBITER_VENUE_URL: emu.url,
      ARBITER_VENUE_MODE: 'live',
    });
    servers.push(s);
    return s;
  };
  const logged = (s: Served, text: string) =>
    eventually(`"${text}" in the server's log`, async () => (s.log().includes(text) ? true : undefined), 150_000);

  interface Decision {
    bar: number;
    verdict_id: string;
  }
  const decisions = async (s: Served, agent: string): Promise<Decision[]> => {
    const r = await http(s.url, 'GET', `/v1/arena/decisions?agent=${agent}&limit=500`, { token: ADMIN });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.decisions as Decision[];
  };

  it.sequential('trades each bar once it has closed, and resumes after a SIGKILL without re-trading a bar', async () => {
    const startedAt = Date.now();
    const first = await start();
    await logged(first, 'arena: bar 0 decided');
    const state = join(home, 'arena', 'bybit-BTC_USDT_USDT-1m');
    // The first season of the served arena (--arena-season-bars: 100,000 bars a season by default).
    const pin = JSON.parse(readFileSync(join(state, '0', 'live.json'), 'utf8')) as { venue_start: number };
    expect(pin.venue_start % MINUTE, 'a bar open on the 1m timeframe').toBe(0);
    expect(pin.venue_start, 'the bar in progress when the server started').toBeGreaterThanOrEqual(
      Math.floor(startedAt / MINUTE) * MINUTE,
    );
    // Bar 0 is decided once it has closed at the venue: not before its minute is over.
    expect(Date.now()).toBeGreaterThanOrEqual(pin.venue_start + MINUTE);
    const before = await decisions(first, 'buy-hold');
    expect(before.map((d) => d.bar)).toEqual([WARMUP]);
    expect(existsSync(join(state, '0', 'candles.jsonl')), 'the bars received are kept in the state folder').toBe(true);

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await start();
    await logged(second, 'resuming at bar 1');
    await logged(second, 'arena: bar 1 decided');
    // Both processes' decisions, each bar once: buy-hold bought at the first traded bar only, and exactly once.
    const after = await decisions(second, 'buy-hold');
    expect(after.map((d) => d.verdict_id)).toEqual(before.map((d) => d.verdict_id));
    for (const agent of ['random-1', 'random-2', 'random-3', 'momentum-20']) {
      const bars = (await decisions(second, agent)).map((d) => d.bar);
      expect(new Set(bars).size, `${agent} decided a bar twice: ${bars}`).toBe(bars.length);
    }
    const trades = await http(second.url, 'GET', '/v1/arena/trades?agent=buy-hold', { token: ADMIN });
    expect(trades.body.trades, 'one fill for the one buy').toHaveLength(1);
    const runs = await http(second.url, 'GET', '/v1/arena/runs', { token: ADMIN });
    expect(JSON.stringify(runs.body)).toContain('ccxt:bybit:BTC/USDT:USDT@1m');

    // A plain stop while the arena waits for the next bar to close: the server exits at once, cleanly.
    const stopped = Date.now();
    await second.stop();
    expect(second.child.signalCode, second.log()).not.toBe('SIGKILL');
    expect(Date.now() - stopped).toBeLessThan(15_000);
  }, 300_000);

  it.sequential('keeps any other source resumable with --arena-state: a restart goes on where the killed server stopped', async () => {
    const state = join(home, 'csv-state');
    const args = ['--arena', 'csv:data/BTCUSDT_1h.csv', '--arena-state', state, '--arena-start-after', '0'];
    const run = async () => {
      const s = await serve(home, args, { ARBITER_BAR_MS: '150' });
      servers.push(s);
      return s;
    };
    const barsDone = async (s: Served): Promise<number> => {
      const r = await http(s.url, 'GET', '/v1/arena/runs', { token: ADMIN });
      return (r.body.runs as { bars_done: number }[])[0]?.bars_done ?? 0;
    };
    const first = await run();
    await eventually('five bars', async () => ((await barsDone(first)) >= 5 ? true : undefined), 60_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const second = await run();
    await logged(second, 'resuming at bar');
    const resumedAt = Number(/resuming at bar (\d+)/.exec(second.log())![1]);
    expect(resumedAt).toBeGreaterThanOrEqual(5);
    await eventually(
      'two more bars',
      async () => ((await barsDone(second)) >= resumedAt + 2 ? true : undefined),
      60_000,
    );
    const buys = await decisions(second, 'buy-hold');
    expect(
      buys.map((d) => d.bar),
      'buy-hold bought once, at the first traded bar',
    ).toEqual([WARMUP]);
    for (const agent of ['random-1', 'momentum-20', 'bollinger-20-2']) {
      const bars = (await decisions(second, agent)).map((d) => d.bar);
      expect(new Set(bars).size, `${agent} decided a bar twice: ${bars}`).toBe(bars.length);
    }
    await second.stop();
  }, 180_000);
});
