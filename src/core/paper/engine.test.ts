import { describe, expect, it } from 'vitest';
import { cryptoInstrument } from '../market/instrument-spec.js';
import { accountMetrics, createAccount } from './account.js';
import { DEFAULT_PAPER_CONFIG as CFG } from './config.js';
import { amendOrder, cancelOrder, setLeverage, setTradingStop } from './manage.js';
import { marksAt } from './market-marks.js';
import { placeOrder } from './place.js';
import { advanceAccount } from './process.js';
import { ScriptedMarket } from './scripted-market.js';
import type { EngineResult, OrderRequest, PaperAccount } from './types.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const PERP = 'BTC/USDT:USDT';
const SPOT = 'BTC/USDT';

/** Hourly bars [open, high, low, close], 6,000 base volume each (25 a book level). */
function market(
  bars: readonly (readonly [number, number, number, number])[],
  funding: { ts: number; rate: number }[] = [],
) {
  const candles = bars.map(([open, high, low, close], i) => ({
    ts: T0 + i * H,
    open,
    high,
    low,
    close,
    volume: 6_000,
  }));
  return new ScriptedMarket(
    [
      { instrument: cryptoInstrument('BTC', 'USDT', 'spot', 100), bars: candles },
      { instrument: cryptoInstrument('BTC', 'USDT', 'perp', 100), bars: candles, funding },
    ],
    H,
    T0,
  );
}

const FLAT: [number, number, number, number] = [100, 100, 100, 100];

function req(over: Partial<OrderRequest>): OrderRequest {
  return {
    clientOrderId: `c-${Math.random().toString(36).slice(2)}`,
    symbol: PERP,
    side: 'buy',
    type: 'market',
    quantity: 1,
    limitPrice: null,
    timeInForce: 'GTC',
    reduceOnly: false,
    leverage: null,
    ...over,
  };
}

function ok(r: EngineResult) {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r;
}

function errorCode(r: EngineResult) {
  return r.ok ? 'ok' : r.error.code;
}

const fresh = (cash = 10_000) => createAccount('acc', cash, T0);

