import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from './settings.js';

const base = { ARBITER_HOME: '/tmp/arbiter-settings-test' };

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadSettings({ ...base, ...env });
  } catch (e) {
    if (e instanceof SettingsError) return e.problems;
    throw e;
  }
  return [];
}

describe('settings', () => {
  it('ARBITER_PAPER_LATENCY_MS: 0 unless set, an integer from 0 to 60000 otherwise', () => {
    expect(loadSettings(base).paperLatencyMs).toBe(0);
    expect(loadSettings({ ...base, ARBITER_PAPER_LATENCY_MS: '40' }).paperLatencyMs).toBe(40);
    for (const bad of ['-1', '60001', '1.5', 'fast'])
      expect(problems({ ARBITER_PAPER_LATENCY_MS: bad })).toEqual([
        `ARBITER_PAPER_LATENCY_MS must be an integer from 0 to 60000; got ${JSON.stringify(bad)}`,
      ]);
  });

  it('reports every problem at once, an unknown ARBITER_ variable among them', () => {
    const p = problems({ ARBITER_PAPER_LATENCY: '5', ARBITER_MODE: 'yolo' });
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/^ARBITER_PAPER_LATENCY is not a known setting \(known: .*ARBITER_PAPER_LATENCY_MS/);
    expect(p[1]).toBe('ARBITER_MODE must be readonly, paper (or its other name, shadow) or live; got yolo');
  });

  it('accepts shadow, the prediction-market name for paper trading, as paper', () => {
    expect(loadSettings({ ...base, ARBITER_MODE: 'shadow' }).mode).toBe('paper');
    expect(loadSettings(base, { mode: 'shadow' as 'paper' }).mode).toBe('paper');
  });

  it('ARBITER_CLOCK_OFFSET_MS: 0 unless set, a signed integer of at most ten years, refused in live mode', () => {
    expect(loadSettings(base).clockOffsetMs).toBe(0);
    expect(loadSettings({ ...base, ARBITER_CLOCK_OFFSET_MS: '-3600000' }).clockOffsetMs).toBe(-3_600_000);
    expect(loadSettings({ ...base, ARBITER_MODE: 'shadow', ARBITER_CLOCK_OFFSET_MS: '720000000' }).clockOffsetMs).toBe(
      720_000_000,
    );
    for (const bad of ['1.5', 'soon', '315576000001', '', '1e6'])
      expect(problems({ ARBITER_CLOCK_OFFSET_MS: bad })).toEqual([
        `ARBITER_CLOCK_OFFSET_MS must be an integer number of milliseconds from -315576000000 to 315576000000 (about ten years); got ${JSON.stringify(bad)}`,
      ]);
    const live = { ARBITER_MODE: 'live', ARBITER_VENUE: 'bybit', ARBITER_VENUE_MODE: 'live' };
    expect(problems(live)).toEqual([]);
    expect(problems({ ...live, ARBITER_CLOCK_OFFSET_MS: '1000' })).toEqual([
      'ARBITER_CLOCK_OFFSET_MS is for paper and read-only simulations: live mode runs on the real clock (unset it)',
    ]);
  });
});

describe('Polymarket settings', () => {
  const COND = `0x${'ab'.repeat(32)}`;
  const pm = (extra: Record<string, string>) =>
    loadSettings({ ARBITER_VENUE: 'polymarket', ARBITER_HOME: '/tmp/arbiter-pm-settings', ...extra });

  it('reads the market id → condition id map and accepts the wallet variables', () => {
    const s = pm({
      ARBITER_POLYMARKET_MARKETS: `FED-CUT=${COND}, BTC-150K=${COND.replace('ab', 'cd')}`,
      ARBITER_VENUE_URL: 'http://127.0.0.1:9',
      ARBITER_POLYMARKET_PRIVATE_KEY: `0x${'11'.repeat(32)}`,
      ARBITER_POLYMARKET_FUNDER: `0x${'22'.repeat(20)}`,
      ARBITER_POLYMARKET_SIGNATURE_TYPE: '1',
    });
    expect(s.polymarketMarkets).toEqual({ 'FED-CUT': COND, 'BTC-150K': COND.replace('ab', 'cd') });
  });

  it('names every problem at once: no markets, a bad entry, no public testnet', () => {
    expect(() => pm({})).toThrow(/ARBITER_VENUE=polymarket needs ARBITER_POLYMARKET_MARKETS/);
    expect(() => pm({ ARBITER_POLYMARKET_MARKETS: 'FED-CUT=0x12', ARBITER_VENUE_URL: 'http://127.0.0.1:9' })).toThrow(
      /entry "FED-CUT=0x12" must be MARKET-ID=0x<64 hex condition id>/,
    );
    expect(() => pm({ ARBITER_POLYMARKET_MARKETS: `FED-CUT=${COND}` })).toThrow(/no public testnet CLOB/);
    expect(() => pm({ ARBITER_POLYMARKET_MARKETS: `FED-CUT=${COND}`, ARBITER_MODE: 'live' })).toThrow(
      /ARBITER_MODE=live trades real money only with ARBITER_VENUE_MODE=live/,
    );
  });
});
