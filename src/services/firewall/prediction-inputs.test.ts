import { describe, expect, it } from 'vitest';
import { outcomeInstrument } from '../../core/prediction/types.js';
import type { MarketData } from '../../ports/market-data.js';
import type { VenuePosition } from '../../ports/venue.js';
import { readPredictionContext } from './inputs.js';

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
