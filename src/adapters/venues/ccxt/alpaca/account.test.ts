import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toVenueBalance } from './account.js';

const money = fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true });
const account = fc.record({
  currency: fc.constant('USD'),
  cash: money,
  equity: money,
  buying_power: money,
  shorting_enabled: fc.boolean(),
  trading_blocked: fc.boolean(),
});

describe('an Alpaca account as a balance', () => {
  it('never shows more free cash than cash, buying power or the total, nor less than 0; free + used = total', () => {
    fc.assert(
      fc.property(account, money, (a, upnl) => {
        const b = toVenueBalance(a, upnl);
        expect(b.free).toBeGreaterThanOrEqual(0);
        expect(b.free).toBeLessThanOrEqual(Math.max(0, a.cash));
        expect(b.free).toBeLessThanOrEqual(Math.max(0, a.buying_power));
        expect(b.free).toBeLessThanOrEqual(Math.max(0, b.total));
        expect(b.free + b.used).toBeCloseTo(b.total, 3);
        expect(b.equity).toBe(a.equity);
        expect(b.total).toBe(a.equity - upnl);
      }),
    );
  });

  it('counts a margin account’s 4× buying power as no more free cash than the cash itself', () => {
    const a = { currency: 'USD', cash: 10_000, equity: 12_000, buying_power: 48_000 };
    expect(toVenueBalance({ ...a, shorting_enabled: true, trading_blocked: false }, 500)).toEqual({
      currency: 'USD',
      total: 11_500,
      free: 10_000,
      used: 1_500,
      equity: 12_000,
    });
  });
});
