import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHyperliquidEmulator } from '../emulator/hyperliquid.js';
import type { VenueEmulator } from '../emulator/server.js';
import { cliAsync, tempHome } from '../support/cli.js';

/** `arena run --venue hyperliquid` on the venue's public candles (POST /info candleSnapshot), offline. */
describe('the arena on a Hyperliquid candle feed', () => {
  let emu: VenueEmulator;
  let dir: string;
  beforeAll(async () => {
    emu = await startHyperliquidEmulator({ network: 'mainnet' });
    dir = tempHome('arbiter-arena-hl-');
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches public bars without a wallet and runs the agents on them', async () => {
    const out = join(dir, 'run');
    const args = ['arena', 'run', '--venue', 'hyperliquid', '--symbol', 'BTC/USDC:USDC', '--timeframe', '1m'];
    const opts = ['--warmup', '60', '--bars', '80', '--agents', 'buy-hold,random', '--no-report', '--quiet'];
    const r = await cliAsync(dir, [...args, ...opts, '--out', out], {
      ARBITER_VENUE_URL: emu.url,
      ARBITER_VENUE_MODE: 'live',
    });
    expect(r.code, r.err).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(JSON.stringify(run)).toContain('ccxt:hyperliquid:BTC/USDC:USDC@1m');
    expect(existsSync(join(out, 'leaderboard.json'))).toBe(true);
    const candleCalls = emu.requests.filter((q) => q.path === '/info' && q.params.type === 'candleSnapshot');
    expect(candleCalls.length).toBeGreaterThan(0);
    expect(
      emu.requests.filter((q) => q.path === '/exchange'),
      'public data signs nothing',
    ).toEqual([]);
  }, 120_000);
});
