import type { ModelledBook } from '../market/quote-model.js';
import type { Candle, Instrument } from '../market/types.js';

export type { ModelledBook } from '../market/quote-model.js';

/**
 * What the paper engine reads from the market: synchronous, pure reads of a bar replay. Times here are
 * market times (the data's own epoch ms); `clockTimeOf` converts one to the clock time orders are stamped with.
 * Implemented by the replay market data (synthetic and CSV); could become a port if other sources need it.
 */
export interface PaperMarketView {
  /** Market time now, or null when the replay is outside its data (nothing trades then). */
  marketTime(): number | null;
  clockTimeOf(marketTs: number): number;
  instrumentOf(symbol: string): Instrument | null;
  /** The bar containing `marketTs` and the series' bar length, or null outside the data. */
  barAt(symbol: string, marketTs: number): { readonly bar: Candle; readonly timeframeMs: number } | null;
  /** The modelled book at `marketTs`, centred on `mid` when given (a stop's trigger price), else on the path. */
  bookAt(symbol: string, marketTs: number, mid?: number): ModelledBook | null;
  /** Funding rate settled at exactly `marketTs` (an 8-hour mark), or null when none is known. */
  fundingRateAt(symbol: string, marketTs: number): number | null;
}
