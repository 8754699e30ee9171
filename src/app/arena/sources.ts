import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadCandlesCsv, loadFundingCsv, type ParsedCandles } from '../../adapters/market-data/csv-candles.js';
import { createCsvMarketData } from '../../adapters/market-data/csv-market-data.js';
import { SeriesMarketData } from '../../adapters/market-data/series-market-data.js';
import { syntheticSource } from '../../adapters/market-data/synthetic-market-data.js';
import { ArenaError, type BarSeries, type MarketFrame, type Slot } from '../../core/arena/index.js';
import { parseSymbol } from '../../core/market/symbols.js';
import type { Candle, FundingPoint } from '../../core/market/types.js';
import type { PaperMarketView } from '../../core/paper/market-view.js';
import { mulberry32, normalSampler, randomInt } from '../../core/stats/rng.js';
import type { Clock } from '../../ports/clock.js';
import { type MarketData, TIMEFRAME_MS, type Timeframe } from '../../ports/market-data.js';
import { type SessionsReport, stockSource } from './stock-source.js';

export interface SourceOptions {
  readonly clock: Clock;
  readonly seed: number;
  /** Bars to trade (synthetic: generated; CSV: at most this many after the warm-up). */
  readonly bars?: number;
  /** History bars before the first traded bar. */
  readonly warmup: number;
  /** CSV: a funding-rate file for the perpetual (default: `funding_rate_<BASE>USDT*.csv` beside the candles). */
  readonly funding?: string;
  /** CSV and shuffled sources: bars of the file skipped before the run's first (warm-up) bar (a study's window). */
  readonly offset?: number;
  /**
   * Venue sources in a live run: the open time of the first traded bar (the bar in progress when the run first
   * started, pinned in the state directory so a restart trades the same bars). The source then waits for bars that
   * close after the start instead of trading the most recent closed ones.
   */
  readonly venueStart?: number;
  /**
   * Followed venue feeds: a file (JSON lines) keeping every bar the venue served, so a restart reads the bars already
   * traded from it instead of from the venue, and the run is not bound to what one venue page reaches.
   */
  readonly venueJournal?: string;
}

/** A replay an arena drives: the firewall's market data, the paper venue's view, and each bar's clock time. */
export type ArenaReplay = MarketData & PaperMarketView & { clockTimeOfBar(index: number): number };

/** The market an arena runs on: the replay the firewall and venue read, the same bars as typed arrays, provenance. */
export interface ArenaMarketSource {
  readonly market: ArenaReplay;
  readonly frame: MarketFrame;
  readonly startBar: number;
  readonly endBar: number;
  /**
   * The same bars as candle objects, by unified symbol (what the replay serves), for direct lookup by the paper
   * venue; empty where the replay's bars are not one every `frame.timeframeMs` (a stock's sessions).
   */
  readonly candles: ReadonlyMap<string, readonly Candle[]>;
  /** A market that trades in sessions (a stock): its calendar and the closed days the run crossed. */
  readonly sessions?: SessionsReport;
  readonly data: { readonly source: string; readonly symbols: readonly string[]; readonly sha256: string };
  /** A venue feed's bars and funding as fetched, kept in the run folder (source.json) so a replay needs no venue. */
  readonly recording?: SourceRecording;
  /**
   * Live venue feeds: resolves once bar `bar` has closed at the venue and is in the frame (polling the venue), or
   * rejects when `signal` aborts. Sources whose bars are all known up front have none.
   */
  readonly waitFor?: (bar: number, signal?: AbortSignal) => Promise<void>;
}

