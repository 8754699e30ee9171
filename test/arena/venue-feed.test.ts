import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type VenueEmulator } from '../emulator/index.js';
import { BIN, cliAsync, tempHome } from '../support/cli.js';

/** `arena run --venue …` on a venue's public candles, offline: ccxt against the local Bybit emulator. */
describe('the arena on a venue candle feed', () => {
  let emu: VenueEmulator;
  let dir: string;
  beforeAll(async () => {
    emu = await startEmulator('bybit');
    dir = tempHome('arbiter-arena-venue-');
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches public bars without keys and runs the agents on them', async () => {
    const out = join(dir, 'run');
    // Asynchronous: the emulator answers from this process's event loop.
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          BIN,
          'arena',
          'run',
          '--venue',
          'bybit',
          '--symbol',
          'BTC/USDT:USDT',
          '--timeframe',
          '1m',
          '--warmup',
          '60',
          '--bars',
          '80',
          '--agents',
          'buy-hold,random',
          '--no-report',
          '--quiet',
          '--out',
          out,
        ],
        {
          env: { ...process.env, ARBITER_HOME: dir, ARBITER_VENUE_URL: emu.url, ARBITER_VENUE_MODE: 'live' },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', (status) => resolve({ status, stderr }));
    });
    expect(r.status, r.stderr).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(JSON.stringify(run)).toContain('ccxt:bybit:BTC/USDT:USDT@1m');
    expect(existsSync(join(out, 'leaderboard.json'))).toBe(true);
    const klineCalls = emu.requests.filter((q) => q.path.includes('/v5/market/kline'));
    expect(klineCalls.length).toBeGreaterThan(0);
    expect(
      klineCalls.every((q) => !q.private && q.headers['x-bapi-api-key'] === undefined),
      'public data needs no keys',
    ).toBe(true);
  }, 120_000);

  it('replays the run with the venue gone: the bars it fetched are in source.json, the outputs byte-identical', async () => {
    const out = join(dir, 'run');
    expect(existsSync(join(out, 'source.json')), 'the first test ran').toBe(true);
    await emu.close();
    const calls = emu.requests.length;
    const again = join(dir, 'replay');
    const r = await cliAsync(dir, ['arena', 'replay', out, '--out', again, '--quiet'], {
      ARBITER_VENUE_URL: emu.url,
      ARBITER_VENUE_MODE: 'live',
    });
    expect(r.code, r.err).toBe(0);
    expect(emu.requests.length, 'the venue was not asked again').toBe(calls);
    for (const f of ['leaderboard.json', 'ledger.jsonl', 'decisions.jsonl', 'trades.jsonl', 'checkpoints.json'])
      expect(readFileSync(join(again, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
    expect(JSON.parse(readFileSync(join(again, 'run.json'), 'utf8')).data).toEqual(
      JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).data,
    );
    // Without its recording the run is not replayed from whatever the venue says now.
    rmSync(join(again, 'source.json'));
    const bare = await cliAsync(dir, ['arena', 'replay', again, '--out', join(dir, 'bare'), '--quiet']);
    expect(bare.code).not.toBe(0);
    expect(bare.err).toMatch(/REPLAY_NO_RECORDINGS: .*source\.json is missing/);
  }, 120_000);
});
