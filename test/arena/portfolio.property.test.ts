import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Portfolio } from '../../src/core/arena/index.js';

const SPOT = 'BTC/USDT';
const PERP = 'BTC/USDT:USDT';

type Op =
  | { kind: 'fill'; perp: boolean; buy: boolean; qty: number; price: number; feeRate: number }
  | { kind: 'funding'; amount: number }
  | { kind: 'mark'; spot: number; perp: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('fill' as const),
    perp: fc.boolean(),
    buy: fc.boolean(),
    qty: fc.double({ min: 0.001, max: 2, noNaN: true }),
    price: fc.double({ min: 1_000, max: 100_000, noNaN: true }),
    feeRate: fc.double({ min: 0, max: 0.002, noNaN: true }),
  }),
  fc.record({ kind: fc.constant('funding' as const), amount: fc.double({ min: -50, max: 50, noNaN: true }) }),
  fc.record({
    kind: fc.constant('mark' as const),
    spot: fc.double({ min: 1_000, max: 100_000, noNaN: true }),
    perp: fc.double({ min: 1_000, max: 100_000, noNaN: true }),
  }),
);

const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, scale);

describe('arena portfolio accounting', () => {
  it('conserves value: equity is always cash plus holdings at mark, and every change is explained', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.double({ min: 100, max: 1e6, noNaN: true }), (ops, capital) => {
        const p = new Portfolio(['arena:a', 'arena:b'], { spot: SPOT, perp: PERP }, capital);
        // An independent cash ledger: money only moves between cash and positions, or leaves as fees/funding.
        let cash = capital;
        const qty = { spot: 0, perp: 0 };
        let marks = { spot: 50_000, perp: 50_000 };
        let equity = p.equity(0, marks.spot, marks.perp);
        let explained = capital;
        let fees = 0;
        let funding = 0;
        let ts = 0;
        for (const o of ops) {
          ts += 1;
          if (o.kind === 'fill') {
            const symbol = o.perp ? PERP : SPOT;
            const fee = o.qty * o.price * o.feeRate;
            p.applyFill(0, {
              symbol,
              orderId: `o${ts}`,
              side: o.buy ? 'buy' : 'sell',
              quantity: o.qty,
              price: o.price,
              fee,
              ts,
            });
            const slot = o.perp ? 'perp' : 'spot';
            const signed = o.buy ? o.qty : -o.qty;
            cash -= signed * o.price + fee;
            qty[slot] += signed;
            fees += fee;
            // A fill away from the mark moves equity by (mark − price) on what was traded, less the fee.
            explained += signed * (marks[slot] - o.price) - fee;
          } else if (o.kind === 'funding') {
            p.applyFunding(0, o.amount);
            cash -= o.amount;
            funding += o.amount;
            explained -= o.amount;
          } else {
            explained += qty.spot * (o.spot - marks.spot) + qty.perp * (o.perp - marks.perp);
            marks = { spot: o.spot, perp: o.perp };
          }
          equity = p.equity(0, marks.spot, marks.perp);
          const scale = capital + 1e6 * (Math.abs(qty.spot) + Math.abs(qty.perp));
          const holdings = cash + qty.spot * marks.spot + qty.perp * marks.perp;
          expect(close(equity, holdings, scale), `equity ${equity} vs cash + holdings ${holdings}`).toBe(true);
          expect(close(equity, explained, scale), `equity ${equity} vs explained ${explained}`).toBe(true);
          const k = 0;
          const books = capital + p.realized[k]! - p.fees[k]! - p.funding[k]!;
          const unrealized = p.qty[0]! * (marks.spot - p.entry[0]!) + p.qty[1]! * (marks.perp - p.entry[1]!);
          expect(close(equity, books + unrealized, scale)).toBe(true);
        }
        expect(close(p.fees[0]!, fees, fees)).toBe(true);
        expect(close(p.funding[0]!, funding, Math.abs(funding))).toBe(true);
        // The other agent's books never moved.
        expect(p.equity(1, marks.spot, marks.perp)).toBe(capital);
      }),
      { numRuns: 300 },
    );
  });

  it('restores exactly what it saved', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const p = new Portfolio(['arena:a'], { spot: SPOT, perp: PERP }, 10_000);
        let ts = 0;
        for (const o of ops) {
          ts += 1;
          if (o.kind === 'fill')
            p.applyFill(0, {
              symbol: o.perp ? PERP : SPOT,
              orderId: `o${ts}`,
              side: o.buy ? 'buy' : 'sell',
              quantity: o.qty,
              price: o.price,
              fee: o.qty * o.price * o.feeRate,
              ts,
            });
          if (o.kind === 'funding') p.applyFunding(0, o.amount);
        }
        const q = new Portfolio(['arena:a'], { spot: SPOT, perp: PERP }, 10_000);
        q.restore(JSON.parse(JSON.stringify(p.save())));
        expect(q.equity(0, 123, 456)).toBe(p.equity(0, 123, 456));
        expect([...q.qty, ...q.entry, q.wallet[0], q.fees[0], q.funding[0]]).toEqual([
          ...p.qty,
          ...p.entry,
          p.wallet[0],
          p.fees[0],
          p.funding[0],
        ]);
      }),
    );
  });
});
