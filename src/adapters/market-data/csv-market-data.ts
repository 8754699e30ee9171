import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cryptoInstrument, observedTick } from '../../core/market/instrument-spec.js';
import type { FundingPoint } from '../../core/market/types.js';
import type { Clock } from '../../ports/clock.js';
import { loadCandlesCsv, loadFundingCsv, type ParsedCandles } from './csv-candles.js';
import type { ReplayMapping } from './replay-mapping.js';
import { SeriesMarketData } from './series-market-data.js';
import { type SymbolSeries, staticSource } from './series-source.js';

export interface CsvSeries {
  readonly base: string;
  readonly quote?: string;
  readonly candles: ParsedCandles;
  /** Funding for the perpetual; without it the perpetual pays no funding. */
  readonly funding?: readonly FundingPoint[];
}

export interface CsvMarketDataOptions {
  readonly clock: Clock;
  readonly series: readonly CsvSeries[];
  readonly mapping?: Partial<ReplayMapping>;
  readonly name?: string;
}

/**
 * A replay of real candles. Each series serves its spot symbol and its linear perpetual (same bars; the
 * perpetual also gets the funding series). All series must share one timeframe.
 */
export function createCsvMarketData(opts: CsvMarketDataOptions): SeriesMarketData {
  const tf = opts.series[0]?.candles.timeframeMs;
  if (tf === undefined) throw new Error('createCsvMarketData: no series given');
  const entries: SymbolSeries[] = [];
  for (const s of opts.series) {
    if (s.candles.timeframeMs !== tf) {
      throw new Error(`createCsvMarketData: ${s.base} has bars of ${s.candles.timeframeMs} ms, others ${tf} ms`);
    }
    const ref = s.candles.candles[0]?.open ?? 1;
    const quote = s.quote ?? 'USDT';
    const tick = observedTick(s.candles.candles.slice(0, 200).flatMap((c) => [c.open, c.high, c.low, c.close]));
    const spot = cryptoInstrument(s.base, quote, 'spot', ref, undefined, tick);
    entries.push({ instrument: spot, candles: s.candles.candles, funding: [] });
    entries.push({
      instrument: cryptoInstrument(s.base, quote, 'perp', ref, undefined, tick),
      candles: s.candles.candles,
      funding: s.funding ?? [],
    });
  }
  return new SeriesMarketData({
    name: opts.name ?? 'csv-replay',
    clock: opts.clock,
    source: staticSource(tf, entries),
    mapping: opts.mapping ?? {},
  });
}

/** The real 2024 hourly BTC and ETH bars shipped in `data/`, with BTC perpetual funding. */
export async function loadShippedMarketData(
  clock: Clock,
  opts: { dataDir?: string; mapping?: Partial<ReplayMapping> } = {},
): Promise<SeriesMarketData> {
  const dir = opts.dataDir ?? fileURLToPath(new URL('../../../data/', import.meta.url));
  const [btc, eth, funding] = await Promise.all([
    loadCandlesCsv(join(dir, 'BTCUSDT_1h.csv')),
    loadCandlesCsv(join(dir, 'ETHUSDT_1h.csv')),
    loadFundingCsv(join(dir, 'funding_rate_BTCUSDT_2024.csv')),
  ]);
  return createCsvMarketData({
    clock,
    name: 'binance-2024-1h',
    series: [
      { base: 'BTC', candles: btc, funding },
      { base: 'ETH', candles: eth },
    ],
    mapping: opts.mapping ?? {},
  });
}
