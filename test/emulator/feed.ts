import type { Candle } from '../../src/core/market/types.js';
import { TIMEFRAME_MS } from '../../src/ports/market-data.js';
import type { EmuEngine } from './engine.js';

/** Deterministic public data around the engine's current price: candles, book, trades, funding, open interest. */

/** Timeframe names as Binance and ccxt write them, in milliseconds. */
export const TIMEFRAMES: Readonly<Record<string, number>> = TIMEFRAME_MS;

/** `limit` candles oldest first; the last one is the bar in progress and closes at the current price. */
export function candles(engine: EmuEngine, symbol: string, tfMs: number, limit: number): Candle[] {
  const price = engine.price(symbol);
  const current = Math.floor(Date.now() / tfMs) * tfMs;
  const out: Candle[] = [];
  for (let i = 0; i < limit; i++) {
    const age = limit - 1 - i;
    const ts = current - age * tfMs;
    const close = age === 0 ? price : price * (1 + 0.004 * Math.sin(ts / tfMs));
    const open = price * (1 + 0.004 * Math.sin(ts / tfMs - 1));
    out.push({
      ts,
      open,
      close,
      high: Math.max(open, close) * 1.001,
      low: Math.min(open, close) * 0.999,
      volume: 10 + (i % 5),
    });
  }
  return out;
}

export interface EmuBook {
  readonly bids: [number, number][];
  readonly asks: [number, number][];
}

export function book(engine: EmuEngine, symbol: string, depth: number): EmuBook {
  const price = engine.price(symbol);
  const tick = engine.market(symbol).tickSize;
  const bids: [number, number][] = [];
  const asks: [number, number][] = [];
  for (let k = 1; k <= depth; k++) {
    bids.push([price - k * tick, 0.5 * k]);
    asks.push([price + k * tick, 0.5 * k]);
  }
  return { bids, asks };
}

/** Best bid / ask one tick either side of the price. */
export function topOfBook(engine: EmuEngine, symbol: string): { bid: number; ask: number } {
  const tick = engine.market(symbol).tickSize;
  const price = engine.price(symbol);
  return { bid: price - tick, ask: price + tick };
}

export interface EmuTrade {
  readonly id: string;
  readonly ts: number;
  readonly price: number;
  readonly size: number;
  readonly side: 'buy' | 'sell';
}

/** Newest first. */
export function trades(engine: EmuEngine, symbol: string, limit: number): EmuTrade[] {
  const price = engine.price(symbol);
  const tick = engine.market(symbol).tickSize;
  const now = Date.now();
  return Array.from({ length: limit }, (_, j) => ({
    id: String(900_000 - j),
    ts: now - j * 1_000,
    price: price + (j % 2 === 0 ? tick : -tick),
    size: 0.01 * (1 + (j % 3)),
    side: j % 2 === 0 ? 'buy' : 'sell',
  }));
}

export const FUNDING_INTERVAL_MS = 8 * 3_600_000;

/** Newest first, one every 8 hours. */
export function fundingHistory(limit: number): { ts: number; rate: number }[] {
  const last = Math.floor(Date.now() / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS;
  return Array.from({ length: limit }, (_, j) => ({
    ts: last - j * FUNDING_INTERVAL_MS,
    rate: 0.0001 * (1 + (j % 3)),
  }));
}

/** Open interest in base units. */
export function openInterest(engine: EmuEngine, symbol: string): { ts: number; amount: number; value: number } {
  const amount = symbol.startsWith('BTC') ? 52_000 : 810_000;
  const ts = Math.floor(Date.now() / 300_000) * 300_000;
  return { ts, amount, value: amount * engine.price(symbol) };
}
