import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/market-data/manual-clock.js';
import { openSource, venueStartNow } from '../../src/app/arena/sources.js';
import { startEmulator, type VenueEmulator } from '../emulator/index.js';
import { tempDir } from './support/fixtures.js';

describe('a live venue feed, configured', () => {
  it('starts at the open of the bar in progress on the source timeframe', () => {
    const now = Date.parse('2026-12-02T12:34:56.789Z');
    expect(venueStartNow('ccxt:bybit:BTC/USDT:USDT@1m', now)).toBe(Date.parse('2026-12-02T12:34:00Z'));
    expect(venueStartNow('ccxt:bybit:BTC/USDT:USDT', now)).toBe(Date.parse('2026-12-02T12:00:00Z'));
    expect(venueStartNow('ccxt:okx:ETH/USDT@4h', now)).toBe(Date.parse('2026-12-02T12:00:00Z'));
    expect(venueStartNow('csv:data/BTCUSDT_1h.csv', now), 'only venue sources follow').toBeUndefined();
  });

  it('refuses warm-up plus bars beyond one venue page, naming both and the limit', async () => {
    const o = { clock: new ManualClock(0), seed: 1, warmup: 200, bars: 900, venueStart: Date.now() };
    await expect(openSource('ccxt:bybit:BTC/USDT:USDT@1m', o)).rejects.toThrow(
      /warm-up plus bars within one page of 1000; got 200 \+ 900/,
    );
  });
});

describe('a live venue feed with a journal of the bars it received (a state directory)', () => {
  let emu: VenueEmulator;
  const env = { ...process.env };
  beforeAll(async () => {
    emu = await startEmulator('bybit');
    process.env.ARBITER_VENUE_URL = emu.url;
    process.env.ARBITER_VENUE_MODE = 'live';
  });
  afterAll(async () => {
    process.env.ARBITER_VENUE_URL = env.ARBITER_VENUE_URL;
    process.env.ARBITER_VENUE_MODE = env.ARBITER_VENUE_MODE;
    if (env.ARBITER_VENUE_URL === undefined) delete process.env.ARBITER_VENUE_URL;
    if (env.ARBITER_VENUE_MODE === undefined) delete process.env.ARBITER_VENUE_MODE;
    await emu.close();
  });

  it('is not bound to one venue page, keeps the warm-up it read, and drops a line cut short by a crash', async () => {
    const journal = join(tempDir(), 'candles.jsonl');
    const start = Math.floor(Date.now() / 60_000) * 60_000;
    const o = { clock: new ManualClock(0), seed: 1, warmup: 200, bars: 900, venueStart: start, venueJournal: journal };
    const a = await openSource('ccxt:bybit:BTC/USDT:USDT@1m', o);
    expect([a.startBar, a.endBar]).toEqual([200, 1100]);
    const kept = readFileSync(journal, 'utf8').split('\n').filter(Boolean);
    expect(kept).toHaveLength(200);
    expect(JSON.parse(kept[0]!).ts).toBe(start - 200 * 60_000);
    // A crash in the middle of an append leaves half a line: it is dropped and the file rewritten whole.
    writeFileSync(journal, `${kept.join('\n')}\n{"ts":${start},"op`);
    const b = await openSource('ccxt:bybit:BTC/USDT:USDT@1m', o);
    expect(b.frame.spot.close.slice(0, 200)).toEqual(a.frame.spot.close.slice(0, 200));
    const now = readFileSync(journal, 'utf8').split('\n').filter(Boolean);
    expect(now.slice(0, 200)).toEqual(kept);
    for (const line of now) expect(() => JSON.parse(line), line).not.toThrow(); // (a minute may have closed since)
  });

  it('refuses a warm-up beyond one venue page', async () => {
    const o = { clock: new ManualClock(0), seed: 1, warmup: 1000, bars: 5, venueStart: Date.now(), venueJournal: 'x' };
    await expect(openSource('ccxt:bybit:BTC/USDT:USDT@1m', o)).rejects.toThrow(
      /reads its warm-up from one page of 1000 bars; got --warmup 1000/,
    );
  });
});
