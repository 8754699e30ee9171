import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/core/firewall/engine.js';
import { parseMandate } from '../../src/core/mandate/schema.js';
import { BTC_PERP, ctx } from '../fixtures/context.js';
import { cli, tempHome } from '../support/cli.js';
import { python } from './support/python.js';

interface Scenario {
  funding: number;
  orderCap: number;
  exposureCap: number;
  leverage: number;
  maxTrades: number;
  dailyCount: number;
  otherExposure: number;
  side: 'buy' | 'sell';
  notional: number;
}

const hardCaps = (s: Scenario) => ({
  account_funding_usd: s.funding,
  max_order_notional_usd: s.orderCap,
  max_total_exposure_usd: s.exposureCap,
  max_leverage: s.leverage,
  allowed_instruments: ['crypto'],
  max_trades_per_day: s.maxTrades,
});
const universe = {
  asset_classes: ['crypto'],
  min_market_cap_usd: null,
  min_avg_daily_volume_usd: null,
  exclude_symbols: [],
};

/** Arbiter's decision on the scenario with a Vibe-Trading mandate (no `arbiter` block): allow / deny / pause. */
function arbiterDecides(s: Scenario): string {
  const load = parseMandate({
    schema_version: 1,
    hard_caps: hardCaps(s),
    universe,
    consent: {
      created_at: '2026-05-01T00:00:00Z',
      consent_token_sha256: 'c'.repeat(64),
      broker: 'paper',
      account_ref: 'ref',
      expires_at: '2027-01-01T00:00:00Z',
    },
  });
  if (!load.ok) throw new Error(load.message);
  const e = evaluate(
    { symbol: BTC_PERP.symbol, side: s.side, notional: s.notional },
    ctx({
      m: load.mandate,
      instrument: { ...BTC_PERP, maxLeverage: 100 },
      account: {
        gross_exposure: s.otherExposure,
        daily_count: s.dailyCount,
        equity: s.funding,
        peak_equity: s.funding,
        day_start_equity: s.funding,
      },
    }),
  );
  return e.decision === 'ALLOW' ? 'allow' : e.decision === 'PAUSE_FOR_REAUTH' ? 'pause_for_reauth' : e.decision;
}

/** Amounts on a coarse grid far from each other, so no comparison sits on a floating-point boundary. */
const money = (min: number, max: number) => fc.integer({ min: min / 10, max: max / 10 }).map((n) => n * 10 + 0.5);
const scenario: fc.Arbitrary<Scenario> = fc.record({
  funding: money(500, 8_000),
  orderCap: money(100, 20_000),
  exposureCap: money(500, 60_000),
  leverage: fc.constantFrom(1, 1.5, 2, 3, 5),
  maxTrades: fc.integer({ min: 1, max: 10 }),
  dailyCount: fc.integer({ min: 0, max: 6 }),
  otherExposure: fc.constantFrom(0, 0, 250, 1_000, 4_000),
  side: fc.constantFrom('buy' as const, 'sell' as const),
  notional: money(50, 12_000),
});

describe('without an arbiter block, Arbiter decides as Vibe-Trading gate does wherever that gate decides', () => {
  it('agrees with Vibe-Trading check_mandate (a Python process) on every generated order: allow, pause or deny', () => {
    const cases = fc.sample(scenario, { numRuns: 1_500, seed: 7 });
    const vt = python<({ decision: string; limit: string } | null)[]>(
      'vibe_trading.py',
      ['/nonexistent', 'check'],
      cases.map((s) => ({
        mandate: { hard_caps: hardCaps(s), universe },
        intent: { symbol: 'BTC-USDT', side: s.side, notional_usd: s.notional, instrument_type: 'crypto' },
        positions: s.otherExposure > 0 ? [{ symbol: 'ETH-USDT', market_value: s.otherExposure }] : [],
        daily_count: s.dailyCount,
      })),
    );
    const disagreements = cases
      .map((s, i) => ({ s, vt: vt[i]?.decision ?? 'allow', vtLimit: vt[i]?.limit, arbiter: arbiterDecides(s) }))
      .filter((d) => d.vt !== d.arbiter);
    expect(disagreements.slice(0, 5), 'each order must get the same kind of answer from both programs').toEqual([]);
    const paused = vt.filter((v) => v?.limit === 'account_funding_usd').length;
    expect(paused, 'the sample must exercise the funding ceiling').toBeGreaterThan(20);
  });
});

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe('the funding ceiling from outside: funding 1,000, leverage 2, buy 1,500', () => {
  it('Vibe-Trading pauses; so does Arbiter through the CLI, and verify --rederive agrees with the signed pause', () => {
    const home = tempHome('arbiter-interop-gates-');
    homes.push(home);
    const caps = {
      account_funding_usd: 1_000.0,
      max_order_notional_usd: 2_000.0,
      max_total_exposure_usd: 5_000.0,
      max_leverage: 2.0,
      allowed_instruments: ['crypto'],
      max_trades_per_day: 10,
    };
    python('vibe_trading.py', [home, 'commit-mandate', 'paper'], { hard_caps: caps, universe });
    const vt = python<{ decision: string; limit: string }>('vibe_trading.py', [home, 'order', 'paper'], {
      symbol: 'BTC-USDT',
      side: 'buy',
      notional_usd: 1_500,
      instrument_type: 'crypto',
    });
    expect(vt).toMatchObject({ decision: 'pause_for_reauth', limit: 'account_funding_usd' });

    const r = cli(home, ['vet', '--agent', 'alice', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '1500']);
    const v = JSON.parse(r.out) as { decision: string; reasons: string[] };
    expect(v.decision, r.out).toBe('PAUSE_FOR_REAUTH');
    expect(v.reasons).toEqual(['FUNDING_CEILING_EXCEEDED']);
    expect(r.code).toBe(4);
    const saved = join(home, 'v.json');
    writeFileSync(saved, r.out);
    const verified = cli(home, ['verify', saved, '--rederive']);
    expect(verified.code, `${verified.out}${verified.err}`).toBe(0);
  });
});
