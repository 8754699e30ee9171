import type { Series } from './descriptive.js';

/** Fraction of trades with strictly positive PnL; break-even trades count as non-wins. NaN when empty. */
export function winRate(tradePnls: Series): number {
  const n = tradePnls.length;
  if (n === 0) return Number.NaN;
  let wins = 0;
  for (let i = 0; i < n; i++) if (tradePnls[i]! > 0) wins++;
  return wins / n;
}

/**
 * Gross profit / gross loss of per-trade PnLs. Infinity when there are profits and no losses,
 * NaN when there is neither (nothing to compare).
 */
export function profitFactor(tradePnls: Series): number {
  let profit = 0;
  let loss = 0;
  for (let i = 0; i < tradePnls.length; i++) {
    const p = tradePnls[i]!;
    if (p > 0) profit += p;
    else loss -= p;
  }
  if (loss > 0) return profit / loss;
  return profit > 0 ? Number.POSITIVE_INFINITY : Number.NaN;
}

/**
 * Turnover over the window: Σ|traded notional| / mean(equity). Not annualised: multiply by
 * periodsPerYear / periods to get a yearly figure. NaN when mean equity is not positive.
 */
export function turnover(tradedNotional: Series, equity: Series): number {
  if (equity.length === 0) return Number.NaN;
  let traded = 0;
  for (let i = 0; i < tradedNotional.length; i++) traded += Math.abs(tradedNotional[i]!);
  let level = 0;
  for (let i = 0; i < equity.length; i++) level += equity[i]!;
  level /= equity.length;
  if (!(level > 0)) return Number.NaN;
  return traded / level;
}