describe('paper engine: taking liquidity', () => {
  it('fills a perpetual market buy at the ask and charges the 5.5 bps taker fee', () => {
    const m = market([FLAT]);
    const r = ok(placeOrder(fresh(), req({ quantity: 2 }), m, CFG));
    expect(r.order).toMatchObject({ status: 'filled', filledQuantity: 2, avgFillPrice: 100.005 });
    expect(r.account.positions[PERP]).toMatchObject({ qty: 2, entryPrice: 100.005 });
    expect(r.account.wallet).toBeCloseTo(10_000 - 2 * 100.005 * 0.00055, 9);
  });

  it('walks deeper levels for a bigger order, so the average price worsens with size', () => {
    const m = market([FLAT]);
    const small = ok(placeOrder(fresh(1e6), req({ quantity: 10 }), m, CFG)).order!;
    const big = ok(placeOrder(fresh(1e6), req({ quantity: 500 }), m, CFG)).order!;
    expect(big.avgFillPrice!).toBeGreaterThan(small.avgFillPrice!);
  });

  it('fills what the modelled depth holds and expires the rest of a huge market order', () => {
    const r = ok(placeOrder(fresh(1e7), req({ quantity: 5_000 }), market([FLAT]), CFG));
    expect(r.order!.status).toBe('expired');
    expect(r.order!.filledQuantity).toBeGreaterThan(1_000);
    expect(r.order!.filledQuantity).toBeLessThan(5_000);
  });

  it('refuses a spot buy the cash cannot pay for, and a spot sell of coins not held', () => {
    const m = market([FLAT]);
    expect(errorCode(placeOrder(fresh(100), req({ symbol: SPOT, quantity: 2 }), m, CFG))).toBe('INSUFFICIENT_BALANCE');
    expect(errorCode(placeOrder(fresh(), req({ symbol: SPOT, side: 'sell', quantity: 1 }), m, CFG))).toBe(
      'INSUFFICIENT_BALANCE',
    );
  });

  it('refuses a perpetual order whose initial margin exceeds the free balance', () => {
    const m = market([FLAT]);
    expect(errorCode(placeOrder(fresh(100), req({ quantity: 20 }), m, CFG))).toBe('INSUFFICIENT_BALANCE');
    expect(errorCode(placeOrder(fresh(100), req({ quantity: 20, leverage: 50 }), m, CFG))).toBe('ok');
  });

  it.each([
    ['a quantity of zero', { quantity: 0 }],
    ['a limit order without a price', { type: 'limit' as const }],
    ['a post-only market order', { timeInForce: 'PO' as const }],
    ['leverage above the instrument maximum', { leverage: 51 }],
    ['an unknown symbol', { symbol: 'NOPE/USDT' }],
    ['a notional below the minimum', { quantity: 0.001 }],
    ['a reduce-only order with no position', { reduceOnly: true }],
  ])('rejects %s as INVALID_ORDER', (_what, over) => {
    expect(errorCode(placeOrder(fresh(), req(over), market([FLAT]), CFG))).toBe('INVALID_ORDER');
  });

  it('closes dust off the lot grid and below the minimum with a reduce-only order for exactly the position', () => {
    const dust = 0.00041; // below the 0.001 lot and $5 minimum, as a venue's fee in base currency can leave
    for (const [symbol, qty] of [
      [PERP, -dust],
      [SPOT, dust],
    ] as const) {
      const held: PaperAccount = {
        ...fresh(),
        positions: { [symbol]: { symbol, qty, entryPrice: 100, takeProfit: null, stopLoss: null } },
      };
      const side = qty > 0 ? 'sell' : 'buy';
      const close = ok(placeOrder(held, req({ symbol, side, quantity: dust, reduceOnly: true }), market([FLAT]), CFG));
      expect(close.order).toMatchObject({ status: 'filled', quantity: dust, filledQuantity: dust });
      expect(close.account.positions[symbol], `${symbol} is flat`).toBeUndefined();
      // Anything but the whole position is still held to the lot grid and the minimum.
      const part = placeOrder(held, req({ symbol, side, quantity: dust / 2, reduceOnly: true }), market([FLAT]), CFG);
      expect(errorCode(part)).toBe('INVALID_ORDER');
    }
  });

  it('returns the existing order when the same clientOrderId is placed again, without a second fill', () => {
    const m = market([FLAT]);
    const first = ok(placeOrder(fresh(), req({ clientOrderId: 'same' }), m, CFG));
    const again = ok(placeOrder(first.account, req({ clientOrderId: 'same', quantity: 3 }), m, CFG));
    expect(again.order).toEqual(first.order);
    expect(again.account).toBe(first.account);
  });
});

describe('paper engine: time in force', () => {
  const m = market([FLAT]);
  const limit = (over: Partial<OrderRequest>) => req({ type: 'limit', ...over });

  it('rejects a post-only order that would cross, and rests one that would not', () => {
    expect(ok(placeOrder(fresh(), limit({ limitPrice: 100.01, timeInForce: 'PO' }), m, CFG)).order!.status).toBe(
      'rejected',
    );
    expect(ok(placeOrder(fresh(), limit({ limitPrice: 99.9, timeInForce: 'PO' }), m, CFG)).order!.status).toBe('open');
  });

  it('expires an IOC order that cannot fill now, and the unfilled part of one that can', () => {
    expect(ok(placeOrder(fresh(), limit({ limitPrice: 99, timeInForce: 'IOC' }), m, CFG)).order!.status).toBe(
      'expired',
    );
    const partial = ok(
      placeOrder(fresh(1e6), limit({ limitPrice: 100.005, quantity: 40, timeInForce: 'IOC' }), m, CFG),
    );
    expect(partial.order).toMatchObject({ status: 'expired', filledQuantity: 25 });
  });

  it('fills a fill-or-kill order completely or not at all', () => {
    const none = ok(placeOrder(fresh(1e6), limit({ limitPrice: 100.005, quantity: 40, timeInForce: 'FOK' }), m, CFG));
    expect(none.order).toMatchObject({ status: 'expired', filledQuantity: 0 });
    expect(none.account.positions[PERP]).toBeUndefined();
    const all = ok(placeOrder(fresh(1e6), limit({ limitPrice: 100.01, quantity: 40, timeInForce: 'FOK' }), m, CFG));
    expect(all.order).toMatchObject({ status: 'filled', filledQuantity: 40 });
  });
});

