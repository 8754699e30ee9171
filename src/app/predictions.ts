import { marketView, type PredictionMarketView } from '../core/prediction/board.js';
import { type SyntheticPredictionMarket, syntheticPredictionMarkets } from '../core/prediction/generator.js';

/** A new cohort of synthetic prediction markets is listed every 100 hours; each market lives 200 hours. */
export const COHORT_MS = 100 * 3_600_000;
const PER_COHORT = 4;
const cohorts = new Map<number, SyntheticPredictionMarket[]>();

/**
 * The synthetic prediction markets listed at `now`: cohort k (seeded with k) is listed k × 100 h after the Unix
 * epoch, priced hourly, and resolves 200 h later to its known outcome. Three cohorts are shown: the one resolved
 * last, the older open one and the newest, so a market never vanishes while open and the same time gives the
 * same markets.
 */
export function predictionMarkets(now: number): SyntheticPredictionMarket[] {
  const k = Math.floor(now / COHORT_MS);
  const out: SyntheticPredictionMarket[] = [];
  for (const c of [k - 2, k - 1, k]) {
    let ms = cohorts.get(c);
    if (!ms) {
      ms = syntheticPredictionMarkets({ seed: c, markets: PER_COHORT, start: c * COHORT_MS, steps: 200 });
      cohorts.set(c, ms);
      for (const old of cohorts.keys()) if (old < k - 2) cohorts.delete(old);
    }
    out.push(...ms);
  }
  return out;
}

/** The listed markets as agents read them at `now`. */
export function predictionViews(now: number): PredictionMarketView[] {
  return predictionMarkets(now).map((m) => marketView(m, now));
}
