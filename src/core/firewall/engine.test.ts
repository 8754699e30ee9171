import { describe, expect, it } from 'vitest';
import { BTC_PERP, buy, ctx, mandate, NOW, sell } from '../../../test/fixtures/context.js';
import { evaluate, GATE_ORDER } from './engine.js';
import type { EvaluationContext } from './types.js';

type Row = [name: string, intent: unknown, context: EvaluationContext, decision: string, code?: string];

const pos = (qty: number) => ({ position: { qty, avg_price: 60_000, pending_reduce_qty: 0 } });

const table: Row[] = [
  ['allows a $50 market buy', buy(), ctx(), 'ALLOW'],
  // gate 1: mandate
  [
    'rejects when the mandate is missing',
    buy(),
    ctx({ mandate: { ok: false, code: 'MANDATE_MISSING', message: 'MANDATE_MISSING' } }),
    'REJECT',
    'MANDATE_MISSING',
  ],
  [
    'rejects when the mandate is invalid',
    buy(),
    ctx({ mandate: { ok: false, code: 'MANDATE_INVALID', message: 'MANDATE_INVALID: hard_caps.max_leverage' } }),
    'REJECT',
    'MANDATE_INVALID',
  ],
  [
    'pauses for re-authorisation when consent has expired',
    buy(),
    ctx({ m: mandate((m) => ({ ...m, consent: { ...m.consent, expires_at: '2026-05-31T00:00:00Z' } })) }),
    'PAUSE_FOR_REAUTH',
    'MANDATE_EXPIRED',
  ],
  // gate 2: halts
  ['rejects a buy while globally halted', buy(), ctx({ halts: { global: true } }), 'REJECT', 'HALTED_GLOBAL'],
  ['rejects a buy while the venue is halted', buy(), ctx({ halts: { venue: true } }), 'REJECT', 'HALTED_VENUE'],
  ['rejects a buy while the agent is halted', buy(), ctx({ halts: { agent: true } }), 'REJECT', 'HALTED_AGENT'],
  [
    'lets a genuine reduction through a halt',
    sell({ quantity: 0.001 }),
    ctx({ halts: { global: true }, account: pos(0.002) }),
    'ALLOW',
  ],
  // gate 3: intent
  ['rejects NaN', buy({ notional: Number.NaN }), ctx(), 'REJECT', 'INTENT_MALFORMED'],
  ['rejects a numeric string', buy({ notional: '50' }), ctx(), 'REJECT', 'INTENT_MALFORMED'],
  ['rejects an unknown side', buy({ side: 'short' }), ctx(), 'REJECT', 'INTENT_MALFORMED'],
  [
    'rejects a market order with a limit price',
    buy({ type: 'market', limit_price: 60_000 }),
    ctx(),
    'REJECT',
    'INTENT_MALFORMED',
  ],
  // gate 4: reference price
  ['rejects with no quote', buy(), ctx({ quote: null }), 'REJECT', 'QUOTE_MISSING'],
  [
    'rejects a stale quote',
    buy(),
    ctx({ quote: { symbol: 'BTC/USDT', bid: 60_000, ask: 60_010, ts: NOW - 10_000 } }),
    'REJECT',
    'QUOTE_STALE',
  ],
  [
    'rejects a crossed book',
    buy(),
    ctx({ quote: { symbol: 'BTC/USDT', bid: 60_020, ask: 60_010, ts: NOW } }),
    'REJECT',
    'QUOTE_CROSSED',
  ],
  [
    'rejects a locked book',
    buy(),
    ctx({ quote: { symbol: 'BTC/USDT', bid: 60_010, ask: 60_010, ts: NOW } }),
    'REJECT',
    'QUOTE_LOCKED',
  ],
  [
    'rejects a zero price',
    buy(),
    ctx({ quote: { symbol: 'BTC/USDT', bid: 0, ask: 60_010, ts: NOW } }),
    'REJECT',
    'QUOTE_INVALID',
  ],
  ['rejects an unknown instrument', buy(), ctx({ instrument: null }), 'REJECT', 'INSTRUMENT_UNKNOWN'],
  ['rejects an order below the venue minimum', buy({ notional: 1 }), ctx(), 'REJECT', 'ORDER_BELOW_MINIMUM'],
  // gate 5: universe
  [
    'rejects an excluded base asset',
    buy(),
    ctx({ m: mandate((m) => ({ ...m, universe: { ...m.universe, exclude_symbols: ['btc'] } })) }),
    'REJECT',
    'SYMBOL_EXCLUDED',
  ],
  [
    'rejects a perpetual under a spot-only mandate',
    buy({ symbol: 'BTC/USDT:USDT' }),
    ctx({ instrument: BTC_PERP, m: mandate((m) => ({ ...m, arbiter: { ...m.arbiter, market_kinds: ['spot'] } })) }),
    'REJECT',
    'INSTRUMENT_NOT_ALLOWED',
  ],
  [
    'rejects a symbol outside the allow-list',
    buy(),
    ctx({ m: mandate((m) => ({ ...m, arbiter: { ...m.arbiter, allow_symbols: ['ETH/USDT'] } })) }),
    'REJECT',
    'SYMBOL_NOT_ALLOWED',
  ],
  [
    'rejects when a liquidity floor is set but volume is unknown',
    buy(),
    ctx({ m: mandate((m) => ({ ...m, universe: { ...m.universe, min_avg_daily_volume_usd: 1e6 } })) }),
    'REJECT',
    'UNIVERSE_DATA_MISSING',
  ],
  // gate 6: collar
  [
    'rejects a limit price 12% away from the quote',
    buy({ notional: undefined, quantity: 0.001, limit_price: 67_200 }),
    ctx(),
    'REJECT',
    'PRICE_OUTSIDE_COLLAR',
  ],
  ['allows a limit price 2% away', buy({ notional: undefined, quantity: 0.001, limit_price: 58_800 }), ctx(), 'ALLOW'],
  // gate 7 and 8
  [
    'rejects the same content inside the duplicate window',
    buy(),
    ctx({ recent_duplicate: true }),
    'REJECT',
    'DUPLICATE_ORDER',
  ],
  [
    'rejects the sixth order in one second',
    buy(),
    ctx({ throttle: { last_second: 5, last_minute: 5 } }),
    'REJECT',
    'THROTTLE_PER_SECOND',
  ],
  [
    'rejects past the per-minute throttle',
    buy(),
    ctx({ throttle: { last_second: 0, last_minute: 60 } }),
    'REJECT',
    'THROTTLE_PER_MINUTE',
  ],
  // gate 9
  [
    'caps an oversize order to the per-order cap',
    buy({ notional: 5_000 }),
    ctx(),
    'ALLOW_CAPPED',
    'NOTIONAL_EXCEEDS_ORDER_CAP',
  ],
  [
    'pauses an oversize order when capping is off',
    buy({ notional: 5_000 }),
    ctx({ m: mandate((m) => ({ ...m, arbiter: { ...m.arbiter, allow_capping: false } })) }),
    'PAUSE_FOR_REAUTH',
    'NOTIONAL_EXCEEDS_ORDER_CAP',
  ],
  // gate 10
  [
    'caps an order to the exposure headroom',
    buy({ notional: 400 }),
    ctx({ account: { gross_exposure: 2_300 } }),
    'ALLOW_CAPPED',
    'EXPOSURE_EXCEEDS_CAP',
  ],
  [
    'pauses when no exposure headroom is left',
    buy({ notional: 400 }),
    ctx({ account: { gross_exposure: 2_500 } }),
    'PAUSE_FOR_REAUTH',
    'EXPOSURE_EXCEEDS_CAP',
  ],
  [
    'never blocks a genuine reduction at full exposure',
    sell({ quantity: 0.001 }),
    ctx({ account: { gross_exposure: 2_500, ...pos(0.04) } }),
    'ALLOW',
  ],
  [
    'rejects reduce_only that would open a position',
    sell({ quantity: 0.001, reduce_only: true, symbol: 'BTC/USDT:USDT' }),
    ctx({ instrument: BTC_PERP }),
    'REJECT',
    'REDUCE_ONLY_NOT_REDUCING',
  ],
  [
    'rejects a spot sell beyond the holding',
    sell({ quantity: 0.01 }),
    ctx({ account: pos(0.005) }),
    'REJECT',
    'INSUFFICIENT_POSITION',
  ],
  [
    'rejects requested leverage above the mandate',
    buy({ symbol: 'BTC/USDT:USDT', leverage: 5 }),
    ctx({ instrument: BTC_PERP }),
    'REJECT',
    'LEVERAGE_EXCEEDS_CAP',
  ],
  // gate 11-13
  [
    'pauses at the daily trade count',
    buy(),
    ctx({ account: { daily_count: 50 } }),
    'PAUSE_FOR_REAUTH',
    'DAILY_TRADE_LIMIT',
  ],
  ['rejects a buy past the daily loss limit', buy(), ctx({ account: { equity: 9_400 } }), 'REJECT', 'DAILY_LOSS_LIMIT'],
  [
    'rejects a buy past the drawdown limit',
    buy(),
    ctx({ account: { equity: 8_400, day_start_equity: 8_400, peak_equity: 10_000 } }),
    'REJECT',
    'DRAWDOWN_LIMIT',
  ],
  ['rejects a buy in a crash', buy(), ctx({ market: { window_high: 66_000 } }), 'REJECT', 'CRASH_BREAKER'],
  [
    'lets a reduction through a crash',
    sell({ quantity: 0.001 }),
    ctx({ market: { window_high: 66_000 }, account: pos(0.002) }),
    'ALLOW',
  ],
  [
    'keeps the breaker tripped until the price recovers by half',
    buy(),
    ctx({ market: { window_high: 63_000, breaker_tripped: true } }),
    'REJECT',
    'CRASH_BREAKER',
  ],
  [
    'clears a tripped breaker after recovery',
    buy(),
    ctx({ market: { window_high: 61_000, breaker_tripped: true } }),
    'ALLOW',
  ],
  // gate 14
  [
    'holds an order above the approval threshold for a human',
    buy({ notional: 300 }),
    ctx({ m: mandate((m) => ({ ...m, arbiter: { ...m.arbiter, approval_threshold_usd: 200 } })) }),
    'PENDING_APPROVAL',
    'APPROVAL_REQUIRED',
  ],
  [
    'holds every live order when approve_all_live is set',
    buy(),
    ctx({ live: true, m: mandate((m) => ({ ...m, arbiter: { ...m.arbiter, approve_all_live: true } })) }),
    'PENDING_APPROVAL',
    'APPROVAL_REQUIRED',
  ],
];

