import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ctx, mandate, NOW } from '../../../../test/fixtures/context.js';
import { buildPayload } from '../../cert/certificate.js';
import { rederive } from '../../cert/verify.js';
import type { PredictionLimits } from '../../mandate/types.js';
import { outcomeInstrument } from '../../prediction/types.js';
import { evaluate } from '../engine.js';
import type { EvaluationContext, PredictionContext } from '../types.js';

const SYMBOL = 'FED-CUT-DEC-YES/USDC';
const TOKEN = outcomeInstrument('FED-CUT-DEC', 'YES');
const MARKET: PredictionContext = {
  market_id: 'FED-CUT-DEC',
  outcome: 'YES',
  status: 'open',
  resolves_at: NOW + 7 * 86_400_000,
  liquidity_usd: 5_000,
  cost_basis_market: 0,
  cost_basis_total: 0,
};

/** A mandate that admits outcome tokens, with the given prediction limits (none: undefined). */
function pm(limits?: PredictionLimits, extra: Parameters<typeof ctx>[0] = {}, capping = true): EvaluationContext {
  const m = mandate((m0) => ({
    ...m0,
    hard_caps: { ...m0.hard_caps, allowed_instruments: [...m0.hard_caps.allowed_instruments, 'prediction'] },
    universe: { ...m0.universe, asset_classes: [...m0.universe.asset_classes, 'prediction'] },
    arbiter: {
      ...m0.arbiter,
      allow_capping: capping,
      market_kinds: ['spot', 'perp', 'prediction'],
      ...(limits ? { prediction: limits } : {}),
    },
  }));
  return ctx({
    m,
    instrument: TOKEN,
    quote: { symbol: SYMBOL, bid: 0.41, ask: 0.43, ts: NOW - 100 },
    prediction: MARKET,
    ...extra,
  });
}

const buyYes = (extra: Record<string, unknown> = {}) => ({ symbol: SYMBOL, side: 'buy', notional: 20, ...extra });
const holding = (qty: number) => ({
  account: { position: { qty, avg_price: 0.4, pending_reduce_qty: 0 } },
});

type Row = [name: string, intent: unknown, context: EvaluationContext, decision: string, code?: string];

