import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcomeInstrument } from '../../core/prediction/types.js';
import type { MarketData } from '../../ports/market-data.js';
import type { VenuePosition } from '../../ports/venue.js';
import { lockedCostBasis, readPredictionContext } from './inputs.js';

const state = {
  market_id: 'FED-CUT',
  outcome: 'YES' as const,
  status: 'open' as const,
  resolves_at: 9e12,
  liquidity_usd: 500,
};
const market = { prediction: async (s: string) => (s.startsWith('FED-CUT-') ? state : null) } as unknown as MarketData;
const pos = (symbol: string, quantity: number, entryPrice: number) =>
  ({ symbol, quantity, entryPrice }) as unknown as VenuePosition;

describe('readPredictionContext', () => {
  it('adds the cost basis of outcome-token positions: this market (YES and NO) and all', async () => {
    const venue = {
      positions: async () => [
        pos('FED-CUT-YES/USDC', 10, 0.4),
        pos('FED-CUT-NO/USDC', 5, 0.6),
        pos('ELECTION-YES/USDC', 20, 0.5),
        pos('BTC/USDT', 1, 80_000),
      ],
    };
    const ctx = await readPredictionContext(market, venue, 'acct', outcomeInstrument('FED-CUT', 'YES'));
    expect(ctx).toEqual({ ...state, cost_basis_market: 7, cost_basis_total: 17 });
  });

  it('is undefined for other instruments and null (refused) when the market or positions are unknown', async () => {
    const btc = { ...outcomeInstrument('X', 'YES'), kind: 'spot' } as never;
    expect(await readPredictionContext(market, undefined, 'a', btc)).toBeUndefined();
    expect(await readPredictionContext(market, undefined, 'a', outcomeInstrument('OTHER', 'NO'))).toBeNull();
    const failing = { positions: async () => Promise.reject(new Error('down')) };
    expect(await readPredictionContext(market, failing, 'a', outcomeInstrument('FED-CUT', 'YES'))).toBeNull();
  });
});

describe('lockedCostBasis (the cost basis judged under the store lock)', () => {
  const ctx = { ...state, cost_basis_market: 0, cost_basis_total: 0 };
  const money = fc.double({ min: 0, max: 1_000, noNaN: true });
  const symbol = fc.constantFrom('FED-CUT-YES/USDC', 'FED-CUT-NO/USDC', 'ELECTION-YES/USDC', 'BTC/USDT');
  const row = fc.record({ symbol, held: money, reserved: money });

  it('never counts less than the venue read, nor less than what the store holds plus what is in flight (property)', () => {
    fc.assert(
      fc.property(money, money, fc.array(row, { maxLength: 8 }), (market, extra, rows) => {
        const read = { ...ctx, cost_basis_market: market, cost_basis_total: market + extra };
        const got = lockedCostBasis(read, rows);
        const outcome = rows.filter((r) => r.symbol !== 'BTC/USDT');
        const here = outcome.filter((r) => r.symbol.startsWith('FED-CUT-'));
        const sum = (xs: typeof rows, f: (r: (typeof rows)[number]) => number) => xs.reduce((a, r) => a + f(r), 0);
        const eps = 1e-9;
        expect(got.cost_basis_market).toBeGreaterThanOrEqual(market + sum(here, (r) => r.reserved) - eps);
        expect(got.cost_basis_market).toBeGreaterThanOrEqual(sum(here, (r) => r.held + r.reserved) - eps);
        expect(got.cost_basis_total).toBeGreaterThanOrEqual(market + extra + sum(outcome, (r) => r.reserved) - eps);
        expect(got.cost_basis_total).toBeGreaterThanOrEqual(sum(outcome, (r) => r.held + r.reserved) - eps);
        expect(got.cost_basis_total).toBeGreaterThanOrEqual(got.cost_basis_market - eps);
      }),
    );
  });

  it('adds a buy in flight in this market to both scopes, one in another market to the total only', () => {
    const rows = [
      { symbol: 'FED-CUT-NO/USDC', held: 4, reserved: 10 },
      { symbol: 'ELECTION-YES/USDC', held: 0, reserved: 3 },
      { symbol: 'BTC/USDT', held: 500, reserved: 100 },
    ];
    const got = lockedCostBasis({ ...ctx, cost_basis_market: 7, cost_basis_total: 17 }, rows);
    expect([got.cost_basis_market, got.cost_basis_total]).toEqual([17, 30]);
  });
});