describe('evaluate: one row per gate outcome', () => {
  it.each(table)('%s', (_name, intent, context, decision, code) => {
    const e = evaluate(intent, context);
    expect(e.decision, e.reasons.map((r) => r.message).join(' | ')).toBe(decision);
    if (code) expect(e.reasons.map((r) => r.code)).toContain(code);
    else expect(e.reasons).toEqual([]);
    expect(e.gates.length, 'every gate reports an outcome').toBe(GATE_ORDER.length);
  });
});

describe('evaluate: sizing', () => {
  it('enforces the larger notional when quantity and notional are both given', () => {
    const e = evaluate(buy({ notional: 50, quantity: 0.005 }), ctx());
    expect(e.requested?.notional).toBeCloseTo(0.005 * 60_010, 6);
  });

  it('sizes a limit order at the worse of quote and limit price', () => {
    const e = evaluate(buy({ notional: undefined, quantity: 0.001, limit_price: 61_000 }), ctx());
    expect(e.effective?.price).toBe(61_000);
  });

  it('rounds quantity down to the step so the capped notional never exceeds the cap', () => {
    const e = evaluate(buy({ notional: 5_000 }), ctx());
    expect(e.effective!.notional).toBeLessThanOrEqual(500);
    expect(Number.isInteger(Math.round(e.effective!.quantity / 0.00001))).toBe(true);
  });

  it('names the failing field in the message', () => {
    const e = evaluate(buy({ notional: -3 }), ctx());
    expect(e.reasons[0]?.message).toContain('field=notional');
  });

  it('turns anything thrown inside evaluation into a REJECT INTERNAL_ERROR', () => {
    const hostile = {
      get symbol(): string {
        throw new Error('boom');
      },
    };
    const e = evaluate(hostile, ctx());
    expect(e.decision).toBe('REJECT');
    expect(e.reasons[0]?.code).toBe('INTERNAL_ERROR');
  });

  it('reports a fresh crash so the store can trip the fleet breaker', () => {
    expect(evaluate(buy(), ctx({ market: { window_high: 66_000 } })).breaker_tripped).toBe(true);
  });
});
