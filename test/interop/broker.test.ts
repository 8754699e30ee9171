import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { loadSettings, SettingsError } from '../../src/app/settings.js';
import { cli, tempHome } from '../support/cli.js';
import { python } from './support/python.js';

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe('any broker key is a runtime-root folder, whatever venue adapter executes', () => {
  it('a Vibe-Trading mandate at live/robinhood/ is traded on the paper exchange with ARBITER_BROKER=robinhood', () => {
    const home = tempHome('arbiter-interop-broker-');
    homes.push(home);
    python('vibe_trading.py', [home, 'commit-mandate', 'robinhood'], {
      hard_caps: {
        account_funding_usd: 10_000.0,
        max_order_notional_usd: 500.0,
        max_total_exposure_usd: 5_000.0,
        max_leverage: 1.0,
        allowed_instruments: ['crypto', 'equity'],
        max_trades_per_day: 5,
      },
      universe: {
        asset_classes: ['crypto', 'us_equity'],
        min_market_cap_usd: null,
        min_avg_daily_volume_usd: null,
        exclude_symbols: [],
      },
    });
    const args = ['vet', '--execute', '--agent', 'alice', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '50'];
    const r = cli(home, args, { ARBITER_BROKER: 'robinhood' });
    expect(r.err, 'no ccxt exchange id is needed for a broker key').not.toContain('unknown ccxt exchange id');
    expect(JSON.parse(r.out).decision, r.out + r.err).toBe('ALLOW');
    expect(r.err, 'the paper exchange executed it').toContain('"order"');
    expect(python('vibe_trading.py', [home, 'read-count', 'robinhood']), 'counted under live/robinhood/').toBe(1);
    const audit = readFileSync(new RuntimeLayout(home).audit(), 'utf8').trim().split('\n');
    expect(JSON.parse(audit.at(-1)!).server).toBe('robinhood');
    const flag = cli(home, [...args.slice(0, 3), 'bob', ...args.slice(4), '--broker', 'robinhood']);
    expect(JSON.parse(flag.out).decision, '--broker does the same for one command').toBe('ALLOW');
  });

  it('a broker key that cannot be a folder name is refused at start-up, naming the setting and the rule', () => {
    expect(() => loadSettings({ ARBITER_BROKER: '../etc' })).toThrow(SettingsError);
    expect(() => loadSettings({ ARBITER_BROKER: '../etc' })).toThrow(/ARBITER_BROKER .* must match/);
    expect(loadSettings({ ARBITER_BROKER: ' Robinhood ' }).broker).toBe('robinhood');
    expect(loadSettings({ ARBITER_VENUE: 'bybit' }).broker, 'the broker defaults to the venue').toBe('bybit');
  });
});
