import { mulberry32, normalSampler, type Rng } from '../stats/rng.js';
import { roundToStep } from './precision.js';
import type { Candle, FundingPoint } from './types.js';

export interface SyntheticAsset {
  readonly base: string;
  readonly startPrice: number;
  /** Annualised volatility in the normal regime. */
  readonly annualVol: number;
  /** Loading on the shared market factor (1 = moves with the market). */
  readonly beta: number;
  /** Base-asset volume per hour in the normal regime. */
  readonly volumePerHour: number;
  /** Price grid the candles are rounded to. */
  readonly tick: number;
}

export const DEFAULT_ASSETS: readonly SyntheticAsset[] = [
  { base: 'BTC', startPrice: 60_000, annualVol: 0.55, beta: 1, volumePerHour: 1_200, tick: 0.1 },
  { base: 'ETH', startPrice: 3_000, annualVol: 0.7, beta: 1.15, volumePerHour: 12_000, tick: 0.01 },
  { base: 'SOL', startPrice: 150, annualVol: 0.95, beta: 1.35, volumePerHour: 90_000, tick: 0.001 },
];

export type Regime = 'calm' | 'normal' | 'turbulent';
export const REGIMES: readonly Regime[] = ['calm', 'normal', 'turbulent'];
const VOL_MULT = [0.55, 1, 2.3];
const VOLUME_MULT = [0.7, 1, 1.9];
/** Hourly transition probabilities between regimes (rows sum to 1); scaled to the bar length. */
const HOURLY_TRANSITIONS = [
  [0.97, 0.03, 0],
  [0.015, 0.97, 0.015],
  [0, 0.06, 0.94],
];

export interface SyntheticConfig {
  readonly seed: number;
  readonly startTs: number;
  readonly timeframeMs: number;
  readonly assets?: readonly SyntheticAsset[];
  /** Share of each asset's diffusion that comes from the shared market factor (correlation ≈ c²). */
  readonly marketCorrelation?: number;
}

export interface SyntheticStep {
  readonly ts: number;
  readonly regime: Regime;
  /** Per asset, in the order of `assets`. */
  readonly spot: readonly Candle[];
  readonly perp: readonly Candle[];
  /** Funding settled at this bar's open (only on 00:00, 08:00, 16:00 UTC bars), per asset. */
  readonly funding: readonly (FundingPoint | null)[];
}

const YEAR_MS = 365 * 86_400_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const FUNDING_INTERVAL_MS = 8 * HOUR_MS;
const SUB_STEPS = 6;

function nextRegime(rng: Rng, current: number, barHours: number): number {
  const row = HOURLY_TRANSITIONS[current]!;
  const stay = row[current]! ** barHours;
  const u = rng();
  if (u < stay) return current;
  const leaveTotal = 1 - row[current]!;
  let acc = stay;
  for (let j = 0; j < row.length; j++) {
    if (j === current) continue;
    acc += ((1 - stay) * row[j]!) / leaveTotal;
    if (u < acc) return j;
  }
  return current;
}

/**
 * A seeded market: geometric Brownian motion with a shared factor, Poisson jumps (market-wide and per asset),
 * a three-state volatility regime (calm / normal / turbulent Markov chain), a mean-reverting perp basis and
 * 8-hourly funding from that basis. Same seed ⇒ same bars; nothing here reads Math.random or the clock.
 */
export function syntheticMarket(config: SyntheticConfig): () => SyntheticStep {
  const assets = config.assets ?? DEFAULT_ASSETS;
  const c = config.marketCorrelation ?? 0.85;
  const rng = mulberry32(config.seed);
  const normal = normalSampler(rng);
  const tf = config.timeframeMs;
  const dtYears = tf / YEAR_MS / SUB_STEPS;
  const barDays = tf / DAY_MS;
  const barHours = tf / HOUR_MS;
  const logPrice = assets.map((a) => Math.log(a.startPrice));
  const basis = assets.map(() => 0.0003);
  const basisSum = assets.map(() => 0);
  let basisCount = 0;
  let regime = 1;
  let index = 0;
  return () => {
    const ts = config.startTs + index * tf;
    index += 1;
    regime = nextRegime(rng, regime, barHours);
    const volMult = VOL_MULT[regime]!;
    const paths = assets.map((_, i) => [Math.exp(logPrice[i]!)]);
    const jumpAt = Math.floor(rng() * SUB_STEPS);
    const marketJump = rng() < 0.6 * barDays * (regime === 2 ? 3 : 1) ? -0.004 + 0.025 * normal() : 0;
    for (let s = 0; s < SUB_STEPS; s++) {
      const zm = normal();
      assets.forEach((a, i) => {
        const sigma = a.annualVol * volMult;
        const z = c * zm + Math.sqrt(1 - c * c) * normal();
        let r = -0.5 * sigma * sigma * dtYears + sigma * Math.sqrt(dtYears) * z;
        if (s === jumpAt) {
          r += a.beta * marketJump;
          if (rng() < 0.3 * barDays) r += 0.02 * normal();
        }
        logPrice[i] = logPrice[i]! + r;
        paths[i]!.push(Math.exp(logPrice[i]!));
      });
    }
    const funding: (FundingPoint | null)[] = assets.map(() => null);
    const fundingDue = ts % FUNDING_INTERVAL_MS === 0 && basisCount > 0;
    const spot: Candle[] = [];
    const perp: Candle[] = [];
    assets.forEach((a, i) => {
      if (fundingDue) {
        const avg = basisSum[i]! / basisCount;
        funding[i] = { ts, rate: Number(Math.min(0.003, Math.max(-0.003, 0.0001 + 0.25 * avg)).toFixed(8)) };
        basisSum[i] = 0;
      }
      const path = paths[i]!;
      const sigmaBar = a.annualVol * volMult * Math.sqrt(tf / YEAR_MS);
      const wick = 1 + Math.abs(normal()) * sigmaBar * 0.25;
      const open = roundToStep(path[0]!, a.tick);
      const close = roundToStep(path[SUB_STEPS]!, a.tick);
      const high = Math.max(open, close, roundToStep(Math.max(...path) * wick, a.tick));
      const low = Math.min(open, close, roundToStep(Math.min(...path) / wick, a.tick));
      const move = Math.abs(Math.log(path[SUB_STEPS]! / path[0]!)) / Math.max(1e-12, sigmaBar);
      const noise = Math.exp(0.3 * normal() - 0.045);
      const volume = Number(
        (a.volumePerHour * barHours * VOLUME_MULT[regime]! * (0.6 + 0.4 * move) * noise).toFixed(5),
      );
      spot.push({ ts, open, high, low, close, volume });
      const theta = 2 * barDays;
      basis[i] = Math.min(
        0.005,
        Math.max(-0.005, basis[i]! + theta * (0.0003 - basis[i]!) + 0.001 * Math.sqrt(barDays) * normal()),
      );
      basisSum[i] = basisSum[i]! + basis[i]!;
      const k = 1 + basis[i]!;
      const p = (x: number) => roundToStep(x * k, a.tick);
      perp.push({
        ts,
        open: p(open),
        high: p(high),
        low: p(low),
        close: p(close),
        volume: Number((volume * 2.5).toFixed(5)),
      });
    });
    basisCount = fundingDue ? 1 : basisCount + 1;
    return { ts, regime: REGIMES[regime]!, spot, perp, funding };
  };
}
