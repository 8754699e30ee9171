import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountBalance,
  averageCost,
  type OwnFill,
  onTick,
  SHARE_STEP,
  sharesToSend,
  statusOf,
  takerFee,
} from './mapper.js';

const TICKS = [0.1, 0.01, 0.001, 0.0001] as const;

describe('Polymarket mapping: money invariants', () => {
  it('puts a limit price on the tick and never worse for the trader (buys down, sells up, within one tick)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TICKS),
        fc.double({ min: 0.0001, max: 0.9999, noNaN: true }),
        fc.constantFrom('buy' as const, 'sell' as const),
        (tick, price, side) => {
          const p = onTick(price, tick, side);
          const steps = p / tick;
          expect(Math.abs(steps - Math.round(steps)), `${p} on tick ${tick}`).toBeLessThan(1e-6);
          if (side === 'buy') expect(p).toBeLessThanOrEqual(price + 1e-9);
          else expect(p).toBeGreaterThanOrEqual(price - 1e-9);
          expect(Math.abs(p - price)).toBeLessThan(tick + 1e-9);
        },
      ),
    );
  });

  it('charges a taker fee that is never negative, at most half the base rate of the notional at 1, and the same for p and 1 − p', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 1, max: 999 }).map((n) => n / 1_000),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (bps, price, size) => {
          const fee = takerFee(bps, price, size);
          expect(fee).toBeGreaterThanOrEqual(0);
          expect(fee).toBeLessThanOrEqual((bps / 10_000) * 0.5 * size + 1e-6);
          expect(Math.abs(fee - takerFee(bps, 1 - price, size))).toBeLessThanOrEqual(2e-6);
        },
      ),
    );
  });

  it('keeps the average cost of what is held between the cheapest and dearest buy, whatever is sold', () => {
    const step = fc.record({
      buy: fc.boolean(),
      size: fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100),
      price: fc.integer({ min: 1, max: 99 }).map((n) => n / 100),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const fills: OwnFill[] = [];
        let held = 0;
        const prices: number[] = [];
        steps.forEach((s, ts) => {
          // No shorting: a sale takes at most what is held.
          const size = s.buy ? s.size : -Math.min(s.size, held);
          if (size === 0) return;
          held += size;
          if (size > 0) prices.push(s.price);
          fills.push({ size, price: s.price, ts });
        });
        const avg = averageCost(fills);
        if (held <= 1e-9) return;
        expect(avg).toBeGreaterThanOrEqual(Math.min(...prices) - 1e-9);
        expect(avg).toBeLessThanOrEqual(Math.max(...prices) + 1e-9);
      }),
    );
  });

  it.each([
    ['LIVE', 0, 10, 'open'],
    ['LIVE', 4, 10, 'partially_filled'],
    ['MATCHED', 10, 10, 'filled'],
    ['CANCELED', 0, 10, 'cancelled'],
    ['CANCELED', 3, 10, 'cancelled'],
    ['ORDER_STATUS_LIVE', 0, 10, 'open'],
    ['UNMATCHED', 0, 10, 'cancelled'],
  ] as const)('maps the CLOB status %s with %d of %d matched to %s', (status, filled, size, want) => {
    expect(statusOf(status, filled, size)).toBe(want);
  });
});

describe('Polymarket sizing and balance invariants', () => {
  it('never sends more shares than asked, nor (reduce-only) more than held, and loses at most one step', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 1e7, noNaN: true }), { nil: null }),
        (requested, held) => {
          const q = sharesToSend(requested, held);
          const cap = held === null ? requested : Math.min(requested, held);
          expect(q).toBeGreaterThanOrEqual(0);
          expect(q).toBeLessThanOrEqual(cap + 1e-9);
          expect(q).toBeGreaterThan(cap - SHARE_STEP - 1e-6);
          expect(Math.abs(q * 100 - Math.round(q * 100))).toBeLessThan(1e-6);
        },
      ),
    );
  });

  it('keeps free + used = total, free within [0, total], and equity = cash + tokens at mark', () => {
    const position = fc.record({
      qty: fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 100),
      entry: fc.integer({ min: 1, max: 99 }).map((n) => n / 100),
      mark: fc.integer({ min: 1, max: 99 }).map((n) => n / 100),
    });
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 2e7, noNaN: true }),
        fc.array(position, { maxLength: 8 }),
        (cash, reserved, ps) => {
          const positions = ps.map((p) => ({ margin: p.entry * p.qty, unrealizedPnl: (p.mark - p.entry) * p.qty }));
          const b = accountBalance(cash, reserved, positions);
          const scale = Math.max(1, b.total);
          expect(Math.abs(b.free + b.used - b.total)).toBeLessThanOrEqual(1e-9 * scale);
          expect(b.free).toBeGreaterThanOrEqual(0);
          expect(b.free).toBeLessThanOrEqual(b.total + 1e-9 * scale);
          const atMark = cash + ps.reduce((s, p) => s + p.mark * p.qty, 0);
          expect(Math.abs(b.equity - atMark)).toBeLessThanOrEqual(1e-9 * Math.max(1, atMark));
        },
      ),
    );
  });
});
