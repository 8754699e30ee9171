import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cryptoInstrument } from '../market/instrument-spec.js';
import { roundToStep } from '../market/precision.js';
import { accountMetrics, createAccount } from './account.js';
import { DEFAULT_PAPER_CONFIG as CFG } from './config.js';
import { amendOrder, cancelOrder, setLeverage, setTradingStop } from './manage.js';
import { marksAt } from './market-marks.js';
import { placeOrder } from './place.js';
import { advanceAccount } from './process.js';
import { ScriptedMarket } from './scripted-market.js';
import type { EngineResult, PaperAccount, PaperEvent } from './types.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const BARS = 30;
const SYMBOLS = ['BTC/USDT', 'BTC/USDT:USDT', 'ETH/USDT:USDT'] as const;

const barsArb = fc.array(
  fc.tuple(
    fc.double({ min: -0.08, max: 0.08, noNaN: true }),
    fc.double({ min: 0, max: 0.03, noNaN: true }),
    fc.double({ min: 0, max: 0.03, noNaN: true }),
  ),
  { minLength: BARS, maxLength: BARS },
);

function makeMarket(
  btc: readonly [number, number, number][],
  eth: readonly [number, number, number][],
  rates: readonly number[],
) {
  const series = (moves: readonly [number, number, number][], start: number) => {
    let close = start;
    return moves.map(([r, up, down], i) => {
      const open = close;
      close = roundToStep(Math.max(1, open * (1 + r)), 0.001);
      const high = roundToStep(Math.max(open, close) * (1 + up), 0.001);
      const low = roundToStep(Math.min(open, close) * (1 - down), 0.001);
      return { ts: T0 + i * H, open, high, low, close, volume: 3_000 };
    });
  };
  const funding = rates.map((rate, i) => ({ ts: T0 + (i + 1) * 8 * H, rate }));
  const b = series(btc, 100);
  return new ScriptedMarket(
    [
      { instrument: cryptoInstrument('BTC', 'USDT', 'spot', 100), bars: b },
      { instrument: cryptoInstrument('BTC', 'USDT', 'perp', 100), bars: b, funding },
      { instrument: cryptoInstrument('ETH', 'USDT', 'perp', 100), bars: series(eth, 50), funding },
    ],
    H,
    T0,
  );
}

const action = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      symbol: fc.constantFrom(...SYMBOLS),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      type: fc.constantFrom('market' as const, 'limit' as const),
      quantity: fc.double({ min: 0.05, max: 200, noNaN: true }),
      offset: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
      tif: fc.constantFrom('GTC' as const, 'IOC' as const, 'FOK' as const, 'PO' as const),
      reduceOnly: fc.boolean(),
      leverage: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3 * H }) }),
  },
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('amend' as const),
    pick: fc.nat(),
    offset: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant('stops' as const),
    symbol: fc.constantFrom(...SYMBOLS),
    tp: fc.double({ min: 0.001, max: 0.1, noNaN: true }),
    sl: fc.double({ min: 0.001, max: 0.1, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant('leverage' as const),
    symbol: fc.constantFrom(...SYMBOLS),
    leverage: fc.integer({ min: 1, max: 50 }),
  }),
);

type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

function run(m: ScriptedMarket, actions: readonly Action[]) {
  let acc: PaperAccount = createAccount('p', 1_000, T0);
  const events: PaperEvent[] = [];
  let now = T0;
  const take = (r: EngineResult) => {
    if (!r.ok) return;
    acc = r.account;
    events.push(...r.events);
  };
  const working = () => acc.orders.filter((o) => o.status === 'open' || o.status === 'partially_filled');
  for (const a of actions) {
    const mark = (s: string) => marksAt(m, now)(s) ?? 100;
    if (a.kind === 'advance') {
      now = Math.min(T0 + BARS * H - 1, now + a.ms);
      m.setTime(now);
      const r = advanceAccount(acc, m, CFG);
      acc = r.account;
      events.push(...r.events);
    } else if (a.kind === 'place') {
      const limitPrice = a.type === 'limit' ? mark(a.symbol) * (1 + a.offset) : null;
      const req = {
        clientOrderId: `c${acc.seq}`,
        symbol: a.symbol,
        side: a.side,
        type: a.type,
        quantity: a.quantity,
        limitPrice,
        timeInForce: a.type === 'market' && a.tif === 'PO' ? ('GTC' as const) : a.tif,
        reduceOnly: a.reduceOnly,
        leverage: a.symbol.endsWith(':USDT') ? a.leverage : null,
      };
      take(placeOrder(acc, req, m, CFG));
    } else if (a.kind === 'cancel' || a.kind === 'amend') {
      const o = working()[a.pick % Math.max(1, working().length)];
      if (!o) continue;
      take(
        a.kind === 'cancel'
          ? cancelOrder(acc, o.orderId, m)
          : amendOrder(acc, o.orderId, { limitPrice: mark(o.symbol) * (1 + a.offset) }, m, CFG),
      );
    } else if (a.kind === 'stops') {
      const p = acc.positions[a.symbol];
      if (!p) continue;
      const dir = p.qty > 0 ? 1 : -1;
      take(
        setTradingStop(
          acc,
          a.symbol,
          { takeProfit: mark(a.symbol) * (1 + dir * a.tp), stopLoss: mark(a.symbol) * (1 - dir * a.sl) },
          m,
        ),
      );
    } else {
      take(setLeverage(acc, a.symbol, a.leverage, m, CFG));
    }
  }
  return { acc, events, now };
}

