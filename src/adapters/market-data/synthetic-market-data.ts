import { cryptoInstrument } from '../../core/market/instrument-spec.js';
import { DEFAULT_ASSETS, type SyntheticAsset, syntheticMarket } from '../../core/market/synthetic.js';
import type { Candle, FundingPoint } from '../../core/market/types.js';
import type { Clock } from '../../ports/clock.js';
import { TIMEFRAME_MS, type Timeframe } from '../../ports/market-data.js';
import type { ReplayMapping } from './replay-mapping.js';
import { SeriesMarketData } from './series-market-data.js';
import type { SeriesSource, SymbolSeries } from './series-source.js';

export interface SyntheticMarketDataOptions {
  readonly clock: Clock;
  readonly seed: number;
  /** Open time of the first bar (market time). Defaults to the clock's now, floored to the timeframe. */
  readonly startTs?: number;
  readonly timeframe?: Timeframe;
  readonly assets?: readonly SyntheticAsset[];
  readonly mapping?: Partial<ReplayMapping>;
  /** Bars generated before the replay starts, so indicators have history at the first step (default 500). */
  readonly warmupBars?: number;
  /** Hard cap on bars per symbol kept in memory (default 600,000): past it the replay ends. */
  readonly maxBars?: number;
}

interface Growing {
  readonly spot: SymbolSeries & { candles: Candle[]; funding: FundingPoint[] };
  readonly perp: SymbolSeries & { candles: Candle[]; funding: FundingPoint[] };
}

/** The generator as a lazily growing source: bars are made only when the clock reaches them. */
export function syntheticSource(opts: Omit<SyntheticMarketDataOptions, 'mapping'>): SeriesSource {
  const tf = TIMEFRAME_MS[opts.timeframe ?? '1m'];
  const warmup = opts.warmupBars ?? 500;
  const startTs = opts.startTs ?? Math.floor(opts.clock.now() / tf) * tf - warmup * tf;
  const assets = opts.assets ?? DEFAULT_ASSETS;
  const maxBars = opts.maxBars ?? 600_000;
  const next = syntheticMarket({ seed: opts.seed, startTs, timeframeMs: tf, assets });
  const grown: Growing[] = assets.map((a) => ({
    spot: {
      instrument: cryptoInstrument(a.base, 'USDT', 'spot', a.startPrice, undefined, a.tick),
      candles: [],
      funding: [],
    },
    perp: {
      instrument: cryptoInstrument(a.base, 'USDT', 'perp', a.startPrice, undefined, a.tick),
      candles: [],
      funding: [],
    },
  }));
  const bySymbol = new Map<string, SymbolSeries>();
  for (const g of grown) {
    bySymbol.set(g.spot.instrument.symbol, g.spot);
    bySymbol.set(g.perp.instrument.symbol, g.perp);
  }
  let count = 0;
  const step = () => {
    const s = next();
    grown.forEach((g, i) => {
      g.spot.candles.push(s.spot[i]!);
      g.perp.candles.push(s.perp[i]!);
      const f = s.funding[i];
      if (f) g.perp.funding.push(f);
    });
    count += 1;
  };
  step();
  return {
    timeframeMs: tf,
    startTs,
    symbols: [...bySymbol.keys()],
    series: (symbol) => bySymbol.get(symbol),
    ensure: (ts) => {
      while (count < maxBars && startTs + count * tf <= ts) step();
    },
  };
}

/**
 * A seeded synthetic market for BTC, ETH, SOL (spot `X/USDT` and perpetual `X/USDT:USDT`). By default it runs in
 * real time from the clock's now with `warmupBars` of history behind it.
 */
export function createSyntheticMarketData(opts: SyntheticMarketDataOptions): SeriesMarketData {
  const source = syntheticSource(opts);
  const warmup = opts.startTs === undefined ? (opts.warmupBars ?? 500) : 0;
  const mapping = { startIndex: warmup, ...opts.mapping };
  return new SeriesMarketData({ name: `synthetic-${opts.seed}`, clock: opts.clock, source, mapping });
}
