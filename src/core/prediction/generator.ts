import { normalCdf } from '../stats/normal.js';
import { mulberry32, normalSampler } from '../stats/rng.js';
import type { Outcome, PredictionMarket } from './types.js';

export interface SyntheticPredictionOptions {
  readonly seed: number;
  /** How many markets (default 6). */
  readonly markets?: number;
  /** Steps from listing to resolution (default 200). */
  readonly steps?: number;
  /** Epoch ms of step 0 (default 2026-01-01). */
  readonly start?: number;
  /** Milliseconds per step (default 1 hour). */
  readonly stepMs?: number;
  /** Chance that a step carries news (a jump), default 0.03. */
  readonly newsRate?: number;
  /** Standard deviation of the market's mispricing around the true probability (default 0.04). */
  readonly noise?: number;
}

/** One market with its whole history: the true probability and the market's price at every step. */
export interface SyntheticPredictionMarket {
  readonly market: PredictionMarket;
  /** Epoch ms of each step. */
  readonly times: readonly number[];
  /** P(YES | everything known at step t): a martingale that ends at 0 or 1. */
  readonly truth: readonly number[];
  /** The market's mid price of YES at each step: the truth plus a slowly mean-reverting mispricing. */
  readonly price: readonly number[];
  readonly outcome: Outcome;
}

const QUESTIONS = [
  'Will the central bank cut rates at its next meeting?',
  'Will the incumbent win the election?',
  'Will the product launch before the deadline?',
  'Will the index close the year higher?',
  'Will the storm make landfall as a hurricane?',
  'Will the merger be approved by the regulator?',
  'Will the film open above its tracking estimate?',
  'Will the team reach the final?',
] as const;

const clampPrice = (p: number, tick: number) => Math.min(1 - tick, Math.max(tick, Math.round(p / tick) * tick));

/**
 * Seeded synthetic prediction markets with known outcomes. A latent score moves by gaussian steps; most steps are
 * small (drift), a few are news (a jump of ten times the size). The outcome is YES when the final score is above 0.
 * The news calendar is drawn up front and known to the market, so the true probability at step t is
 * Φ(score_t / √(variance still to come)): exactly calibrated, drifting, and jumping on news. The quoted price adds
 * a mispricing an informed trader can find. Deterministic: the same options give the same markets.
 */
export function syntheticPredictionMarkets(o: SyntheticPredictionOptions): SyntheticPredictionMarket[] {
  const n = o.markets ?? 6;
  const steps = o.steps ?? 200;
  const start = o.start ?? Date.parse('2026-01-01T00:00:00Z');
  const stepMs = o.stepMs ?? 3_600_000;
  const newsRate = o.newsRate ?? 0.03;
  const noise = o.noise ?? 0.04;
  const rng = mulberry32(o.seed >>> 0);
  const z = normalSampler(rng);
  const out: SyntheticPredictionMarket[] = [];
  for (let k = 0; k < n; k++) {
    const tick = 0.01;
    const sd = Array.from({ length: steps }, () => (rng() < newsRate ? 1 : 0.1));
    const remaining: number[] = new Array(steps + 1).fill(0);
    for (let t = steps - 1; t >= 0; t--) remaining[t] = remaining[t + 1]! + sd[t]! ** 2;
    let score = z() * Math.sqrt(remaining[0]!) * 0.3;
    let mis = 0;
    const truth: number[] = [];
    const price: number[] = [];
    const times: number[] = [];
    for (let t = 0; t < steps; t++) {
      truth.push(normalCdf(score / Math.sqrt(remaining[t]!)));
      mis = 0.9 * mis + Math.sqrt(1 - 0.81) * noise * z();
      price.push(clampPrice(truth[t]! + mis, tick));
      times.push(start + t * stepMs);
      score += sd[t]! * z();
    }
    const outcome: Outcome = score > 0 ? 'YES' : 'NO';
    const id = `SYN${o.seed >>> 0}-M${k + 1}`;
    out.push({
      market: {
        id,
        question: QUESTIONS[k % QUESTIONS.length]!,
        resolvesAt: start + steps * stepMs,
        resolutionSource: 'synthetic: the sign of the latent score at resolution',
        status: 'open',
        outcome: null,
        tickSize: tick,
      },
      times,
      truth,
      price,
      outcome,
    });
  }
  return out;
}
