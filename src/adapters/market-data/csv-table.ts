/** A CSV problem, pinned to the file, the 1-based line and the column it was found in. */
export class CsvFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | null,
    readonly problem: string,
  ) {
    super(`${file}:${line}${column ? ` column '${column}'` : ''}: ${problem}`);
    this.name = 'CsvFormatError';
  }
}

export interface CsvRow {
  readonly line: number;
  readonly get: (column: string) => string;
}

export interface CsvTable {
  readonly file: string;
  /** Header names normalised: lower case, trimmed, spaces and dashes as underscores. */
  readonly columns: readonly string[];
  readonly rows: readonly CsvRow[];
}

export function normaliseHeader(name: string): string {
  return name
    .trim()
    .replace(/^"|"$/g, '')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function splitLine(line: string): string[] {
  return line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

/** Splits simple CSV text (comma-separated, no embedded commas or newlines in fields). Blank lines are skipped. */
export function readCsvTable(text: string, file: string): CsvTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) throw new CsvFormatError(file, 1, null, 'the file is empty (no header line)');
  const columns = splitLine(lines[headerAt]!).map(normaliseHeader);
  const index = new Map(columns.map((c, i) => [c, i] as const));
  const rows: CsvRow[] = [];
  for (let i = headerAt + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const fields = splitLine(raw);
    const line = i + 1;
    if (fields.length !== columns.length) {
      throw new CsvFormatError(file, line, null, `expected ${columns.length} fields, found ${fields.length}`);
    }
    rows.push({
      line,
      get: (column) => {
        const at = index.get(column);
        if (at === undefined) throw new CsvFormatError(file, line, column, 'no such column');
        return fields[at]!;
      },
    });
  }
  return { file, columns, rows };
}

/** The first header in `table` among `candidates` (already normalised), or null. */
export function findColumn(table: CsvTable, candidates: readonly string[]): string | null {
  return candidates.find((c) => table.columns.includes(c)) ?? null;
}

export function parseNumber(row: CsvRow, file: string, column: string): number {
  const text = row.get(column);
  const n = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(n)) throw new CsvFormatError(file, row.line, column, `not a number: "${text}"`);
  return n;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch ms from a time field: epoch seconds / ms / µs (by magnitude), or `YYYY-MM-DD[ HH:MM[:SS[.fff…]]][Z|±HH:MM]`.
 * A date-time without a zone is UTC (never the machine's local time).
 */
export function parseTime(row: CsvRow, file: string, column: string): number {
  const text = row.get(column);
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    if (n < 1e11) return Math.round(n * 1000);
    if (n < 1e14) return Math.round(n);
    return Math.round(n / 1000);
  }
  const m = DATE_TIME.exec(text);
  if (!m) throw new CsvFormatError(file, row.line, column, `not a time: "${text}"`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let ts = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const back = new Date(ts);
  if (back.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new CsvFormatError(file, row.line, column, `not a valid calendar time: "${text}"`);
  }
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ts -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ts;
}