const table: Row[] = [
  ['buys YES shares on an open market within every limit', buyYes(), pm({ min_liquidity_usd: 1_000 }), 'ALLOW'],
  [
    'refuses an outcome token when the mandate does not admit prediction markets',
    buyYes(),
    ctx({ instrument: TOKEN, quote: { symbol: SYMBOL, bid: 0.41, ask: 0.43, ts: NOW - 100 }, prediction: MARKET }),
    'REJECT',
    'INSTRUMENT_NOT_ALLOWED',
  ],
  [
    'refuses when the venue gave no market state for an outcome token',
    buyYes(),
    { ...pm(), prediction: undefined } as EvaluationContext,
    'REJECT',
    'PREDICTION_DATA_MISSING',
  ],
  [
    'refuses any order on a resolved market, a sale included',
    { symbol: SYMBOL, side: 'sell', quantity: 10 },
    pm(undefined, { prediction: { ...MARKET, status: 'resolved' }, ...holding(50) }),
    'REJECT',
    'PREDICTION_MARKET_RESOLVED',
  ],
  [
    'refuses an order on a closed market',
    buyYes(),
    pm(undefined, { prediction: { ...MARKET, status: 'closed' } }),
    'REJECT',
    'PREDICTION_MARKET_CLOSED',
  ],
  [
    'refuses an order once the resolution time has passed, even if the venue still says open',
    buyYes(),
    pm(undefined, { prediction: { ...MARKET, resolves_at: NOW } }),
    'REJECT',
    'PREDICTION_MARKET_CLOSED',
  ],
  [
    'refuses a limit price of 1 (an outcome token is worth strictly less)',
    buyYes({ type: 'limit', limit_price: 1 }),
    pm(),
    'REJECT',
    'PREDICTION_PRICE_OUT_OF_RANGE',
  ],
  [
    'refuses a quote at or above 1',
    buyYes(),
    pm(undefined, { quote: { symbol: SYMBOL, bid: 0.99, ask: 1.01, ts: NOW - 100 } }),
    'REJECT',
    'PREDICTION_PRICE_OUT_OF_RANGE',
  ],
  [
    'refuses a limit 6 cents from the mid under a 5-cent collar',
    buyYes({ type: 'limit', limit_price: 0.48 }),
    pm({ collar_cents: 5 }),
    'REJECT',
    'PRICE_OUTSIDE_COLLAR',
  ],
  [
    'passes a limit 4 cents from the mid under a 5-cent collar',
    buyYes({ type: 'limit', limit_price: 0.46 }),
    pm({ collar_cents: 5 }),
    'ALLOW',
  ],
  [
    'refuses a thin book below the minimum liquidity',
    buyYes(),
    pm({ min_liquidity_usd: 10_000 }),
    'REJECT',
    'PREDICTION_LIQUIDITY_TOO_LOW',
  ],
  [
    'refuses a new position too close to resolution',
    buyYes(),
    pm({ min_minutes_to_resolution: 60 }, { prediction: { ...MARKET, resolves_at: NOW + 30 * 60_000 } }),
    'REJECT',
    'PREDICTION_RESOLUTION_TOO_SOON',
  ],
  [
    'lets a holder sell out close to resolution',
    { symbol: SYMBOL, side: 'sell', quantity: 10 },
    pm(
      { min_minutes_to_resolution: 60, min_liquidity_usd: 10_000 },
      {
        prediction: { ...MARKET, resolves_at: NOW + 30 * 60_000 },
        ...holding(50),
      },
    ),
    'ALLOW',
  ],
  [
    'refuses to sell shares not held (no shorting)',
    { symbol: SYMBOL, side: 'sell', quantity: 10 },
    pm(),
    'REJECT',
    'INSUFFICIENT_POSITION',
  ],
  [
    'caps a buy at the per-market cost basis',
    buyYes({ notional: 60 }),
    pm(
      { max_cost_basis_per_market_usd: 100 },
      { prediction: { ...MARKET, cost_basis_market: 70, cost_basis_total: 70 } },
    ),
    'ALLOW_CAPPED',
    'PREDICTION_COST_BASIS_EXCEEDS_CAP',
  ],
  [
    'pauses over the total cost basis when capping is off',
    buyYes({ notional: 60 }),
    pm({ max_cost_basis_total_usd: 500 }, { prediction: { ...MARKET, cost_basis_total: 480 } }, false),
    'PAUSE_FOR_REAUTH',
    'PREDICTION_COST_BASIS_EXCEEDS_CAP',
  ],
];

describe('prediction-market gates', () => {
  it.each(table)('%s', (_name, intent, context, decision, code) => {
    const e = evaluate(intent, context);
    expect(e.decision, JSON.stringify(e.reasons)).toBe(decision);
    if (code) expect(e.reasons.map((r) => r.code)).toContain(code);
  });

  it('names what was wrong and what is accepted', () => {
    const e = evaluate(buyYes({ type: 'limit', limit_price: 1.2 }), pm());
    expect(e.reasons[0]?.message).toBe('PREDICTION_PRICE_OUT_OF_RANGE: limit_price=1.2 accepted=(0,1)');
  });

  it('judges a BTC order exactly as before when the mandate has prediction limits', () => {
    const limits = { collar_cents: 1, max_cost_basis_total_usd: 1, min_liquidity_usd: 1e9 };
    const plain = ctx();
    const withLimits = ctx({ m: mandate((m) => ({ ...m, arbiter: { ...m.arbiter, prediction: limits } })) });
    for (const intent of [
      { symbol: 'BTC/USDT', side: 'buy', notional: 50 },
      { symbol: 'BTC/USDT', side: 'buy', notional: 50, type: 'limit', limit_price: 60_100 },
    ]) {
      expect(evaluate(intent, withLimits)).toEqual(evaluate(intent, plain));
    }
  });
});

