import { describe, expect, it } from 'vitest';
import { marketView } from './board.js';
import { syntheticPredictionMarkets } from './generator.js';

describe('marketView', () => {
  const start = Date.parse('2026-03-01T00:00:00Z');
  const [m] = syntheticPredictionMarkets({ seed: 3, markets: 1, steps: 10, start, stepMs: 60_000 });

  it('prices an open market at its last step, YES + NO = 1, inside (0, 1)', () => {
    const v = marketView(m!, start + 3 * 60_000 + 5);
    expect(v.status).toBe('open');
    expect(v.outcome).toBeNull();
    expect(v.prices.YES).toBeCloseTo(m!.price[3]!, 9);
    expect(v.prices.YES + v.prices.NO).toBeCloseTo(1, 9);
    expect(v.prices.YES).toBeGreaterThan(0);
    expect(v.prices.YES).toBeLessThan(1);
    expect(v.tokens.YES).toBe(`${m!.market.id}-YES/USDC`);
    expect(v.resolves_at).toBe(new Date(start + 10 * 60_000).toISOString());
  });

  it('resolves to the known outcome at the resolution time, the winner priced 1', () => {
    const v = marketView(m!, start + 10 * 60_000);
    expect(v.status).toBe('resolved');
    expect(v.outcome).toBe(m!.outcome);
    expect(v.prices[m!.outcome]).toBe(1);
    expect(v.prices[m!.outcome === 'YES' ? 'NO' : 'YES']).toBe(0);
  });
});
