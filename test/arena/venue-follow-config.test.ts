import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/market-data/manual-clock.js';
import { openSource, venueStartNow } from '../../src/app/arena/sources.js';

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
