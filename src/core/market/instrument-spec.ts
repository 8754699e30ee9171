import type { Instrument, MarketKind } from './types.js';

export const SPOT_MAX_LEVERAGE = 1;
export const PERP_MAX_LEVERAGE = 50;

/** Power of ten at or below x (x > 0). */
function pow10Below(x: number): number {
  return 10 ** Math.floor(Math.log10(x));
}

/**
 * Precision and limits for a crypto market, derived from a reference price so any symbol a CSV brings gets
 * sensible values: about 6 significant digits of price and lots worth roughly 0.1-1 quote units at most.
 * (BTC at 60,000: tick 0.1, step 0.00001; ETH at 3,000: tick 0.01, step 0.0001; SOL at 150: tick 0.001, step 0.001.)
 */
export function cryptoInstrument(
  base: string,
  quote: string,
  kind: MarketKind,
  refPrice: number,
  avgDailyVolumeUsd?: number,
  tickOverride?: number,
): Instrument {
  const price = refPrice > 0 && Number.isFinite(refPrice) ? refPrice : 1;
  const tickSize = Math.min(1, pow10Below(price) / 1e5);
  const stepSize = Math.min(1, Math.max(1e-8, 1 / (pow10Below(price) * 10)));
  const inst: Instrument = {
    symbol: kind === 'perp' ? `${base}/${quote}:${quote}` : `${base}/${quote}`,
    base,
    quote,
    kind,
    instrumentType: 'crypto',
    assetClass: 'crypto',
    tickSize: tickOverride ?? Number(tickSize.toPrecision(1)),
    stepSize: Number(stepSize.toPrecision(1)),
    minQty: Number(stepSize.toPrecision(1)),
    minNotional: 5,
    maxLeverage: kind === 'perp' ? PERP_MAX_LEVERAGE : SPOT_MAX_LEVERAGE,
  };
  return avgDailyVolumeUsd !== undefined ? { ...inst, avgDailyVolumeUsd } : inst;
}

/** The finest price grid the prices use (0.01 for prices written with two decimals), at most 8 decimals. */
export function observedTick(prices: readonly number[]): number {
  let decimals = 0;
  for (const p of prices) {
    const text = String(p);
    const dot = text.indexOf('.');
    if (dot >= 0 && !text.includes('e')) decimals = Math.max(decimals, text.length - dot - 1);
  }
  return Number((10 ** -Math.min(8, decimals)).toFixed(Math.min(8, decimals)));
}