describe('paper engine: resting orders and the price path', () => {
  it('fills a resting buy limit as maker at its price when the bar path dips through it', () => {
    const m = market([FLAT, [100, 101, 98, 100.5], FLAT]);
    const placed = ok(placeOrder(fresh(), req({ type: 'limit', limitPrice: 99, quantity: 2 }), m, CFG));
    expect(placed.order!.status).toBe('open');
    m.setTime(T0 + H);
    expect(advanceAccount(placed.account, m, CFG).account.orders[0]!.status).toBe('open');
    m.setTime(T0 + 2 * H);
    const { account, events } = advanceAccount(placed.account, m, CFG);
    expect(account.orders[0]).toMatchObject({ status: 'filled', avgFillPrice: 99 });
    expect(account.orders[0]!.fills[0]).toMatchObject({ liquidity: 'maker', fee: 2 * 99 * 0.0002 });
    expect(events).toHaveLength(1);
  });

  it('changes nothing when the same time is processed twice', () => {
    const m = market([FLAT, [100, 101, 98, 100.5], FLAT]);
    const placed = ok(placeOrder(fresh(), req({ type: 'limit', limitPrice: 99 }), m, CFG));
    m.setTime(T0 + 2 * H);
    const once = advanceAccount(placed.account, m, CFG);
    const twice = advanceAccount(once.account, m, CFG);
    expect(twice.account).toBe(once.account);
    expect(twice.events).toEqual([]);
  });

  it('closes a long at its stop-loss when the path falls through it, and clears the stop', () => {
    const m = market([FLAT, [100, 100.5, 95, 99], FLAT]);
    let acc = ok(placeOrder(fresh(), req({ quantity: 5 }), m, CFG)).account;
    acc = ok(setTradingStop(acc, PERP, { stopLoss: 97, takeProfit: 110 }, m)).account;
    m.setTime(T0 + 2 * H);
    const { account } = advanceAccount(acc, m, CFG);
    expect(account.positions[PERP]).toBeUndefined();
    const stop = account.orders.find((o) => o.source === 'stop_loss')!;
    expect(stop.avgFillPrice!).toBeLessThan(97);
    expect(stop.avgFillPrice!).toBeGreaterThan(96.9);
  });

  it('takes profit on a short when the path falls to the target', () => {
    const m = market([FLAT, [100, 100.5, 95, 99], FLAT]);
    let acc = ok(placeOrder(fresh(), req({ side: 'sell', quantity: 5 }), m, CFG)).account;
    acc = ok(setTradingStop(acc, PERP, { takeProfit: 96 }, m)).account;
    m.setTime(T0 + 2 * H);
    const { account } = advanceAccount(acc, m, CFG);
    expect(account.positions[PERP]).toBeUndefined();
    expect(account.totals.realizedPnl).toBeGreaterThan(5 * 3.9);
  });

  it('refuses a stop on the wrong side of the mark, or for a position that does not exist', () => {
    const m = market([FLAT]);
    const acc = ok(placeOrder(fresh(), req({ quantity: 1 }), m, CFG)).account;
    expect(errorCode(setTradingStop(acc, PERP, { stopLoss: 101 }, m))).toBe('INVALID_ORDER');
    expect(errorCode(setTradingStop(acc, SPOT, { stopLoss: 90 }, m))).toBe('INVALID_ORDER');
  });

  it('never lets a resting reduce-only order flip the position: it fills what is left, then is cancelled', () => {
    const m = market([FLAT, [100, 102, 99.5, 101.5], FLAT]);
    let acc = ok(placeOrder(fresh(), req({ quantity: 2 }), m, CFG)).account;
    acc = ok(
      placeOrder(acc, req({ side: 'sell', type: 'limit', limitPrice: 101, quantity: 5, reduceOnly: true }), m, CFG),
    ).account;
    m.setTime(T0 + 2 * H);
    const { account } = advanceAccount(acc, m, CFG);
    expect(account.positions[PERP]).toBeUndefined();
    expect(account.orders[1]).toMatchObject({ filledQuantity: 2, status: 'cancelled' });
  });
});

