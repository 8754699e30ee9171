import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTC_SPOT, ctx, mandate, NOW } from '../../../test/fixtures/context.js';
import { evaluate } from './engine.js';
import type { EvaluationContext } from './types.js';

const PASSING = new Set(['ALLOW', 'ALLOW_CAPPED']);

const arbContext = fc
  .record({
    orderCap: fc.double({ min: 10, max: 10_000, noNaN: true }),
    exposureCap: fc.double({ min: 10, max: 50_000, noNaN: true }),
    leverage: fc.double({ min: 0.1, max: 5, noNaN: true }),
    exposure: fc.double({ min: 0, max: 60_000, noNaN: true }),
    position: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
    bid: fc.double({ min: 100, max: 100_000, noNaN: true }),
    spreadBps: fc.double({ min: 0.1, max: 50, noNaN: true }),
    capping: fc.boolean(),
    halted: fc.boolean(),
  })
  .map((r): EvaluationContext => {
    const m = mandate((x) => ({
      ...x,
      hard_caps: {
        ...x.hard_caps,
        max_order_notional_usd: r.orderCap,
        max_total_exposure_usd: r.exposureCap,
        max_leverage: r.leverage,
      },
      arbiter: { ...x.arbiter, allow_capping: r.capping },
    }));
    return ctx({
      m,
      quote: { symbol: 'BTC/USDT', bid: r.bid, ask: r.bid * (1 + r.spreadBps / 10_000), ts: NOW },
      instrument: BTC_SPOT,
      account: { gross_exposure: r.exposure, position: { qty: r.position, avg_price: r.bid, pending_reduce_qty: 0 } },
      halts: { global: r.halted },
    });
  });

const arbIntent = fc.record(
  {
    symbol: fc.constant('BTC/USDT'),
    side: fc.constantFrom('buy', 'sell'),
    quantity: fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
    notional: fc.double({ min: 1e-3, max: 1e9, noNaN: true }),
    reduce_only: fc.boolean(),
  },
  { requiredKeys: ['symbol', 'side'] },
);

describe('firewall invariants (property-based)', () => {
  it('never lets an ALLOW or ALLOW_CAPPED exceed a cap or the request', () => {
    fc.assert(
      fc.property(arbIntent, arbContext, (intent, c) => {
        const e = evaluate(intent, c);
        if (!PASSING.has(e.decision) || e.reduces) return;
        const m = c.mandate.ok ? c.mandate.mandate : null;
        const caps = m!.hard_caps;
        const eff = e.effective!;
        expect(eff.notional).toBeLessThanOrEqual(caps.max_order_notional_usd);
        expect(c.account.gross_exposure + eff.notional).toBeLessThanOrEqual(
          Math.min(caps.max_total_exposure_usd, caps.max_leverage * caps.account_funding_usd) + 1e-9,
        );
        expect(eff.notional).toBeLessThanOrEqual(e.requested!.notional + 1e-9);
        expect(eff.quantity).toBeLessThanOrEqual(e.requested!.quantity);
      }),
      { numRuns: 2_000 },
    );
  });

  it('lets nothing that adds exposure through a halt', () => {
    fc.assert(
      fc.property(arbIntent, arbContext, (intent, c) => {
        const halted = { ...c, halts: { global: true, venue: false, agent: false } };
        const e = evaluate(intent, halted);
        if (PASSING.has(e.decision)) expect(e.reduces).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never refuses a smaller order by a size gate that passed a larger one', () => {
    const SIZE_CODES = new Set(['NOTIONAL_EXCEEDS_ORDER_CAP', 'EXPOSURE_EXCEEDS_CAP', 'LEVERAGE_EXCEEDS_CAP']);
    fc.assert(
      fc.property(
        arbContext,
        fc.double({ min: 10, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (c, big, frac) => {
          const flat = { ...c, halts: { global: false, venue: false, agent: false } };
          const large = evaluate({ symbol: 'BTC/USDT', side: 'buy', notional: big }, flat);
          const small = evaluate({ symbol: 'BTC/USDT', side: 'buy', notional: big * frac }, flat);
          const sizeFailed = (e: typeof large) =>
            e.gates.some((g) => g.status === 'fail' && g.code !== undefined && SIZE_CODES.has(g.code));
          if (!sizeFailed(large)) expect(sizeFailed(small)).toBe(false);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('never crashes on random input and always decides', () => {
    fc.assert(
      fc.property(fc.anything(), arbContext, (raw, c) => {
        const e = evaluate(raw, c);
        expect(['ALLOW', 'ALLOW_CAPPED', 'REJECT', 'PAUSE_FOR_REAUTH', 'PENDING_APPROVAL']).toContain(e.decision);
      }),
      { numRuns: 3_000 },
    );
  });

  it('never crashes on random bytes as the intent', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        const text = new TextDecoder().decode(bytes);
        let raw: unknown = text;
        try {
          raw = JSON.parse(text);
        } catch {
          // keep the text
        }
        expect(evaluate(raw, ctx()).decision).toBe('REJECT');
      }),
      { numRuns: 2_000 },
    );
  });
});
