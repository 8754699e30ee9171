import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadCandlesCsv, loadFundingCsv } from '../../adapters/market-data/csv-candles.js';
import { createCsvMarketData } from '../../adapters/market-data/csv-market-data.js';
import { SeriesMarketData } from '../../adapters/market-data/series-market-data.js';
import { syntheticSource } from '../../adapters/market-data/synthetic-market-data.js';
import { ArenaError, type BarSeries, type MarketFrame, type Slot } from '../../core/arena/index.js';
import type { Candle, FundingPoint } from '../../core/market/types.js';
import type { Clock } from '../../ports/clock.js';

export interface SourceOptions {
  readonly clock: Clock;
  readonly seed: number;
  /** Bars to trade (synthetic: generated; CSV: at most this many after the warm-up). */
  readonly bars?: number;
  /** History bars before the first traded bar. */
  readonly warmup: number;
  /** CSV: a funding-rate file for the perpetual (default: `funding_rate_<BASE>USDT*.csv` beside the candles). */
  readonly funding?: string;
}

/** The market an arena runs on: the replay the firewall and venue read, the same bars as typed arrays, provenance. */
export interface ArenaMarketSource {
  readonly market: SeriesMarketData;
  readonly frame: MarketFrame;
  readonly startBar: number;
  readonly endBar: number;
  /** The same bars as candle objects, by unified symbol (what the replay serves). */
  readonly candles: ReadonlyMap<string, readonly Candle[]>;
  readonly data: { readonly source: string; readonly symbols: readonly string[]; readonly sha256: string };
}

const HOUR_MS = 3_600_000;
/** The synthetic market's first bar (the app's synthetic epoch; not imported, to keep ccxt out of the arena). */
const SYNTHETIC_EPOCH = Date.parse('2026-01-01T00:00:00Z');

function series(symbol: string, kind: Slot, candles: readonly Candle[], funding: readonly FundingPoint[]): BarSeries {
  const n = candles.length;
  const col = (f: (c: Candle) => number) => Float64Array.from(candles, f);
  const rates = new Map(funding.map((p) => [p.ts, p.rate] as const));
  return {
    symbol,
    kind,
    ts: col((c) => c.ts),
    open: col((c) => c.open),
    high: col((c) => c.high),
    low: col((c) => c.low),
    close: col((c) => c.close),
    volume: col((c) => c.volume),
    funding: Float64Array.from({ length: n }, (_, i) =>
      kind === 'perp' ? (rates.get(candles[i]!.ts) ?? Number.NaN) : Number.NaN,
    ),
  };
}

function contiguous(candles: readonly Candle[], tf: number, what: string): void {
  for (let i = 1; i < candles.length; i++) {
    if (candles[i]!.ts - candles[i - 1]!.ts !== tf) {
      throw new ArenaError(
        'ARENA_CONFIG_INVALID',
        `${what} has a gap before ${new Date(candles[i]!.ts).toISOString()}`,
      );
    }
  }
}

function window(total: number, o: SourceOptions): { startBar: number; endBar: number } {
  const startBar = Math.min(o.warmup, Math.max(0, total - 2));
  const endBar = o.bars === undefined ? total : Math.min(total, startBar + o.bars);
  if (endBar - startBar < 2) throw new ArenaError('ARENA_CONFIG_INVALID', `only ${total} bars: too few to trade`);
  return { startBar, endBar };
}

function sha256(parts: readonly (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return `sha256:${h.digest('hex')}`;
}

/** `synthetic` (seeded, hourly, BTC) or `csv:PATH` (real candles; the perpetual shares them and gets the funding). */
export async function openSource(spec: string, o: SourceOptions): Promise<ArenaMarketSource> {
  if (spec === 'synthetic' || spec.startsWith('synthetic:')) return synthetic(o);
  if (spec.startsWith('csv:')) return csv(resolve(spec.slice(4)), o);
  throw new ArenaError('ARENA_CONFIG_INVALID', `unknown source ${JSON.stringify(spec)} (synthetic | csv:PATH)`);
}

function synthetic(o: SourceOptions): ArenaMarketSource {
  const total = o.warmup + (o.bars ?? 5_000);
  const source = syntheticSource({
    clock: o.clock,
    seed: o.seed,
    startTs: SYNTHETIC_EPOCH,
    timeframe: '1h',
    maxBars: total,
  });
  source.ensure(SYNTHETIC_EPOCH + (total - 1) * HOUR_MS);
  const spot = source.series('BTC/USDT')!;
  const perp = source.series('BTC/USDT:USDT')!;
  const market = new SeriesMarketData({ name: `synthetic-${o.seed}`, clock: o.clock, source });
  const frame: MarketFrame = {
    timeframeMs: HOUR_MS,
    length: spot.candles.length,
    spot: series(spot.instrument.symbol, 'spot', spot.candles, []),
    perp: series(perp.instrument.symbol, 'perp', perp.candles, perp.funding),
  };
  const bytes = [frame.spot, frame.perp].flatMap((s) => [s.ts, s.open, s.high, s.low, s.close, s.volume, s.funding]);
  return {
    market,
    frame,
    ...window(frame.length, o),
    candles: new Map([
      [frame.spot.symbol, spot.candles],
      [frame.perp.symbol, perp.candles],
    ]),
    data: {
      source: `synthetic:${o.seed}`,
      symbols: [frame.spot.symbol, frame.perp.symbol],
      sha256: sha256(bytes.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength))),
    },
  };
}

function fundingFileFor(path: string, base: string): string | undefined {
  const dir = dirname(path);
  const name = readdirSync(dir)
    .filter((f) => f.toLowerCase().startsWith(`funding_rate_${base.toLowerCase()}usdt`) && f.endsWith('.csv'))
    .sort()[0];
  return name ? join(dir, name) : undefined;
}

async function csv(path: string, o: SourceOptions): Promise<ArenaMarketSource> {
  const base = /([A-Z]{2,10})_?USDT/i.exec(basename(path))?.[1]?.toUpperCase() ?? 'BTC';
  const parsed = await loadCandlesCsv(path);
  contiguous(parsed.candles, parsed.timeframeMs, path);
  const fundingPath = o.funding ? resolve(o.funding) : fundingFileFor(path, base);
  const funding = fundingPath ? await loadFundingCsv(fundingPath) : [];
  const market = createCsvMarketData({
    clock: o.clock,
    name: `csv:${basename(path)}`,
    series: [{ base, candles: parsed, funding }],
  });
  const spotSymbol = market.instrumentOf(`${base}/USDT`)!.symbol;
  const perpSymbol = market.instrumentOf(`${base}/USDT:USDT`)!.symbol;
  const frame: MarketFrame = {
    timeframeMs: parsed.timeframeMs,
    length: parsed.candles.length,
    spot: series(spotSymbol, 'spot', parsed.candles, []),
    perp: series(perpSymbol, 'perp', parsed.candles, funding),
  };
  const files = [path, ...(fundingPath ? [fundingPath] : [])];
  return {
    market,
    frame,
    ...window(frame.length, o),
    candles: new Map([
      [spotSymbol, parsed.candles],
      [perpSymbol, parsed.candles],
    ]),
    data: {
      source: `csv:${files.map((f) => basename(f)).join(',')}`,
      symbols: [spotSymbol, perpSymbol],
      sha256: sha256(files.map((f) => readFileSync(f))),
    },
  };
}
