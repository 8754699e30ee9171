import { describe, expect, it } from 'vitest';
import { pmStatus, resolutionSource, toListedView } from './listing.js';
import { type PmMarket, PmMarketSchema } from './schemas.js';

const market = (over: Record<string, unknown> = {}, tokens?: Record<string, unknown>[]): PmMarket =>
  PmMarketSchema.parse({
    condition_id: `0x${'a'.repeat(64)}`,
    question: 'Will it rain?',
    end_date_iso: '2027-06-30T12:00:00Z',
    minimum_tick_size: 0.01,
    tokens: tokens ?? [
      { token_id: '1', outcome: 'Yes', price: 0.62 },
      { token_id: '2', outcome: 'No', price: 0.39 },
    ],
    ...over,
  });

describe('pmStatus', () => {
  it.each([
    ['an active market accepting orders is open', {}, undefined, 'open'],
    ['a market the CLOB lists closed is closed', { closed: true }, undefined, 'closed'],
    ['a market not accepting orders is closed', { accepting_orders: false }, undefined, 'closed'],
    ['an inactive market is closed', { active: false }, undefined, 'closed'],
    [
      'a market with a winning token is resolved',
      { closed: true },
      [
        { token_id: '1', outcome: 'Yes', price: 0, winner: false },
        { token_id: '2', outcome: 'No', price: 1, winner: true },
      ],
      'resolved',
    ],
  ] as const)('%s', (_name, over, tokens, status) => {
    expect(pmStatus(market(over, tokens as Record<string, unknown>[] | undefined))).toBe(status);
  });
});

describe('resolutionSource', () => {
  it('takes the sentence of the rules that names the resolution source, dots in names included', () => {
    expect(
      resolutionSource('Resolves Yes if it rains in Paris. The resolution source will be meteo.fr. Ties resolve No.'),
    ).toBe('The resolution source will be meteo.fr.');
  });
  it('is null when the rules name none, or there are no rules', () => {
    expect(resolutionSource('Resolves Yes if it rains.')).toBeNull();
    expect(resolutionSource(undefined)).toBeNull();
  });
});

describe('toListedView', () => {
  it("shows each token's own CLOB price while open (they need not sum to 1), and the end date in ISO form", () => {
    expect(toListedView('RAIN', market())).toEqual({
      market_id: 'RAIN',
      question: 'Will it rain?',
      resolves_at: '2027-06-30T12:00:00.000Z',
      resolution_source: null,
      status: 'open',
      outcome: null,
      prices: { YES: 0.62, NO: 0.39 },
      tokens: { YES: 'RAIN-YES/USDC', NO: 'RAIN-NO/USDC' },
      tick_size: 0.01,
    });
  });
  it('shows the winner as the outcome and prices 1 and 0 once resolved', () => {
    const v = toListedView(
      'RAIN',
      market({ closed: true }, [
        { token_id: '1', outcome: 'Yes', price: 0.999, winner: true },
        { token_id: '2', outcome: 'No', price: 0.001, winner: false },
      ]),
    );
    expect(v).toMatchObject({ status: 'resolved', outcome: 'YES', prices: { YES: 1, NO: 0 } });
  });
  it('leaves an end date or a price the CLOB does not give as null', () => {
    const v = toListedView(
      'RAIN',
      market({ end_date_iso: null }, [
        { token_id: '1', outcome: 'Yes' },
        { token_id: '2', outcome: 'No' },
      ]),
    );
    expect(v).toMatchObject({ resolves_at: null, prices: { YES: null, NO: null } });
  });
});
