import { pathPrice } from '../market/bar-path.js';
import { lastIndexAtOrBefore } from '../market/candles.js';
import { bookAround, DEFAULT_QUOTE_MODEL, type ModelledBook, type QuoteModelParams } from '../market/quote-model.js';
import type { Candle, FundingPoint, Instrument } from '../market/types.js';
import type { PaperMarketView } from './market-view.js';

export interface ScriptedSymbol {
  readonly instrument: Instrument;
  readonly bars: readonly Candle[];
  readonly funding?: readonly FundingPoint[];
}

/**
 * A PaperMarketView over bars written by hand, with a settable time (market time = clock time). For engine
 * tests, property tests and simulations that script the price path exactly. Spreads use the floor only.
 */
export class ScriptedMarket implements PaperMarketView {
  private readonly symbols: ReadonlyMap<string, ScriptedSymbol>;
  private now: number;

  constructor(
    symbols: readonly ScriptedSymbol[],
    readonly timeframeMs: number,
    start?: number,
    private readonly model: QuoteModelParams = DEFAULT_QUOTE_MODEL,
  ) {
    this.symbols = new Map(symbols.map((s) => [s.instrument.symbol, s] as const));
    this.now = start ?? symbols[0]?.bars[0]?.ts ?? 0;
  }

  setTime(ts: number): void {
    this.now = ts;
  }

  marketTime(): number | null {
    return this.now;
  }

  clockTimeOf(marketTs: number): number {
    return marketTs;
  }

  instrumentOf(symbol: string): Instrument | null {
    return this.symbols.get(symbol)?.instrument ?? null;
  }

  barAt(symbol: string, marketTs: number): { readonly bar: Candle; readonly timeframeMs: number } | null {
    const bars = this.symbols.get(symbol)?.bars ?? [];
    const bar = bars[lastIndexAtOrBefore(bars, marketTs)];
    return bar && marketTs < bar.ts + this.timeframeMs ? { bar, timeframeMs: this.timeframeMs } : null;
  }

  bookAt(symbol: string, marketTs: number, mid?: number): ModelledBook | null {
    const s = this.symbols.get(symbol);
    const at = this.barAt(symbol, marketTs);
    if (!s || !at) return null;
    const m = mid ?? pathPrice(at.bar, (marketTs - at.bar.ts) / this.timeframeMs);
    return bookAround(m, 0, at.bar.volume, this.timeframeMs, s.instrument, 20, this.model);
  }

  fundingRateAt(symbol: string, marketTs: number): number | null {
    const s = this.symbols.get(symbol);
    if (s?.instrument.kind !== 'perp') return null;
    return s.funding?.find((f) => f.ts === marketTs)?.rate ?? null;
  }
}
