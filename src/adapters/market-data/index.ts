export { loadCandlesCsv, loadFundingCsv, type ParsedCandles, parseCandlesCsv, parseFundingCsv } from './csv-candles.js';
export {
  type CsvMarketDataOptions,
  type CsvSeries,
  createCsvMarketData,
  loadShippedMarketData,
} from './csv-market-data.js';
export { CsvFormatError } from './csv-table.js';
export { ManualClock } from './manual-clock.js';
export { type ReplayMapping, type ReplayTimeline, replayTimeline } from './replay-mapping.js';
export { SeriesMarketData, type SeriesMarketDataOptions } from './series-market-data.js';
export type { SeriesSource, SymbolSeries } from './series-source.js';
export { StockReplayMarketData, type StockReplayOptions } from './stock-replay.js';
export {
  createSyntheticMarketData,
  type SyntheticMarketDataOptions,
  syntheticSource,
} from './synthetic-market-data.js';
