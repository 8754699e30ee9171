import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCandlesCsv, loadFundingCsv, parseCandlesCsv, parseFundingCsv } from './csv-candles.js';
import { CsvFormatError } from './csv-table.js';

const data = (f: string) => fileURLToPath(new URL(`../../../data/${f}`, import.meta.url));
const HOUR = 3_600_000;

describe('CSV candles from the shipped files', () => {
  it('reads all 8,784 hourly BTC bars with the first bar opening 2024-01-01T00:00Z at 42283.58', async () => {
    const { candles, timeframeMs } = await loadCandlesCsv(data('BTCUSDT_1h.csv'));
    expect(candles).toHaveLength(8_784);
    expect(timeframeMs).toBe(HOUR);
    expect(candles[0]).toEqual({
      ts: Date.UTC(2024, 0, 1),
      open: 42283.58,
      high: 42554.57,
      low: 42261.02,
      close: 42475.23,
      volume: 1271.68108,
    });
    expect(candles.at(-1)!.ts).toBe(Date.UTC(2024, 11, 31, 23));
  });

  it('reads the hourly ETH bars as contiguous hours', async () => {
    const { candles } = await loadCandlesCsv(data('ETHUSDT_1h.csv'));
    expect(candles).toHaveLength(8_784);
    expect(candles.every((c, i) => i === 0 || c.ts - candles[i - 1]!.ts === HOUR)).toBe(true);
  });

  it('converts the 1-minute file close times in UTC+01:00 to bar open times in UTC', async () => {
    const { candles, timeframeMs } = await loadCandlesCsv(data('BTCUSDT_1m_3days_2024-12.csv'));
    expect(timeframeMs).toBe(60_000);
    expect(candles).toHaveLength(4_320);
    expect(candles[0]!.ts).toBe(Date.UTC(2024, 10, 30, 23, 0));
    expect(candles[0]!.open).toBe(96466.11);
  });

  it('floors the funding timestamps to the hour and keeps 8-hourly spacing', async () => {
    const points = await loadFundingCsv(data('funding_rate_BTCUSDT_2024.csv'));
    expect(points).toHaveLength(1_098);
    expect(points[0]).toEqual({ ts: Date.UTC(2024, 0, 1), rate: 0.00037409 });
    expect(points.every((p) => p.ts % HOUR === 0)).toBe(true);
  });
});

describe('CSV candles, generic loader', () => {
  it('accepts any header case, epoch-second open times, and sorts and dedupes by time (last row wins)', () => {
    const text = 'TIMESTAMP,Open,HIGH,low,Close,Volume\n120,2,3,1,2,5\n60,1,2,1,2,4\n120,2,4,1,3,6\n';
    const { candles, timeframeMs } = parseCandlesCsv(text, 'x.csv');
    expect(timeframeMs).toBe(60_000);
    expect(candles.map((c) => [c.ts, c.close])).toEqual([
      [60_000, 2],
      [120_000, 3],
    ]);
  });

  it('reads ISO times with a Z or an offset as UTC instants', () => {
    const text =
      'open_time,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,1,1,1,1\n2024-01-01T02:00:00+01:00,1,1,1,1,1\n';
    expect(parseCandlesCsv(text, 'x.csv').candles.map((c) => c.ts)).toEqual([
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 0, 1, 1),
    ]);
  });

  const header = 'time,open,high,low,close,volume\n2024-01-01 00:00,1,2,1,1,1\n';
  const cases: readonly [string, string, number, string | null, RegExp][] = [
    ['a price that is not a number', `${header}2024-01-01 01:00,abc,2,1,1,1\n`, 3, 'open', /not a number/],
    ['a row with a missing field', `${header}2024-01-01 01:00,1,2,1,1\n`, 3, null, /expected 6 fields/],
    ['a high below the close', `${header}2024-01-01 01:00,1,2,1,3,1\n`, 3, 'high', /below/],
    ['a low above the open', `${header}2024-01-01 01:00,1,2,1.5,2,1\n`, 3, 'low', /above/],
    ['a negative volume', `${header}2024-01-01 01:00,1,2,1,1,-1\n`, 3, 'volume', /≥ 0/],
    ['an impossible date', `${header}2024-02-30 01:00,1,2,1,1,1\n`, 3, 'time', /calendar/],
    ['an unreadable time', `${header}yesterday,1,2,1,1,1\n`, 3, 'time', /not a time/],
    ['a file without a close column', 'time,open,high,low,volume\n1,1,1,1,1\n', 1, null, /no close column/],
  ];
  it.each(cases)('rejects %s, naming the file, line and column', (_what, text, line, column, message) => {
    try {
      parseCandlesCsv(text, 'bad.csv', { timeframeMs: HOUR });
      expect.unreachable('the row should have been rejected');
    } catch (e) {
      expect(e).toBeInstanceOf(CsvFormatError);
      const err = e as CsvFormatError;
      expect(err.file).toBe('bad.csv');
      expect(err.line).toBe(line);
      expect(err.column).toBe(column);
      expect(err.message).toMatch(message);
      expect(err.message).toContain(`bad.csv:${line}`);
    }
  });

  it('rejects a funding rate that is not plausible', () => {
    expect(() => parseFundingCsv('timestamp,funding_rate\n2024-01-01 00:00:00.000,5\n', 'f.csv')).toThrow(
      /f.csv:2 column 'funding_rate'/,
    );
  });
});