describe('paper engine: funding and liquidation', () => {
  it('charges a long qty · mark · rate at each 8-hour mark and credits a short', () => {
    const bars = Array.from({ length: 10 }, () => FLAT);
    const m = market(bars, [{ ts: T0 + 8 * H, rate: 0.0001 }]);
    const long = ok(placeOrder(fresh(), req({ quantity: 10 }), m, CFG)).account;
    const short = ok(placeOrder(fresh(), req({ side: 'sell', quantity: 10 }), m, CFG)).account;
    m.setTime(T0 + 9 * H);
    expect(advanceAccount(long, m, CFG).account.totals.funding).toBeCloseTo(0.1, 12);
    expect(advanceAccount(short, m, CFG).account.totals.funding).toBeCloseTo(-0.1, 12);
  });

  it('liquidates every perpetual position at mark when equity falls below maintenance', () => {
    const m = market([FLAT, [100, 100, 96, 97], FLAT]);
    let acc = ok(placeOrder(fresh(1_000), req({ quantity: 400, leverage: 50 }), m, CFG)).account;
    acc = ok(placeOrder(acc, req({ type: 'limit', limitPrice: 90, quantity: 1 }), m, CFG)).account;
    m.setTime(T0 + 2 * H);
    const { account, events } = advanceAccount(acc, m, CFG);
    expect(events.some((e) => e.kind === 'liquidation')).toBe(true);
    expect(account.positions[PERP]).toBeUndefined();
    expect(account.orders.find((o) => o.limitPrice === 90)!.status).toBe('cancelled');
    const liq = account.orders.find((o) => o.source === 'liquidation')!;
    expect(liq.avgFillPrice!).toBeGreaterThan(97.5);
    expect(account.wallet).toBeGreaterThanOrEqual(0);
  });
});

describe('paper engine: managing orders', () => {
  const m = market([FLAT]);
  const resting = (): PaperAccount =>
    ok(placeOrder(fresh(), req({ type: 'limit', limitPrice: 99, quantity: 2 }), m, CFG)).account;

  it('cancels an open order, then refuses to cancel it again or an unknown one', () => {
    const acc = resting();
    const id = acc.orders[0]!.orderId;
    const r = ok(cancelOrder(acc, id, m));
    expect(r.order!.status).toBe('cancelled');
    expect(errorCode(cancelOrder(r.account, id, m))).toBe('INVALID_ORDER');
    expect(errorCode(cancelOrder(acc, 'nope', m))).toBe('ORDER_NOT_FOUND');
  });

  it('amends price and quantity, and executes at once when the new price crosses', () => {
    const acc = resting();
    const id = acc.orders[0]!.orderId;
    expect(ok(amendOrder(acc, id, { limitPrice: 98.5, quantity: 3 }, m, CFG)).order).toMatchObject({
      limitPrice: 98.5,
      quantity: 3,
    });
    expect(ok(amendOrder(acc, id, { limitPrice: 100.01 }, m, CFG)).order!.status).toBe('filled');
  });

  it('holds margin for resting orders and releases it on cancel', () => {
    const acc = resting();
    const before = accountMetrics(acc, marksAt(m, T0), (s) => m.instrumentOf(s), CFG);
    expect(before.orderReserve).toBeCloseTo((2 * 99) / 10, 9);
    const after = ok(cancelOrder(acc, acc.orders[0]!.orderId, m)).account;
    expect(accountMetrics(after, marksAt(m, T0), (s) => m.instrumentOf(s), CFG).orderReserve).toBe(0);
  });

  it('sets leverage within the instrument maximum and refuses more', () => {
    expect(ok(setLeverage(fresh(), PERP, 25, m, CFG)).account.leverage[PERP]).toBe(25);
    expect(errorCode(setLeverage(fresh(), PERP, 60, m, CFG))).toBe('INVALID_ORDER');
    expect(errorCode(setLeverage(fresh(), SPOT, 2, m, CFG))).toBe('INVALID_ORDER');
  });
});
