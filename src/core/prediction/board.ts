import type { SyntheticPredictionMarket } from './generator.js';
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
}

const round = (x: number, tick: number) => Math.round(Math.round(x / tick) * tick * 1e6) / 1e6;

/**
 * A synthetic market as it stands at `now`: the price of its last step at or before `now` (the first step before
 * listing), closed once its resolution time has passed, and resolved to its known outcome from then on (the
 * synthetic source publishes at the resolution time).
 */
export function marketView(m: SyntheticPredictionMarket, now: number): PredictionMarketView {
  const tick = m.market.tickSize;
  const resolved = now >= m.market.resolvesAt;
  const status: PredictionStatus = resolved ? 'resolved' : statusAt(m.market, now);
  let step = 0;
  while (step + 1 < m.times.length && m.times[step + 1]! <= now) step++;
  const yes = resolved ? (m.outcome === 'YES' ? 1 : 0) : round(m.price[step]!, tick);
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
