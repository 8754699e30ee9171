import { describe, expect, it } from 'vitest';
import { toInstrument, toQuote, toVenueOrder, toVenuePosition } from './mapper.js';
import { type CcxtMarket, CcxtOrderSchema, parseEach } from './schemas.js';

const okxSwap: CcxtMarket = {
  id: 'BTC-USDT-SWAP',
  symbol: 'BTC/USDT:USDT',
  base: 'BTC',
  quote: 'USDT',
  settle: 'USDT',
  type: 'swap',
  spot: false,
  swap: true,
  linear: true,
  active: true,
  contractSize: 0.01,
  precision: { amount: 0.1, price: 0.1 },
  limits: { amount: { min: 0.1 }, cost: { min: null }, leverage: { max: 100 } },
};

const order = {
  id: '42',
  clientOrderId: 'c-1',
  symbol: 'BTC/USDT:USDT',
  side: 'buy',
  type: 'limit',
  amount: 2,
  filled: 1,
  average: 60_000,
  price: 60_000,
  status: 'open',
  reduceOnly: false,
  timestamp: 1_000,
  lastUpdateTimestamp: 2_000,
  fee: { cost: 0.12 },
  info: {},
};

describe('ccxt mapper', () => {
  it('converts contract sizes to base units for instruments', () => {
    expect(toInstrument(okxSwap)).toMatchObject({ kind: 'perp', tickSize: 0.1, minNotional: 0, maxLeverage: 100 });
    expect(toInstrument(okxSwap)!.stepSize).toBeCloseTo(0.001, 12);
    expect(toInstrument(okxSwap)!.minQty).toBeCloseTo(0.001, 12);
  });

  it.each([
    ['an inverse perpetual', { settle: 'BTC', linear: false }],
    ['an inactive market', { active: false }],
    ['a market without a price tick', { precision: { amount: 0.1, price: null } }],
    ['a dated future', { swap: false, type: 'future' }],
  ])('filters out %s rather than guessing', (_what, patch) => {
    expect(toInstrument({ ...okxSwap, ...patch } as CcxtMarket)).toBeNull();
  });

  it('drops a one-sided or crossed ticker instead of inventing a quote', () => {
    expect(toQuote({ symbol: 'X', bid: 10, ask: null, last: 10, timestamp: 1 }, 5)).toBeNull();
    expect(toQuote({ symbol: 'X', bid: 11, ask: 10, last: 10, timestamp: 1 }, 5)).toBeNull();
    expect(toQuote({ symbol: 'X', bid: 9, ask: 10, last: null, timestamp: null }, 5)).toEqual({
      symbol: 'X',
      bid: 9,
      ask: 10,
      ts: 5,
    });
  });

  it('maps an order in contracts to base units with one aggregate fill', () => {
    const [o] = parseEach(CcxtOrderSchema, [order]);
    const v = toVenueOrder(o!, 0.01)!;
    expect(v).toMatchObject({ status: 'partially_filled', limitPrice: 60_000, createdAt: 1_000, updatedAt: 2_000 });
    expect(v.quantity).toBeCloseTo(0.02, 12);
    expect(v.fills).toEqual([
      { fillId: '42:agg', orderId: '42', ts: 2_000, price: 60_000, quantity: 0.01, fee: 0.12, liquidity: 'maker' },
    ]);
  });

  it.each([
    ['closed', 'filled'],
    ['canceled', 'cancelled'],
    ['rejected', 'rejected'],
    ['expired', 'expired'],
  ])('maps ccxt status %s to %s', (status, expected) => {
    const [o] = parseEach(CcxtOrderSchema, [{ ...order, status }]);
    expect(toVenueOrder(o!, 1)!.status).toBe(expected);
  });

  it('skips conditional orders and records that do not parse', () => {
    const rows = parseEach(CcxtOrderSchema, [{ ...order, type: 'take_profit_market' }, { ...order, id: 7 }, 'junk']);
    expect(rows).toHaveLength(1);
    expect(toVenueOrder(rows[0]!, 1)).toBeNull();
  });

  it('maps a short position to a signed base quantity and infers leverage when the venue omits it', () => {
    const p = toVenuePosition(
      { symbol: 'BTC/USDT:USDT', contracts: 3, side: 'short', entryPrice: 100, notional: -300, initialMargin: 60 },
      1,
    );
    expect(p).toMatchObject({ quantity: -3, leverage: 5, margin: 60, markPrice: 100, liquidationPrice: null });
    expect(toVenuePosition({ symbol: 'X', contracts: 0, side: 'long', entryPrice: 1 }, 1)).toBeNull();
  });
});