describe('prediction cost-basis property', () => {
  it('never allows a buy that takes cost basis past either cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 0, max: 1_500 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 50, max: 1_000 }),
        fc.integer({ min: 100, max: 3_000 }),
        fc.integer({ min: 2, max: 98 }),
        (notional, inMarket, elsewhere, perMarket, total, cents) => {
          const price = cents / 100;
          const context = pm(
            { max_cost_basis_per_market_usd: perMarket, max_cost_basis_total_usd: total },
            {
              quote: { symbol: SYMBOL, bid: price - 0.01, ask: price, ts: NOW - 100 },
              prediction: { ...MARKET, cost_basis_market: inMarket, cost_basis_total: inMarket + elsewhere },
            },
          );
          const e = evaluate(buyYes({ notional }), context);
          if (e.decision !== 'ALLOW' && e.decision !== 'ALLOW_CAPPED') return;
          const paid = e.effective!.notional;
          expect(inMarket + paid).toBeLessThanOrEqual(perMarket + 1e-9);
          expect(inMarket + elsewhere + paid).toBeLessThanOrEqual(total + 1e-9);
        },
      ),
    );
  });
});

describe('prediction inputs bound in the certificate', () => {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const certify = (raw: unknown, c: EvaluationContext) =>
    buildPayload({ id: 'vdt_pm', keyId: 'k', raw, ctx: c, evaluation: evaluate(raw, c) }, sha);

  it('re-derives a prediction verdict from the certificate alone', () => {
    const c = pm({ max_cost_basis_per_market_usd: 100 }, { prediction: { ...MARKET, cost_basis_market: 90 } });
    const p = certify(buyYes({ notional: 60 }), c);
    expect(p.decision).toBe('ALLOW_CAPPED');
    expect(p.context.prediction).toEqual({ ...MARKET, cost_basis_market: 90 });
    expect(rederive(p)).toEqual({ same: true, detail: expect.any(String) });
  });

  it('fails re-derivation when the bound market state is changed', () => {
    const p = certify(buyYes(), pm());
    const forged = { ...p, context: { ...p.context, prediction: { ...MARKET, status: 'resolved' as const } } };
    expect(rederive(forged).same).toBe(false);
  });
});

describe('prediction safety properties', () => {
  const statusArb = fc.constantFrom<PredictionContext['status']>('open', 'closed', 'resolved');
  it('never allows an order on a market that is not open, or past its resolution time', () => {
    fc.assert(
      fc.property(
        statusArb,
        fc.integer({ min: -600, max: 600 }),
        fc.constantFrom('buy', 'sell'),
        fc.integer({ min: 1, max: 100 }),
        (status, minutesLeft, side, qty) => {
          const e = evaluate(
            { symbol: SYMBOL, side, quantity: qty },
            pm(undefined, {
              prediction: { ...MARKET, status, resolves_at: NOW + minutesLeft * 60_000 },
              ...holding(200),
            }),
          );
          const tradable = status === 'open' && minutesLeft > 0;
          if (!tradable) expect(e.decision).toBe('REJECT');
        },
      ),
    );
  });

  it('never allows an outcome-token order whose quote or limit is outside (0, 1)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.5, max: 1.5, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.option(fc.double({ min: -0.5, max: 1.5, noNaN: true }), { nil: undefined }),
        (bid, spread, limit) => {
          const ask = bid + spread;
          const intent = limit === undefined ? buyYes() : buyYes({ type: 'limit', limit_price: limit });
          const e = evaluate(intent, pm(undefined, { quote: { symbol: SYMBOL, bid, ask, ts: NOW - 100 } }));
          const inside = (v: number) => v > 0 && v < 1;
          if (e.decision === 'ALLOW' || e.decision === 'ALLOW_CAPPED') {
            expect(inside(bid) && inside(ask)).toBe(true);
            if (limit !== undefined) expect(inside(limit)).toBe(true);
          }
        },
      ),
    );
  });
});
