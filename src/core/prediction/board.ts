import { bookCentre } from './book.js';
import { type SyntheticPredictionMarket, syntheticPredictionMarkets } from './generator.js';
import { type Outcome, outcomeSymbol, type PredictionStatus, statusAt } from './types.js';

/** One prediction market as an agent reads it (list_markets / get_market): the question, its state and prices. */
export interface PredictionMarketView {
  readonly market_id: string;
  readonly question: string;
  /** ISO 8601 (UTC). */
  readonly resolves_at: string;
  readonly resolution_source: string;
  readonly status: PredictionStatus;
  /** Set once resolved. */
  readonly outcome: Outcome | null;
  /** Mid prices of the outcome tokens, strictly inside (0, 1) and summing to 1; once resolved, 1 and 0. */
  readonly prices: { readonly YES: number; readonly NO: number };
  /** The outcome tokens' unified symbols. */
  readonly tokens: { readonly YES: string; readonly NO: string };
  readonly tick_size: number;
  /** The market's rules as the venue writes them, when it gives them. */
  readonly description?: string;
}

/**
 * A market as a venue lists it, in the same shape: the venue may leave the end date, the resolution source or a
 * token's price unsaid (null), and its prices are each token's own (they need not sum to 1).
 */
export type ListedMarketView = Omit<PredictionMarketView, 'resolves_at' | 'resolution_source' | 'prices'> & {
  readonly resolves_at: string | null;
  readonly resolution_source: string | null;
  readonly prices: { readonly YES: number | null; readonly NO: number | null };
};

const round = (x: number, tick: number) => Math.round(Math.round(x / tick) * tick * 1e6) / 1e6;

/**
 * A synthetic market as it stands at `now`: the price of its last step at or before `now` (the first step before
 * listing; within two ticks of 0 or 1 it is shown where the modelled book is centred, `bookCentre`), closed once its resolution time has passed, and resolved to its known outcome from then on (the
 * synthetic source publishes at the resolution time).
 */
export function marketView(m: SyntheticPredictionMarket, now: number): PredictionMarketView {
  const tick = m.market.tickSize;
  const resolved = now >= m.market.resolvesAt;
  const status: PredictionStatus = resolved ? 'resolved' : statusAt(m.market, now);
  let step = 0;
  while (step + 1 < m.times.length && m.times[step + 1]! <= now) step++;
  const yes = resolved ? (m.outcome === 'YES' ? 1 : 0) : round(bookCentre(round(m.price[step]!, tick), tick), tick);
  return {
    market_id: m.market.id,
    question: m.market.question,
    resolves_at: new Date(m.market.resolvesAt).toISOString(),
    resolution_source: m.market.resolutionSource,
    status,
    outcome: resolved ? m.outcome : null,
    prices: { YES: yes, NO: round(1 - yes, tick) },
    tokens: { YES: outcomeSymbol(m.market.id, 'YES'), NO: outcomeSymbol(m.market.id, 'NO') },
    tick_size: tick,
  };
}

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
export function listedPredictionMarkets(now: number): SyntheticPredictionMarket[] {
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

/**
 * A synthetic market by id (`SYN<k>-M<i>`, of cohort k), listed or not any more: a holding bought in a market
 * that has since left the board is still settled by it. Null for an id no cohort has.
 */
export function syntheticMarketById(id: string): SyntheticPredictionMarket | null {
  const m = /^SYN(\d{1,9})-M(\d{1,2})$/.exec(id.trim().toUpperCase());
  if (!m) return null;
  const k = Number(m[1]);
  const i = Number(m[2]);
  if (i < 1 || i > PER_COHORT) return null;
  let ms = cohorts.get(k) ?? byId.get(k);
  if (!ms) {
    ms = syntheticPredictionMarkets({ seed: k, markets: PER_COHORT, start: k * COHORT_MS, steps: 200 });
    // A few cohorts looked up by id (holdings in markets gone from the board) are kept, the oldest let go.
    if (byId.size >= 8) byId.delete(byId.keys().next().value as number);
    byId.set(k, ms);
  }
  return ms.find((x) => x.market.id === `SYN${k}-M${i}`) ?? null;
}
const byId = new Map<number, SyntheticPredictionMarket[]>();

/** The listed markets as agents read them at `now`. */
export function listedPredictionViews(now: number): PredictionMarketView[] {
  return listedPredictionMarkets(now).map((m) => marketView(m, now));
}
