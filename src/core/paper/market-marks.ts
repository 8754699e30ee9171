import { pathPrice } from '../market/bar-path.js';
import type { Marks } from './account.js';
import type { PaperMarketView } from './market-view.js';

/** Mark price of a symbol at a market time: the bar path's price there, or null outside the data. */
export function markAt(market: PaperMarketView, symbol: string, ts: number): number | null {
  const at = market.barAt(symbol, ts);
  return at ? pathPrice(at.bar, (ts - at.bar.ts) / at.timeframeMs) : null;
}

export function marksAt(market: PaperMarketView, ts: number): Marks {
  return (symbol) => markAt(market, symbol, ts);
}