describe('paper engine: value conservation', () => {
  it('equity always equals starting cash plus trade cash flows, minus fees and funding, plus holdings at mark', () => {
    fc.assert(
      fc.property(
        barsArb,
        barsArb,
        fc.array(fc.double({ min: -0.003, max: 0.003, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(action, { minLength: 10, maxLength: 80 }),
        (btc, eth, rates, actions) => {
          const m = makeMarket(btc, eth, rates);
          const { acc, events, now } = run(m, actions);
          const marks = marksAt(m, now);
          let flows = 0;
          let fees = 0;
          let funding = 0;
          let realized = 0;
          let scale = 1_000;
          for (const e of events) {
            if (e.kind === 'fill') {
              flows += (e.side === 'buy' ? -1 : 1) * e.quantity * e.price;
              fees += e.fee;
              realized += e.realizedPnl;
              scale += e.quantity * e.price;
              expect(e.fee).toBeGreaterThanOrEqual(0);
            } else if (e.kind === 'funding') funding += e.amount;
          }
          const holdings = Object.values(acc.positions).reduce((s, p) => s + p.qty * (marks(p.symbol) ?? 0), 0);
          const equity = accountMetrics(acc, marks, (s) => m.instrumentOf(s), CFG).equity;
          const tol = 1e-9 * scale;
          expect(Math.abs(equity - (1_000 + flows - fees - funding + holdings)), 'equity vs cash flows').toBeLessThan(
            tol,
          );
          expect(Math.abs(acc.wallet - (1_000 + realized - fees - funding)), 'wallet vs events').toBeLessThan(tol);
          expect(Math.abs(acc.totals.fees - fees)).toBeLessThan(tol);
          expect(Math.abs(acc.totals.funding - funding)).toBeLessThan(tol);
          expect(acc.positions['BTC/USDT']?.qty ?? 0, 'spot never goes short').toBeGreaterThanOrEqual(0);
          for (const o of acc.orders) {
            const filled = o.fills.reduce((s, f) => s + f.quantity, 0);
            expect(Math.abs(filled - o.filledQuantity)).toBeLessThan(1e-9 * (1 + o.quantity));
            expect(o.filledQuantity).toBeLessThanOrEqual(o.quantity + 1e-9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('liquidates leveraged perpetuals before the wallet goes negative when prices move without gaps', () => {
    const perpAction = fc.oneof(
      fc.record({
        kind: fc.constant('place' as const),
        symbol: fc.constantFrom('BTC/USDT:USDT' as const, 'ETH/USDT:USDT' as const),
        side: fc.constantFrom('buy' as const, 'sell' as const),
        type: fc.constant('market' as const),
        quantity: fc.double({ min: 1, max: 400, noNaN: true }),
        offset: fc.constant(0),
        tif: fc.constant('GTC' as const),
        reduceOnly: fc.constant(false),
        leverage: fc.constant(50),
      }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3 * H }) }),
    );
    let liquidations = 0;
    fc.assert(
      fc.property(barsArb, barsArb, fc.array(perpAction, { minLength: 5, maxLength: 40 }), (btc, eth, actions) => {
        const { acc, events } = run(makeMarket(btc, eth, [0, 0, 0, 0]), actions);
        liquidations += events.filter((e) => e.kind === 'liquidation').length;
        expect(acc.wallet).toBeGreaterThanOrEqual(-1e-6);
      }),
      { numRuns: 200 },
    );
    expect(liquidations, 'the property should exercise liquidations').toBeGreaterThan(10);
  });
});
