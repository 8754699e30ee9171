import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listedPredictionViews } from './board.js';
import { bookCentre, modelBooks } from './book.js';

const TICKS = [0.01, 0.001] as const;

describe('modelBooks', () => {
  it('is two-sided, on the grid and strictly inside (0, 1) for any YES mid, even at 1¢ and 99¢', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.0001, max: 0.9999, noNaN: true }),
        fc.constantFrom(...TICKS),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        (mid, tick, halfTicks) => {
          const half = halfTicks === undefined ? undefined : (halfTicks * tick) / 2;
          const books = modelBooks(mid, tick, { halfSpread: half });
          for (const side of ['YES', 'NO'] as const) {
            const b = books[side];
            expect(b.bids.length, `${side} bids at ${mid}`).toBeGreaterThan(0);
            expect(b.asks.length, `${side} asks at ${mid}`).toBeGreaterThan(0);
            expect(b.bids[0]!.price).toBeLessThan(b.asks[0]!.price);
            for (const l of [...b.bids, ...b.asks]) {
              expect(l.price).toBeGreaterThan(0);
              expect(l.price).toBeLessThan(1);
              expect(Math.abs(l.price / tick - Math.round(l.price / tick))).toBeLessThan(1e-6);
            }
          }
          // Buying NO is selling YES: the NO ask mirrors the YES bid, so a YES + NO pair never costs less than 1.
          expect(books.YES.asks[0]!.price + books.NO.asks[0]!.price).toBeGreaterThanOrEqual(1 - 1e-9);
        },
      ),
    );
  });

  it('centres a market at 1¢ on 2¢ (1¢ bid, 3¢ ask) and leaves a mid-range market where it is', () => {
    const low = modelBooks(0.01, 0.01);
    expect(low.YES.bids[0]!.price).toBe(0.01);
    expect(low.YES.asks[0]!.price).toBe(0.03);
    expect(low.NO.bids[0]!.price).toBe(0.97);
    expect(low.NO.asks[0]!.price).toBe(0.99);
    expect(bookCentre(0.01, 0.01)).toBe(0.02);
    expect(bookCentre(0.99, 0.01)).toBe(0.98);
    expect(bookCentre(0.37, 0.01)).toBe(0.37);
  });
});

describe('the synthetic board', () => {
  // Found by CI at 2026-12-02T17:17Z: SYN4988-M2 stood at 1¢, its YES book had no bid and its NO book no ask, so
  // every order on it was refused QUOTE_MISSING.
  it('lists every open market at a price its modelled book is centred on, so every open market is quoted', () => {
    const ci = Date.parse('2026-12-02T17:17:21Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 3_600_000 }), (dt) => {
        for (const v of listedPredictionViews(ci - 200 * 3_600_000 + dt).filter((m) => m.status === 'open')) {
          const b = modelBooks(v.prices.YES, v.tick_size);
          expect(
            b.YES.bids.length * b.YES.asks.length * b.NO.bids.length * b.NO.asks.length,
            v.market_id,
          ).toBeGreaterThan(0);
          expect((b.YES.bids[0]!.price + b.YES.asks[0]!.price) / 2).toBeCloseTo(v.prices.YES, 9);
        }
      }),
      { numRuns: 200 },
    );
  });
});
