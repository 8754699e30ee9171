import { readFile } from 'node:fs/promises';
import type { Candle, FundingPoint } from '../../core/market/types.js';
import { CsvFormatError, type CsvTable, findColumn, parseNumber, parseTime, readCsvTable } from './csv-table.js';

const OPEN_TIME = [
  'open_time',
  'opentime',
  'timestamp',
  'time',
  'date',
  'datetime',
  'date_time',
  'open_datetime',
  'ts',
];
const CLOSE_TIME = ['close_time', 'closetime', 'close_datetime', 'close_date'];
const FUNDING_RATE = ['funding_rate', 'fundingrate', 'rate', 'funding'];
const HOUR_MS = 3_600_000;

export interface ParsedCandles {
  readonly candles: readonly Candle[];
  readonly timeframeMs: number;
}

function required(table: CsvTable, names: readonly string[], what: string): string {
  const col = findColumn(table, names);
  if (!col) throw new CsvFormatError(table.file, 1, null, `no ${what} column (looked for ${names.join(', ')})`);
  return col;
}

/** Most common positive gap between consecutive sorted times. */
function inferStep(times: readonly number[], file: string): number {
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  const counts = new Map<number, number>();
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i]! - sorted[i - 1]!;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [d, n] of counts) if (n > bestCount || (n === bestCount && d < best)) [best, bestCount] = [d, n];
  if (!(best > 0)) throw new CsvFormatError(file, 2, null, 'cannot infer the bar length from fewer than two bars');
  return best;
}

/** Sorts by time and keeps the last row for a repeated time (a later row corrects an earlier one). */
function sortDedupe<T extends { readonly ts: number }>(items: readonly T[]): T[] {
  const byTs = new Map<number, T>();
  for (const it of items) byTs.set(it.ts, it);
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}

/**
 * OHLCV candles from CSV text. Headers are matched case-insensitively: a time column (open time, or a close
 * time such as Binance's `Close Time` HH:59:59.999, converted to the bar's open) and open/high/low/close/volume.
 * Rows that are not a valid bar throw CsvFormatError naming file, line and column.
 */
export function parseCandlesCsv(text: string, file: string, opts: { timeframeMs?: number } = {}): ParsedCandles {
  const table = readCsvTable(text, file);
  const openCol = findColumn(table, OPEN_TIME);
  const timeCol = openCol ?? required(table, CLOSE_TIME, 'time');
  const [o, h, l, c, v] = ['open', 'high', 'low', 'close', 'volume'].map((n) => required(table, [n, n[0]!], n)) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const rows = table.rows.map((row) => {
    const t = parseTime(row, file, timeCol);
    const bar = {
      open: parseNumber(row, file, o),
      high: parseNumber(row, file, h),
      low: parseNumber(row, file, l),
      close: parseNumber(row, file, c),
      volume: parseNumber(row, file, v),
    };
    for (const [col, x] of [
      [o, bar.open],
      [h, bar.high],
      [l, bar.low],
      [c, bar.close],
    ] as const) {
      if (!(x > 0)) throw new CsvFormatError(file, row.line, col, `price must be > 0, got ${x}`);
    }
    if (bar.volume < 0) throw new CsvFormatError(file, row.line, v, `volume must be ≥ 0, got ${bar.volume}`);
    if (bar.high < Math.max(bar.open, bar.close, bar.low)) {
      throw new CsvFormatError(file, row.line, h, `high ${bar.high} is below open, close or low`);
    }
    if (bar.low > Math.min(bar.open, bar.close)) {
      throw new CsvFormatError(file, row.line, l, `low ${bar.low} is above open or close`);
    }
    return { t, bar };
  });
  const timeframeMs =
    opts.timeframeMs ??
    inferStep(
      rows.map((r) => r.t),
      file,
    );
  // A close time of HH:59:59.999 (or HH+1:00:00) belongs to the bar that opened at HH:00.
  const toOpen = openCol ? (t: number) => t : (t: number) => Math.ceil(t / timeframeMs) * timeframeMs - timeframeMs;
  const candles = sortDedupe(rows.map(({ t, bar }) => ({ ts: toOpen(t), ...bar })));
  return { candles, timeframeMs };
}

/** Funding rates from CSV text (`timestamp,funding_rate`); times are floored to the hour (exchanges add ms jitter). */
export function parseFundingCsv(text: string, file: string): FundingPoint[] {
  const table = readCsvTable(text, file);
  const timeCol = required(table, [...OPEN_TIME, 'funding_time', 'fundingtime'], 'time');
  const rateCol = required(table, FUNDING_RATE, 'funding rate');
  const points = table.rows.map((row) => {
    const rate = parseNumber(row, file, rateCol);
    if (Math.abs(rate) > 0.1) throw new CsvFormatError(file, row.line, rateCol, `implausible funding rate ${rate}`);
    return { ts: Math.floor(parseTime(row, file, timeCol) / HOUR_MS) * HOUR_MS, rate };
  });
  return sortDedupe(points);
}

export async function loadCandlesCsv(path: string, opts: { timeframeMs?: number } = {}): Promise<ParsedCandles> {
  return parseCandlesCsv(await readFile(path, 'utf8'), path, opts);
}

export async function loadFundingCsv(path: string): Promise<FundingPoint[]> {
  return parseFundingCsv(await readFile(path, 'utf8'), path);
}
