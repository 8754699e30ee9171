import { mulberry32 } from '../stats/rng.js';
import { pathPrice } from './bar-path.js';
import { hash32 } from './hash.js';
import { ceilToStep, floorToStep, roundToStep } from './precision.js';
import type { BookLevel, Candle, Instrument, Trade } from './types.js';

/** How quotes, books and trades are modelled from bars. Pure numbers; see DEFAULT_QUOTE_MODEL. */
export interface QuoteModelParams {
  /** Spread = max(tick, k · per-minute volatility · price, floor). */
  readonly spreadVolK: number;
  readonly spreadFloorBps: number;
  /** Distance between book levels, in bps of the mid (at least one tick). */
  readonly levelStepBps: number;
  /** Size at the best level = this many minutes of the bar's average volume. */
  readonly depthMinutes: number;
  /** Each level deeper holds this fraction more than the best one. */
  readonly depthGrowth: number;
  /** Trades synthesised per bar. */
  readonly tradesPerBar: number;
}

export const DEFAULT_QUOTE_MODEL: QuoteModelParams = {
  spreadVolK: 0.3,
  spreadFloorBps: 1,
  levelStepBps: 0.5,
  depthMinutes: 0.25,
  depthGrowth: 0.25,
  tradesPerBar: 24,
};

/** The synthesised prints are a sample of the tape: each is this share of its slot's volume. */
const TAPE_SAMPLE = 0.02;

/** Standard deviation of log returns of consecutive closes (0 with fewer than 3 closes). */
export function barVolatility(closes: readonly number[]): number {
  if (closes.length < 3) return 0;
  const r: number[] = [];
  for (let i = 1; i < closes.length; i++) r.push(Math.log(closes[i]! / closes[i - 1]!));
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const v = r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1);
  return Math.sqrt(v);
}

export function halfSpread(mid: number, vol: number, tick: number, p: QuoteModelParams = DEFAULT_QUOTE_MODEL): number {
  return Math.max(tick, p.spreadVolK * vol * mid, (p.spreadFloorBps * mid) / 1e4) / 2;
}

/** Bid and ask around a mid, on the tick grid, never locked or crossed. */
export function quoteAround(mid: number, vol: number, tick: number, p: QuoteModelParams = DEFAULT_QUOTE_MODEL) {
  const h = halfSpread(mid, vol, tick, p);
  const bid = floorToStep(mid - h, tick);
  let ask = ceilToStep(mid + h, tick);
  if (!(ask > bid)) ask = roundToStep(bid + tick, tick); // grid plus a tick: only binary noise to remove
  return { bid, ask };
}

export interface ModelledBook {
  readonly mid: number;
  readonly bid: number;
  readonly ask: number;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

/**
 * Size at the best level: a slice of a bar's volume per minute, never below ten minimum lots. Callers pass the
 * last closed bar's volume, so the book does not reveal how busy the current bar will turn out to be.
 */
export function levelBaseSize(
  barVolume: number,
  timeframeMs: number,
  inst: Instrument,
  p = DEFAULT_QUOTE_MODEL,
): number {
  const perMinute = barVolume / Math.max(1, timeframeMs / 60_000);
  return Math.max(inst.minQty * 10, perMinute * p.depthMinutes);
}

/** A symmetric book of `depth` levels a side whose sizes scale with a bar's volume. */
export function bookAround(
  mid: number,
  vol: number,
  barVolume: number,
  timeframeMs: number,
  inst: Instrument,
  depth: number,
  p: QuoteModelParams = DEFAULT_QUOTE_MODEL,
): ModelledBook {
  const { bid, ask } = quoteAround(mid, vol, inst.tickSize, p);
  const step = Math.max(inst.tickSize, ceilToStep((mid * p.levelStepBps) / 1e4, inst.tickSize));
  const base = levelBaseSize(barVolume, timeframeMs, inst, p);
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (let i = 0; i < depth; i++) {
    const size = Math.max(inst.minQty, floorToStep(base * (1 + p.depthGrowth * i), inst.stepSize));
    // Prices on the grid plus whole steps of the grid: rounding only removes binary noise (either side of it).
    const b = roundToStep(bid - i * step, inst.tickSize);
    if (b > 0) bids.push({ price: b, size });
    asks.push({ price: roundToStep(ask + i * step, inst.tickSize), size });
  }
  return { mid, bid, ask, bids, asks };
}

/**
 * Trades printed in a bar up to `uptoTs`, newest first. Deterministic from (symbol, bar time): the same bar
 * always prints the same tape. Prices follow the bar's path, buys at the ask side and sells at the bid side;
 * sizes scale with `sizeVolume` (the previous bar's volume for a bar still forming).
 */
export function barTrades(
  symbol: string,
  bar: Candle,
  sizeVolume: number,
  timeframeMs: number,
  uptoTs: number,
  spreadHalf: number,
  inst: Instrument,
  p: QuoteModelParams = DEFAULT_QUOTE_MODEL,
): Trade[] {
  const rng = mulberry32(hash32(`${symbol}|${bar.ts}`));
  const n = p.tradesPerBar;
  const out: Trade[] = [];
  for (let j = 0; j < n; j++) {
    const u = rng();
    const w = rng();
    const ts = bar.ts + Math.floor(((j + u) / n) * timeframeMs);
    if (ts > uptoTs) break;
    const side = w < 0.5 ? 'buy' : 'sell';
    const mid = pathPrice(bar, (ts - bar.ts) / timeframeMs);
    const raw = side === 'buy' ? Math.min(bar.high, mid + spreadHalf) : Math.max(bar.low, mid - spreadHalf);
    const size = Math.max(inst.minQty, floorToStep((sizeVolume / n) * TAPE_SAMPLE * (0.2 + 1.6 * w), inst.stepSize));
    out.push({ ts, price: floorToStep(raw, inst.tickSize), size, side });
  }
  return out.reverse();
}

/** Open interest in quote currency: about half a day's volume, breathing slowly over a three-day cycle. */
export function modelledOpenInterest(symbol: string, ts: number, avgDailyVolumeUsd: number): number {
  const cycle = Math.sin((2 * Math.PI * ts) / (3 * 86_400_000) + (hash32(symbol) % 628) / 100);
  const noise = mulberry32(hash32(`${symbol}|oi|${Math.floor(ts / 3_600_000)}`))() - 0.5;
  return Math.round(avgDailyVolumeUsd * 0.5 * (1 + 0.15 * cycle + 0.04 * noise));
}
