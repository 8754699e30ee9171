import { mean, type Series, std } from '../stats/descriptive.js';

export type MarketRegime = 'volatile' | 'trending-up' | 'trending-down' | 'range';

export interface RegimeOptions {
  /** Recent window in periods over which volatility and trend are measured; default 20. */
  readonly window?: number;
  /** Recent σ / long-run σ at or above which the market is `volatile`; default 1.5. */
  readonly volatilityRatio?: number;
  /** |t-statistic| of the recent mean return at or above which the market trends; default 2. */
  readonly trendT?: number;
}

export interface RegimeReading {
  readonly regime: MarketRegime;
  /** Sample σ of the last `window` returns divided by the sample σ of the whole series. */
  readonly volatilityRatio: number;
  /** mean/(σ/√window) of the last `window` returns. */
  readonly trendT: number;
}

/**
 * Threshold regime classifier (no fitted model, so a reading can be checked by hand): the market is
 * `volatile` when the recent volatility is at least `volatilityRatio` times the series' own, otherwise
 * `trending-up` / `trending-down` when the recent mean return is significant at |t| ≥ `trendT`, otherwise
 * `range`. Needs at least 2·window returns (NaN readings and `range` otherwise would hide missing data, so
 * it throws).
 */
export function classifyRegime(returns: Series, options: RegimeOptions = {}): RegimeReading {
  const window = options.window ?? 20;
  const volRatio = options.volatilityRatio ?? 1.5;
  const trendT = options.trendT ?? 2;
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`window must be an integer ≥ 2, got ${window}`);
  if (returns.length < 2 * window) {
    throw new RangeError(`need at least ${2 * window} returns for a ${window}-period window, got ${returns.length}`);
  }
  const recent = Array.from({ length: window }, (_, i) => returns[returns.length - window + i]!);
  const longRun = std(returns);
  const recentSd = std(recent);
  const ratio = longRun > 0 ? recentSd / longRun : Number.NaN;
  const t = recentSd > 0 ? mean(recent) / (recentSd / Math.sqrt(window)) : 0;
  let regime: MarketRegime = 'range';
  if (ratio >= volRatio) regime = 'volatile';
  else if (t >= trendT) regime = 'trending-up';
  else if (t <= -trendT) regime = 'trending-down';
  return { regime, volatilityRatio: ratio, trendT: t };
}
