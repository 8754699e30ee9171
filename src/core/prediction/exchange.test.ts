import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PredictionExchange, PredictionOrderError } from './exchange.js';
import type { Outcome, PredictionMarket } from './types.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const MKT: PredictionMarket = {
  id: 'RAIN-TOMORROW',
  question: 'Will it rain tomorrow?',
  resolvesAt: T0 + 86_400_000,
  resolutionSource: 'national weather service',
  status: 'open',
  outcome: null,
  tickSize: 0.01,
};

function venue(mid = 0.4, cash = 10_000) {
  const x = new PredictionExchange({ feeRate: 0.02, book: { depth: 100, levels: 5 } });
  x.list(MKT, mid);
  x.deposit('a', cash);
  return x;
}

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof PredictionOrderError ? e.code : String(e);
  }
  return 'none';
};

describe('PredictionExchange', () => {
  it('fills a buy of YES at the ask and charges the fee on min(p, 1 − p)', () => {
    const x = venue(0.4);
    const f = x.place('a', { marketId: MKT.id, outcome: 'YES', side: 'buy', quantity: 50 }, T0);
    expect(f.status).toBe('filled');
    expect(f.avgPrice).toBeCloseTo(0.41, 10);
    expect(f.fee).toBeCloseTo(0.02 * 0.41 * 50, 10);
    expect(x.balance('a')).toBeCloseTo(10_000 - 50 * 0.41 - f.fee, 10);
    expect(x.positions('a')).toEqual([{ marketId: MKT.id, outcome: 'YES', qty: 50, costBasis: 50 * 0.41 }]);
  });

  it('fills partially when the limit leaves too little of the book, and cancels the rest', () => {
    const x = venue(0.4);
    const f = x.place('a', { marketId: MKT.id, outcome: 'NO', side: 'buy', quantity: 500, limitPrice: 0.62 }, T0);
    // NO asks mirror YES bids 0.39, 0.38 → 0.61 (100 shares), 0.62 (200 shares).
    expect(f.status).toBe('partially_filled');
    expect(f.filledQty).toBe(300);
    expect(f.value).toBeCloseTo(100 * 0.61 + 200 * 0.62, 10);
  });

  it('refuses to sell shares it does not hold (no shorting)', () => {
    const x = venue();
    expect(code(() => x.place('a', { marketId: MKT.id, outcome: 'YES', side: 'sell', quantity: 1 }, T0))).toBe(
      'INSUFFICIENT_HOLDING',
    );
  });

  it('refuses trading once the resolution time has passed, and after resolution', () => {
    const x = venue();
    const o = { marketId: MKT.id, outcome: 'YES' as const, side: 'buy' as const, quantity: 1 };
    expect(code(() => x.place('a', o, MKT.resolvesAt))).toBe('MARKET_NOT_OPEN');
    x.resolve(MKT.id, 'NO');
    expect(code(() => x.place('a', o, T0))).toBe('MARKET_NOT_OPEN');
    expect(code(() => x.resolve(MKT.id, 'YES'))).toBe('MARKET_NOT_OPEN');
  });

  it('refuses a buy the account cannot pay for', () => {
    const x = venue(0.5, 10);
    expect(code(() => x.place('a', { marketId: MKT.id, outcome: 'YES', side: 'buy', quantity: 100 }, T0))).toBe(
      'INSUFFICIENT_FUNDS',
    );
    expect(x.balance('a')).toBe(10);
  });
});

type Step = { outcome: Outcome; side: 'buy' | 'sell'; qty: number; mid: number };
const step = fc.record({
  outcome: fc.constantFrom<Outcome>('YES', 'NO'),
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  qty: fc.integer({ min: 1, max: 400 }),
  mid: fc.integer({ min: 3, max: 97 }).map((c) => c / 100),
});

describe('PredictionExchange properties', () => {
  it('a YES and a NO share together are worth exactly 1 at settlement, whichever way it resolves', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 98 }),
        fc.integer({ min: 1, max: 100 }),
        fc.constantFrom<Outcome>('YES', 'NO'),
        (c, n, won) => {
          const x = venue(c / 100, 1_000_000);
          x.place('a', { marketId: MKT.id, outcome: 'YES', side: 'buy', quantity: n }, T0);
          x.place('a', { marketId: MKT.id, outcome: 'NO', side: 'buy', quantity: n }, T0);
          // n is within the best level of each book, so both legs fill whole: n complete pairs.
          expect(x.positions('a').map((p) => p.qty)).toEqual([n, n]);
          const before = x.balance('a');
          const paid = x.resolve(MKT.id, won).get('a');
          expect(paid).toBe(n);
          expect(x.balance('a') - before).toBeCloseTo(n, 9);
          expect(x.positions('a')).toEqual([]);
        },
      ),
    );
  });

  it('settlement conserves value: final cash = deposit − buys + sells − fees + winning shares', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), fc.constantFrom<Outcome>('YES', 'NO'), (steps, won) => {
        const x = venue(0.5, 100_000);
        let flows = 100_000;
        const held = { YES: 0, NO: 0 };
        for (const s of steps as Step[]) {
          x.setPrice(MKT.id, s.mid);
          const qty = s.side === 'sell' ? Math.min(s.qty, held[s.outcome]) : s.qty;
          if (qty <= 0) continue;
          const f = x.place('a', { marketId: MKT.id, outcome: s.outcome, side: s.side, quantity: qty }, T0);
          flows += s.side === 'buy' ? -f.value - f.fee : f.value - f.fee;
          held[s.outcome] += s.side === 'buy' ? f.filledQty : -f.filledQty;
          expect(held[s.outcome]).toBeGreaterThanOrEqual(-1e-9);
        }
        x.resolve(MKT.id, won);
        expect(x.balance('a')).toBeCloseTo(flows + held[won], 6);
      }),
    );
  });

  it('every modelled book level lies strictly inside (0, 1) and YES ask + NO bid = 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), (c) => {
        const x = venue(c / 100);
        const yes = x.book(MKT.id, 'YES');
        const no = x.book(MKT.id, 'NO');
        for (const l of [...yes.bids, ...yes.asks, ...no.bids, ...no.asks])
          expect(l.price > 0 && l.price < 1).toBe(true);
        for (const [i, l] of yes.asks.entries()) expect(l.price + no.bids[i]!.price).toBeCloseTo(1, 12);
      }),
    );
  });
});
