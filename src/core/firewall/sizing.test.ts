import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTC_SPOT, ctx, NOW } from '../../../test/fixtures/context.js';
import type { Instrument } from '../market/types.js';
import { evaluate } from './engine.js';
import { quantityWithin } from './gates/sizing.js';
import type { EvaluationContext } from './types.js';

const ETH: Instrument = { ...BTC_SPOT, symbol: 'ETH/USDT', base: 'ETH', stepSize: 0.0001, minQty: 0.0001 };
const ETH_PERP: Instrument = { ...ETH, symbol: 'ETH/USDT:USDT', kind: 'perp', maxLeverage: 50 };
const ethQuote = (symbol = 'ETH/USDT') => ({ symbol, bid: 711.25, ask: 711.47, ts: NOW - 100 });

function eth(inst: Instrument, position = 0, pendingReduce = 0): EvaluationContext {
  return ctx({
    instrument: inst,
    quote: ethQuote(inst.symbol),
    account: { position: { qty: position, avg_price: 700, pending_reduce_qty: pendingReduce } },
  });
}

/** Quantities as an agent writes them on a 0.0001 grid: k ten-thousandths, read from text. */
const onGrid = fc.integer({ min: 1, max: 7_000 }).map((k) => Number(`${k}e-4`));
const positive = fc.double({ min: 1e-9, max: 0.7, noNaN: true });

describe('order sizing on the step grid', () => {
  it('keeps a quantity already on the grid: 0.29 ETH is 0.29, not 0.2899', () => {
    const e = evaluate({ symbol: 'ETH/USDT', side: 'buy', quantity: 0.29 }, eth(ETH));
    expect(e.decision).toBe('ALLOW');
    expect(e.effective?.quantity).toBe(0.29);
  });

  it('never shrinks an on-grid quantity that passes every cap (property)', () => {
    fc.assert(
      fc.property(onGrid, fc.boolean(), (q, limit) => {
        const intent = { symbol: 'ETH/USDT', side: 'buy', quantity: q, ...(limit ? { limit_price: 711.5 } : {}) };
        const e = evaluate(intent, eth(ETH));
        if (e.decision !== 'ALLOW') return; // refused or capped by a cap: not what this property is about
        expect(e.effective?.quantity, `quantity ${q} was rounded to ${e.effective?.quantity}`).toBe(q);
      }),
      { numRuns: 5_000 },
    );
  });

  it('finds the largest grid quantity within a notional, and keeps one whose notional is exactly that (property)', () => {
    const price = fc.double({ min: 0.01, max: 100_000, noNaN: true });
    fc.assert(
      fc.property(onGrid, price, positive, (q, p, t) => {
        expect(quantityWithin(q * p, p, 0.0001, q), `${q} at ${p}`).toBe(q);
        const notional = q * p * (1 + t);
        const got = quantityWithin(notional, p, 0.0001);
        expect(got * p <= notional, `${got} at ${p} exceeds ${notional}`).toBe(true);
        const next = Number(((got + 0.0001) * 1e4).toFixed(0)) / 1e4;
        expect(next * p > notional, `${next} at ${p} would also fit within ${notional}`).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('a reduction to flat', () => {
  it('ends for any price, subnormal ones included, with a finite quantity that fits (property)', () => {
    const anyPositive = fc.double({ min: Number.MIN_VALUE, max: 1e308, noNaN: true });
    fc.assert(
      fc.property(anyPositive, anyPositive, fc.constantFrom(1, 0.001, 0.0001, 1e-8), (notional, price, step) => {
        const q = quantityWithin(notional, price, step);
        expect(Number.isFinite(q) && q >= 0).toBe(true);
        if (q > 0) expect(q * price).toBeLessThanOrEqual(notional);
      }),
    );
    // The inputs that hung it: an unbounded quantity, and one where a step down is the same double.
    expect(quantityWithin(20, 2e-323, 1)).toBe(0);
    expect(quantityWithin(1e300, 1e-20, 0.001)).toBe(0);
  });

  it('refuses a limit buy whose price is a subnormal number, instead of hanging the firewall', () => {
    const e = evaluate(
      { symbol: 'ETH/USDT', side: 'buy', type: 'limit', limit_price: 1e-320, notional: 100 },
      eth(ETH),
    );
    expect(e.decision).not.toMatch(/^ALLOW/);
  });

  it('closes a position of dust below every venue minimum, exactly (property)', () => {
    fc.assert(
      fc.property(positive, fc.boolean(), fc.constantFrom(ETH, ETH_PERP), (held, long, inst) => {
        if (inst.kind === 'spot' && !long) return; // spot cannot be short
        const position = long ? held : -held;
        const intent = { symbol: inst.symbol, side: long ? 'sell' : 'buy', quantity: held, reduce_only: true };
        const e = evaluate(intent, eth(inst, position));
        expect(e.decision, `closing ${position} ${inst.symbol}: ${e.reasons.map((r) => r.message)}`).toBe('ALLOW');
        expect(e.effective?.quantity, 'the whole position, not rounded to the step').toBe(held);
      }),
      { numRuns: 5_000 },
    );
  });

  it('is the whole position only: a partial, unflagged or already-reducing order keeps the minimums', () => {
    const dust = 0.0030000000000000027; // 0.3 − 0.297 on a float: about $2, below the $5 minimum
    const close = { symbol: 'ETH/USDT', side: 'sell', quantity: dust, reduce_only: true };
    expect(evaluate(close, eth(ETH, dust)).effective?.quantity).toBe(dust);
    const cases: [string, Record<string, unknown>, EvaluationContext][] = [
      ['not flagged reduce-only', { ...close, reduce_only: false }, eth(ETH, dust)],
      ['less than the position', { ...close, quantity: 0.002 }, eth(ETH, dust)],
      ['with another order already reducing it', close, eth(ETH, dust, 0.001)],
    ];
    for (const [why, intent, c] of cases) {
      const e = evaluate(intent, c);
      expect(e.decision, why).toBe('REJECT');
      expect(
        e.reasons.map((r) => r.code),
        why,
      ).toContainEqual(expect.stringMatching(/ORDER_BELOW_MINIMUM|REDUCE_ONLY_NOT_REDUCING/));
    }
  });
});