/** What `ccxt:` fetched, enough to rebuild the same market without the venue (`recorded:PATH/source.json`). */
export interface SourceRecording {
  readonly arena_source: 1;
  readonly name: string;
  readonly source: string;
  readonly base: string;
  readonly timeframe_ms: number;
  readonly candles: readonly Candle[];
  readonly funding: readonly FundingPoint[];
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
  if (spec === 'null') return nullWalk(o);
  if (spec.startsWith('shuffled:')) return shuffled(resolve(spec.slice(9)), o);
  if (spec.startsWith('ccxt:')) return venueFeed(spec, o);
  if (spec.startsWith('recorded:')) return recorded(resolve(spec.slice(9)), o);
  if (spec.startsWith('stock:')) return stockSource(spec, o);
  throw new ArenaError(
    'ARENA_CONFIG_INVALID',
    `unknown source ${JSON.stringify(spec)} (synthetic | csv:PATH | stock:PATH[@YYYY-MM-DD] | ccxt:VENUE:SYMBOL[@TF])`,
  );
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
  const perpSeries = series(perp.instrument.symbol, 'perp', perp.candles, perp.funding);
  const frame: MarketFrame = {
    timeframeMs: HOUR_MS,
    length: spot.candles.length,
    spot: series(spot.instrument.symbol, 'spot', spot.candles, []),
    perp: perpSeries,
  };
  const bytes = [frame.spot, perpSeries].flatMap((s) => [s.ts, s.open, s.high, s.low, s.close, s.volume, s.funding]);
  return {
    market,
    frame,
    ...window(frame.length, o),
    candles: new Map([
      [frame.spot.symbol, spot.candles],
      [perpSeries.symbol, perp.candles],
    ]),
    data: {
      source: `synthetic:${o.seed}`,
      symbols: [frame.spot.symbol, perpSeries.symbol],
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

/** The bars of a study's window: `offset` bars skipped, then warm-up plus `bars` (all of the rest without `bars`). */
function windowOf(parsed: ParsedCandles, o: SourceOptions, what: string): ParsedCandles {
  const offset = o.offset ?? 0;
  if (offset === 0) return parsed;
  if (offset + o.warmup + 2 > parsed.candles.length)
    throw new ArenaError(
      'ARENA_CONFIG_INVALID',
      `${what} has ${parsed.candles.length} bars: a window at bar ${offset} with ${o.warmup} warm-up bars does not fit`,
    );
  const end = o.bars === undefined ? parsed.candles.length : offset + o.warmup + o.bars;
  return { ...parsed, candles: parsed.candles.slice(offset, end) };
}

async function csv(path: string, o: SourceOptions): Promise<ArenaMarketSource> {
  const base = /([A-Z]{2,10})_?USDT/i.exec(basename(path))?.[1]?.toUpperCase() ?? 'BTC';
  const parsed = windowOf(await loadCandlesCsv(path), o, path);
  contiguous(parsed.candles, parsed.timeframeMs, path);
  const fundingPath = o.funding ? resolve(o.funding) : fundingFileFor(path, base);
  const funding = fundingPath ? await loadFundingCsv(fundingPath) : [];
  const files = [path, ...(fundingPath ? [fundingPath] : [])];
  return fromCandles(o, base, parsed, funding, {
    name: `csv:${basename(path)}`,
    source: `csv:${files.map((f) => basename(f)).join(',')}`,
    bytes: files.map((f) => readFileSync(f)),
  });
}

/** The market an arena runs on, from one base asset's candles (spot and its perpetual) and the perp's funding. */
function fromCandles(
  o: SourceOptions,
  base: string,
  parsed: ParsedCandles,
  funding: readonly FundingPoint[],
  provenance: { readonly name: string; readonly source: string; readonly bytes: readonly (string | Uint8Array)[] },
): ArenaMarketSource {
  const market = createCsvMarketData({
    clock: o.clock,
    name: provenance.name,
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
  return {
    market,
    frame,
    ...window(frame.length, o),
    candles: new Map([
      [spotSymbol, parsed.candles],
      [perpSymbol, parsed.candles],
    ]),
    data: { source: provenance.source, symbols: [spotSymbol, perpSymbol], sha256: sha256(provenance.bytes) },
  };
}

const TIMEFRAMES: readonly Timeframe[] = ['1m', '5m', '15m', '1h', '4h', '1d'];

/**
 * A venue's public candles through ccxt (no keys): `ccxt:VENUE:SYMBOL[@TIMEFRAME]`, e.g.
 * `ccxt:bybit:BTC/USDT:USDT@1m`. The most recent closed bars are fetched when the run starts (warm-up plus
 * `--bars`, as many as the venue returns in one page); ARBITER_VENUE_MODE and ARBITER_VENUE_URL choose the
 * endpoints (testnet, a proxy, the local emulator).
 */
async function venueFeed(spec: string, o: SourceOptions): Promise<ArenaMarketSource> {
  const m = /^ccxt:([a-z0-9]+):([^@]+)(?:@([0-9a-z]+))?$/.exec(spec);
  const tf = (m?.[3] ?? '1h') as Timeframe;
  const symbol = m ? parseSymbol(m[2]!) : null;
  if (!m || !symbol || !TIMEFRAMES.includes(tf))
    throw new ArenaError(
      'ARENA_CONFIG_INVALID',
      `venue source must be ccxt:VENUE:SYMBOL[@${TIMEFRAMES.join('|')}]; got ${JSON.stringify(spec)}`,
    );
  const { createCcxtAdapters } = await import('../../adapters/venues/ccxt/index.js');
  const mode = (process.env.ARBITER_VENUE_MODE ?? 'live') as 'live' | 'testnet' | 'demo';
  const url = process.env.ARBITER_VENUE_URL;
  const { marketData } = createCcxtAdapters({
    exchangeId: m[1]!,
    mode,
    ...(url ? { baseUrl: url } : {}),
    symbols: [symbol.symbol],
  });
  if (o.venueStart !== undefined)
    return followedFeed(spec, o, o.venueStart, TIMEFRAME_MS[tf], symbol, (limit) =>
      marketData.candles(symbol.symbol, tf, limit),
    );
  const want = Math.min(1_000, o.warmup + (o.bars ?? 500));
  const candles = await marketData.candles(symbol.symbol, tf, want);
  if (candles.length < 3)
    throw new ArenaError(
      'ARENA_CONFIG_INVALID',
      `${m[1]} returned ${candles.length} closed ${tf} bars of ${symbol.symbol}`,
    );
  const tfMs = TIMEFRAME_MS[tf];
  contiguous(candles, tfMs, `${m[1]} ${symbol.symbol} ${tf}`);
  const perp = `${symbol.base}/${symbol.quote}:${symbol.quote}`;
  const funding = await marketData.fundingHistory(perp, 200).catch(() => []);
  const recording: SourceRecording = {
    arena_source: 1,
    name: `${m[1]}:${symbol.symbol}@${tf}`,
    source: spec,
    base: symbol.base,
    timeframe_ms: tfMs,
    candles,
    funding,
  };
  return { ...fromRecording(recording, o), recording };
}

/** The market of a recording: the same name, provenance and hash as when its venue was asked. */
function fromRecording(r: SourceRecording, o: SourceOptions): ArenaMarketSource {
  return fromCandles(o, r.base, { candles: [...r.candles], timeframeMs: r.timeframe_ms }, r.funding, {
    name: r.name,
    source: r.source,
    bytes: [JSON.stringify(r.candles), JSON.stringify(r.funding)],
  });
}

/** A venue feed as a run recorded it (its source.json): no venue is asked. */
async function recorded(path: string, o: SourceOptions): Promise<ArenaMarketSource> {
  let r: SourceRecording;
  try {
    r = JSON.parse(readFileSync(path, 'utf8')) as SourceRecording;
  } catch (e) {
    throw new ArenaError('ARENA_CONFIG_INVALID', `${path}: not a readable source recording (${(e as Error).message})`);
  }
  if (r?.arena_source !== 1 || !Array.isArray(r.candles) || !Array.isArray(r.funding))
    throw new ArenaError('ARENA_CONFIG_INVALID', `${path}: not a source recording (arena_source 1, candles, funding)`);
  return { ...fromRecording(r, o), recording: r };
}

/** How many bars a followed venue feed trades without `--bars`; warm-up plus bars stay within one page. */
const FOLLOW_BARS = 500;
/** The most bars one venue page returns (the feed re-reads its window from the newest page). */
const PAGE = 1_000;
/** How long to wait before asking again when a bar that should have closed is not yet served. */
const REPOLL_MS = 1_000;

/** A venue source's bar length in milliseconds (undefined: not a venue source). */
export function venueTimeframeMs(spec: string): number | undefined {
  const m = /^ccxt:[a-z0-9]+:[^@]+(?:@([0-9a-z]+))?$/.exec(spec);
  return m ? TIMEFRAME_MS[(m[1] ?? '1h') as Timeframe] : undefined;
}

/** The open time of the bar in progress now on a venue source's timeframe (a followed feed's first traded bar). */
export function venueStartNow(spec: string, now: number): number | undefined {
  const tfMs = venueTimeframeMs(spec);
  return tfMs === undefined ? undefined : Math.floor(now / tfMs) * tfMs;
}

/**
 * A venue feed that keeps coming: the warm-up bars before `first` now, then each traded bar once it has closed at
 * the venue. The frame is laid out for every bar up front (open times known, prices filled as bars close), so the
 * engine, the replay and the venue read the same arrays as they grow. A restart with the same `first` re-reads the
 * bars already traded from the venue and waits for the rest.
 */
async function followedFeed(
  spec: string,
  o: SourceOptions,
  first: number,
  tfMs: number,
  symbol: NonNullable<ReturnType<typeof parseSymbol>>,
  fetch: (limit: number) => Promise<readonly Candle[]>,
): Promise<ArenaMarketSource> {
  const bars = o.bars ?? FOLLOW_BARS;
  const total = o.warmup + bars;
  if (o.venueJournal === undefined && total > PAGE)
    throw new ArenaError(
      'ARENA_CONFIG_INVALID',
      `a live venue feed keeps warm-up plus bars within one page of ${PAGE}; got ${o.warmup} + ${bars}`,
    );
  if (o.warmup >= PAGE)
    throw new ArenaError(
      'ARENA_CONFIG_INVALID',
      `a live venue feed reads its warm-up from one page of ${PAGE} bars; got --warmup ${o.warmup}`,
    );
  const from = first - o.warmup * tfMs;
  const candles: Candle[] = [];
  const ts = Float64Array.from({ length: total }, (_, i) => from + i * tfMs);
  const col = () => new Float64Array(total).fill(Number.NaN);
  const cols = { open: col(), high: col(), low: col(), close: col(), volume: col() };
  const mk = (s: string, kind: Slot): BarSeries => ({
    symbol: s,
    kind,
    ts,
    ...cols,
    funding: new Float64Array(total).fill(Number.NaN),
  });
  const what = `${spec.slice(5)}`;
  /** Takes the next bar of the window if `c` is it; true when taken. */
  const take = (c: Candle): boolean => {
    const i = (c.ts - from) / tfMs;
    if (i !== candles.length || i >= total) return false;
    candles.push(c);
    cols.open[i] = c.open;
    cols.high[i] = c.high;
    cols.low[i] = c.low;
    cols.close[i] = c.close;
    cols.volume[i] = c.volume;
    return true;
  };
  const journal = o.venueJournal ? openJournal(o.venueJournal) : null;
  for (const c of journal?.candles ?? []) if (!take(c)) break;
  /** Reads the venue's newest page and appends every closed bar of the window not yet held. */
  const pull = async (): Promise<void> => {
    const have = candles.length;
    if (have >= total) return;
    const behind = Math.ceil((Date.now() - (from + have * tfMs)) / tfMs) + 1;
    const page = await fetch(Math.min(PAGE, Math.max(2, behind)));
    const taken: Candle[] = [];
    for (const c of page) if (take(c)) taken.push(c);
    journal?.append(taken);
    const next = from + candles.length * tfMs;
    if (taken.length === 0 && candles.length < total && page.length > 0 && page[0]!.ts > next)
      throw new ArenaError(
        'ARENA_CONFIG_INVALID',
        `${what}: the venue's newest page starts at ${new Date(page[0]!.ts).toISOString()}, after the next bar to trade (${new Date(next).toISOString()}): the bars in between are out of its reach`,
      );
  };
  await pull();
  if (candles.length < o.warmup)
    throw new ArenaError(
      'ARENA_CONFIG_INVALID',
      `${what}: the venue serves ${candles.length} of the ${o.warmup} warm-up bars before ${new Date(first).toISOString()} (the newest page reaches ${PAGE} bars back)`,
    );
  if (candles.length === 0)
    throw new ArenaError('ARENA_CONFIG_INVALID', `${what}: a live venue feed needs at least one warm-up bar`);
  const base = fromCandles({ ...o, offset: 0, bars: undefined }, symbol.base, { candles, timeframeMs: tfMs }, [], {
    name: `${what}@live`,
    source: spec,
    bytes: [],
  });
  const spotSymbol = base.frame.spot.symbol;
  const perpSymbol = base.frame.perp!.symbol; // fromCandles always lays out the perpetual
  const frame: MarketFrame = {
    timeframeMs: tfMs,
    length: total,
    spot: mk(spotSymbol, 'spot'),
    perp: mk(perpSymbol, 'perp'),
  };
  return {
    ...base,
    frame,
    startBar: o.warmup,
    endBar: total,
    data: {
      source: spec,
      symbols: [spotSymbol, perpSymbol],
      get sha256() {
        return sha256([JSON.stringify(candles)]);
      },
    },
    waitFor: async (bar: number, signal?: AbortSignal) => {
      if (bar >= total) return;
      const opts = signal ? { signal } : undefined;
      for (let asked = false; candles.length <= bar; asked = true) {
        const wait = from + (bar + 1) * tfMs - Date.now();
        if (wait > 0) await sleep(wait, undefined, opts);
        else if (asked) await sleep(REPOLL_MS, undefined, opts); // closed by the clock but not served yet: ask again shortly
        signal?.throwIfAborted();
        await pull();
      }
    },
  };
}

/**
 * The bars a followed feed has received, one JSON candle a line, appended (and flushed) as they arrive. A line cut
 * short by a crash is dropped when the file is read back (and the file rewritten without it).
 */
function openJournal(path: string): { candles: Candle[]; append(c: readonly Candle[]): void } {
  const candles: Candle[] = [];
  if (existsSync(path)) {
    const lines = readFileSync(path, 'utf8').split('\n');
    let good = 0;
    for (const line of lines) {
      if (line === '') continue;
      try {
        candles.push(JSON.parse(line) as Candle);
        good += 1;
      } catch {
        break;
      }
    }
    if (good !== lines.filter((l) => l !== '').length)
      writeFileSync(path, candles.map((c) => `${JSON.stringify(c)}\n`).join(''));
  }
  return {
    candles,
    append(c) {
      if (c.length > 0) appendFileSync(path, c.map((x) => `${JSON.stringify(x)}\n`).join(''));
    },
  };
}

/** Bars of the same length as a shuffled real block: one day of hourly bars keeps the intraday shape. */
export const SHUFFLE_BLOCK = 24;
/** The null random walk's hourly volatility: BTC's synthetic 55 % a year. */
const NULL_HOURLY_VOL = 0.55 / Math.sqrt(8_760);

/** Candles from per-bar log returns and bar shapes (open, high, low as ratios to the close), first close `start`. */
function candlesFrom(
  ts: readonly number[],
  start: number,
  bars: readonly { r: number; open: number; high: number; low: number; volume: number }[],
): Candle[] {
  let close = start;
  return bars.map((b, i) => {
    close *= Math.exp(b.r);
    const open = close * b.open;
    const round = (x: number) => Number(x.toFixed(2));
    const c = round(close);
    const op = round(open);
    return {
      ts: ts[i]!,
      open: op,
      high: Math.max(op, c, round(close * b.high)),
      low: Math.min(op, c, round(close * b.low)),
      close: c,
      volume: b.volume,
    };
  });
}

/** Subtracts the mean log return: the path ends where it started, so holding it earns nothing but noise. */
function withoutDrift<T extends { r: number }>(bars: T[]): T[] {
  const m = bars.reduce((s, b) => s + b.r, 0) / bars.length;
  return bars.map((b) => ({ ...b, r: b.r - m }));
}

/**
 * A null market (a study's control): a zero-drift Gaussian random walk of BTC's volatility, hourly, seeded. Nothing
 * in it can be predicted — no trend, no volatility regime, no funding — so any return an agent earns on it is luck.
 */
function nullWalk(o: SourceOptions): ArenaMarketSource {
  const total = o.warmup + (o.bars ?? 5_000);
  const rng = mulberry32(o.seed);
  const normal = normalSampler(rng);
  const bars = withoutDrift(
    Array.from({ length: total }, () => {
      const wick = 1 + Math.abs(normal()) * NULL_HOURLY_VOL * 0.5;
      return { r: NULL_HOURLY_VOL * normal(), open: 1, high: wick, low: 1 / wick, volume: 1_200 };
    }),
  );
  // Each bar opens at the previous close: the shape's open ratio is fixed up after the closes are known.
  const ts = Array.from({ length: total }, (_, i) => SYNTHETIC_EPOCH + i * HOUR_MS);
  const closes = candlesFrom(ts, 60_000, bars);
  const candles = closes.map((c, i) => {
    const open = i === 0 ? 60_000 : closes[i - 1]!.close;
    return { ...c, open, high: Math.max(c.high, open), low: Math.min(c.low, open) };
  });
  return fromCandles({ ...o, offset: 0 }, 'BTC', { candles, timeframeMs: HOUR_MS }, [], {
    name: `null-${o.seed}`,
    source: `null:${o.seed}`,
    bytes: [JSON.stringify(candles)],
  });
}

/**
 * A null market from real candles: the window's bars cut into blocks of SHUFFLE_BLOCK, the blocks put in a seeded
 * random order and the drift taken out. Volatility, fat tails and intraday shape stay; trend, momentum across
 * blocks and the carry of funding are gone.
 */
async function shuffled(path: string, o: SourceOptions): Promise<ArenaMarketSource> {
  const base = /([A-Z]{2,10})_?USDT/i.exec(basename(path))?.[1]?.toUpperCase() ?? 'BTC';
  const parsed = windowOf(await loadCandlesCsv(path), o, path);
  contiguous(parsed.candles, parsed.timeframeMs, path);
  const c = parsed.candles;
  const shapes = c.slice(1).map((k, i) => ({
    r: Math.log(k.close / c[i]!.close),
    open: k.open / k.close,
    high: k.high / k.close,
    low: k.low / k.close,
    volume: k.volume,
  }));
  const blocks: (typeof shapes)[] = [];
  for (let i = 0; i < shapes.length; i += SHUFFLE_BLOCK) blocks.push(shapes.slice(i, i + SHUFFLE_BLOCK));
  const rng = mulberry32(o.seed);
  for (let i = blocks.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!];
  }
  const bars = withoutDrift(blocks.flat());
  const candles = [
    c[0]!,
    ...candlesFrom(
      c.slice(1).map((k) => k.ts),
      c[0]!.close,
      bars,
    ),
  ];
  return fromCandles({ ...o, offset: 0 }, base, { candles, timeframeMs: parsed.timeframeMs }, [], {
    name: `shuffled:${basename(path)}`,
    source: `shuffled:${basename(path)}@${o.offset ?? 0}#${o.seed}`,
    bytes: [JSON.stringify(candles)],
  });
}
