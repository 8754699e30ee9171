import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type VenueEmulator } from '../emulator/index.js';
import { BIN, tempHome } from '../support/cli.js';

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
});
