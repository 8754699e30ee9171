import { describe, expect, it } from 'vitest';
import { BTC_PERP, buy, ctx, NOW, sell } from '../../../../test/fixtures/context.js';
import { parseMandate } from '../../mandate/schema.js';
import type { Mandate } from '../../mandate/types.js';
import { evaluate } from '../engine.js';

/** A mandate as Vibe-Trading writes it (no `arbiter` block), or with an `arbiter` block added. */
function fileMandate(caps: Record<string, number>, arbiter?: Record<string, unknown>): Mandate {
  const load = parseMandate({
    schema_version: 1,
    hard_caps: {
      account_funding_usd: 1_000,
      max_order_notional_usd: 2_000,
      max_total_exposure_usd: 5_000,
      max_leverage: 2,
      allowed_instruments: ['crypto'],
      max_trades_per_day: 10,
      ...caps,
    },
    universe: {
      asset_classes: ['crypto'],
      min_market_cap_usd: null,
      min_avg_daily_volume_usd: null,
      exclude_symbols: [],
    },
    consent: {
      created_at: new Date(NOW - 86_400_000).toISOString(),
      consent_token_sha256: 'c'.repeat(64),
      broker: 'paper',
      account_ref: 'ref',
      expires_at: new Date(NOW + 86_400_000).toISOString(),
    },
    ...(arbiter ? { arbiter } : {}),
  });
  if (!load.ok) throw new Error(load.message);
  return load.mandate;
}

type Row = [name: string, intent: unknown, m: Mandate, exposure: number, decision: string, code?: string];

const VT = fileMandate({});
const ARB = fileMandate({}, {});

const rows: Row[] = [
  [
    'without an arbiter block, a buy past the funding pauses (funding 1,000, leverage 2, buy 1,500)',
    buy({ notional: 1_500 }),
    VT,
    0,
    'PAUSE_FOR_REAUTH',
    'FUNDING_CEILING_EXCEEDED',
  ],
  ['with an arbiter block, the same buy is within 2x leverage and passes', buy({ notional: 1_500 }), ARB, 0, 'ALLOW'],
  ['without an arbiter block, a buy up to the funding passes', buy({ notional: 900 }), VT, 0, 'ALLOW'],
  [
    'the funding counts existing exposure too',
    buy({ notional: 300 }),
    VT,
    800,
    'PAUSE_FOR_REAUTH',
    'FUNDING_CEILING_EXCEEDED',
  ],
  [
    'the funding ceiling is for buys: a perp short within leverage passes',
    sell({ symbol: 'BTC/USDT:USDT', notional: 1_500 }),
    VT,
    0,
    'ALLOW',
  ],
  [
    'without an arbiter block, an order over the per-order cap pauses instead of being capped',
    buy({ notional: 2_500 }),
    fileMandate({ account_funding_usd: 10_000 }),
    0,
    'PAUSE_FOR_REAUTH',
    'NOTIONAL_EXCEEDS_ORDER_CAP',
  ],
  [
    'with an arbiter block, the same order is capped',
    buy({ notional: 2_500 }),
    fileMandate({ account_funding_usd: 10_000 }, {}),
    0,
    'ALLOW_CAPPED',
    'NOTIONAL_EXCEEDS_ORDER_CAP',
  ],
  [
    'without an arbiter block, exposure past the cap pauses',
    buy({ notional: 500 }),
    fileMandate({ account_funding_usd: 10_000, max_total_exposure_usd: 1_000 }),
    800,
    'PAUSE_FOR_REAUTH',
    'EXPOSURE_EXCEEDS_CAP',
  ],
  [
    'with an arbiter block, it is capped to the headroom',
    buy({ notional: 500 }),
    fileMandate({ account_funding_usd: 10_000, max_total_exposure_usd: 1_000 }, {}),
    800,
    'ALLOW_CAPPED',
    'EXPOSURE_EXCEEDS_CAP',
  ],
  [
    'leverage past the cap pauses in both',
    buy({ notional: 500 }),
    fileMandate({ max_leverage: 1, account_funding_usd: 1_000 }, { funding_ceiling: false, allow_capping: false }),
    800,
    'PAUSE_FOR_REAUTH',
    'LEVERAGE_EXCEEDS_CAP',
  ],
  [
    'an arbiter block can opt into the funding ceiling, and capping cuts to it',
    buy({ notional: 1_500 }),
    fileMandate({}, { funding_ceiling: true }),
    0,
    'ALLOW_CAPPED',
    'FUNDING_CEILING_EXCEEDED',
  ],
];

describe('gate 10 without an arbiter block decides as Vibe-Trading does', () => {
  it.each(rows)('%s', (_, intent, m, exposure, decision, code) => {
    const instrument = (intent as { symbol: string }).symbol === 'BTC/USDT:USDT' ? BTC_PERP : undefined;
    const e = evaluate(
      intent,
      ctx({ m, account: { gross_exposure: exposure }, ...(instrument ? { instrument } : {}) }),
    );
    expect(e.decision, JSON.stringify(e.reasons)).toBe(decision);
    if (code) expect(e.reasons.map((r) => r.code)).toContain(code);
  });

  it('reads a missing arbiter block as allow_capping=false, funding_ceiling=true, and {} as Arbiter defaults', () => {
    expect([VT.arbiter.allow_capping, VT.arbiter.funding_ceiling]).toEqual([false, true]);
    expect([ARB.arbiter.allow_capping, ARB.arbiter.funding_ceiling]).toEqual([true, false]);
  });
});
