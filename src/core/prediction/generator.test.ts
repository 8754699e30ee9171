import { describe, expect, it } from 'vitest';
import { syntheticPredictionMarkets } from './generator.js';

describe('syntheticPredictionMarkets', () => {
  it('gives the same markets, prices and outcomes for the same seed', () => {
    const a = syntheticPredictionMarkets({ seed: 7 });
    const b = syntheticPredictionMarkets({ seed: 7 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(syntheticPredictionMarkets({ seed: 8 }))).not.toBe(JSON.stringify(a));
  });

  it('prices every step strictly inside (0, 1) on the tick grid and resolves after the last step', () => {
    for (const m of syntheticPredictionMarkets({ seed: 3, markets: 8 })) {
      for (const p of m.price) {
        expect(p > 0 && p < 1, `price ${p}`).toBe(true);
        expect(Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, `price ${p} on the cent grid`).toBe(true);
      }
      expect(m.market.resolvesAt).toBeGreaterThan(m.times[m.times.length - 1]!);
      expect(m.market.status).toBe('open');
      expect(['YES', 'NO']).toContain(m.outcome);
    }
  });

  it('has a true probability that is calibrated: YES resolves about as often as it predicts', () => {
    // 400 markets; bucket the probability at step 100 and compare with the outcomes' frequency.
    const ms = syntheticPredictionMarkets({ seed: 11, markets: 400 });
    const mean = ms.reduce((a, m) => a + m.truth[100]!, 0) / ms.length;
    const yes = ms.filter((m) => m.outcome === 'YES').length / ms.length;
    expect(Math.abs(mean - yes), `mean probability ${mean} vs YES share ${yes}`).toBeLessThan(0.08);
    const high = ms.filter((m) => m.truth[150]! > 0.8);
    const highYes = high.filter((m) => m.outcome === 'YES').length / high.length;
    expect(highYes, 'markets above 80 % resolve YES mostly').toBeGreaterThan(0.75);
  });

  it('jumps on news: some single steps move the true probability by more than 10 points', () => {
    const ms = syntheticPredictionMarkets({ seed: 5, markets: 10 });
    const jumps = ms.flatMap((m) => m.truth.slice(1).map((p, i) => Math.abs(p - m.truth[i]!))).filter((d) => d > 0.1);
    expect(jumps.length).toBeGreaterThan(0);
  });
});
