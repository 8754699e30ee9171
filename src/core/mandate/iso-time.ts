/**
 * Times in a mandate (`consent.created_at`, `consent.expires_at`) read exactly as Vibe-Trading reads them: Python
 * 3.11's `datetime.fromisoformat` (its C implementation, which CPython uses), with no time zone meaning UTC.
 * Anything it does not accept is no time at all, and a consent whose time cannot be read is treated as expired
 * (fail-closed). `Date.parse` is not used: it reads `"Jan 1 2030"`, reads a zone-less time as the machine's local
 * time, and refuses `20300101T000000Z`, which Vibe-Trading accepts.
 *
 * The grammar is written over the UTF-8 bytes with a NUL after the last one, as the C code walks them, so its
 * corner cases (any single character as the date/time separator, `,` for `.`, a `Z` only at the very end, an
 * offset up to but excluding 24 h, ISO week dates) come out the same. test/interop/iso-time.test.ts checks it
 * against the real `datetime.fromisoformat` in a Python process.
 */

/** An instant: whole epoch milliseconds plus the microseconds beyond them (0–999). */
export interface IsoInstant {
  readonly ms: number;
  readonly us: number;
}

const ENCODER = new TextEncoder();
/** A lone surrogate (with the u flag, a valid pair is one code point and does not match). */
const SURROGATE = /[\ud800-\udfff]/u;

/** `datetime.fromisoformat(text)` as a UTC instant, or null where Python raises. */
export function parseIsoInstant(text: string): IsoInstant | null {
  if (typeof text !== 'string') return null;
  const bytes = utf8WithNul(text);
  if (bytes === null) return null;
  return parseBytes(bytes, bytes.length - 1);
}

/**
 * UTF-8 with a trailing NUL. Python allows a lone surrogate only as the separator at code point 7, 8 or 10 (it
 * becomes `T`); anywhere else the string cannot be encoded and is refused. Fewer than 7 code points: refused.
 */
function utf8WithNul(text: string): Uint8Array | null {
  let s = text;
  const points = Array.from(s);
  if (points.length < 7) return null;
  if (SURROGATE.test(s)) {
    for (const pos of [7, 8, 10]) {
      if (pos > points.length) break;
      const cp = points[pos];
      if (cp !== undefined && cp.length === 1 && SURROGATE.test(cp)) {
        points[pos] = 'T';
        break;
      }
    }
    s = points.join('');
    if (SURROGATE.test(s)) return null;
  }
  const encoded = ENCODER.encode(s);
  const out = new Uint8Array(encoded.length + 1);
  out.set(encoded);
  return out;
}

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** Reads `n` ASCII digits at `pos`; null if any is not one. */
function digits(b: Uint8Array, pos: number, n: number): number | null {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = b[pos + i];
    if (!isDigit(c)) return null;
    v = v * 10 + (c! - 0x30);
  }
  return v;
}

const DASH = 0x2d;
const W = 0x57;

/** Where the date ends and the separator is (byte offset), as CPython decides it; -1 when it cannot tell. */
function separatorAt(b: Uint8Array, len: number): number {
  if (len === 7) return 7;
  if (b[4] === DASH) {
    if (b[5] === W) {
      if (len < 8) return -1;
      if (len > 8 && b[8] === DASH) {
        if (len === 9) return -1;
        if (len > 10 && isDigit(b[10])) return 8;
        return 10;
      }
      return 8;
    }
    return 10;
  }
  if (b[4] === W) {
    let idx = 7;
    for (; idx < len; idx++) if (!isDigit(b[idx])) break;
    if (idx < 9) return idx;
    return idx % 2 === 0 ? 7 : 8;
  }
  return 8;
}

interface Ymd {
  year: number;
  month: number;
  day: number;
}

function parseDate(b: Uint8Array, len: number): Ymd | null {
  const year = digits(b, 0, 4);
  if (year === null) return null;
  let p = 4;
  const sep = b[p] === DASH;
  if (sep) p++;
  if (b[p] === W) {
    p++;
    const week = digits(b, p, 2);
    if (week === null) return null;
    p += 2;
    let weekday = 1;
    if (p < len) {
      if (sep && b[p++] !== DASH) return null;
      const d = digits(b, p, 1);
      if (d === null) return null;
      weekday = d;
    }
    return isoWeekToDate(year, week, weekday);
  }
  const month = digits(b, p, 2);
  if (month === null) return null;
  p += 2;
  if (sep && b[p++] !== DASH) return null;
  const day = digits(b, p, 2);
  if (day === null) return null;
  return { year, month, day };
}

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (any year). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(z: number): Ymd {
  const zz = z + 719_468;
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** `date.fromisocalendar`: week 1–52 (53 in a long ISO year), weekday 1–7, year 1–9999. */
function isoWeekToDate(year: number, week: number, weekday: number): Ymd | null {
  if (year < 1 || year > 9999) return null;
  // 0 = Monday … 6 = Sunday, for 1 January (1970-01-01 was a Thursday).
  const jan1 = (((daysFromCivil(year, 1, 1) + 3) % 7) + 7) % 7;
  if (!(week > 0 && week < 53)) {
    const longYear = week === 53 && (jan1 === 3 || (jan1 === 2 && isLeap(year)));
    if (!longYear) return null;
  }
  if (!(weekday > 0 && weekday < 8)) return null;
  // Monday of ISO week 1: the week with the year's first Thursday.
  const week1Monday = daysFromCivil(year, 1, 1) - jan1 + (jan1 > 3 ? 7 : 0);
  return civilFromDays(week1Monday + (week - 1) * 7 + (weekday - 1));
}

interface Hms {
  h: number;
  m: number;
  s: number;
  us: number;
  /** 1 when something other than the end of the string follows (the C code's "not at the end"). */
  more: number;
}

const CORRECTION = [100_000, 10_000, 1_000, 100, 10];

/** `parse_hh_mm_ss_ff`: HH[:?MM[:?SS[{.,}f…]]] between `start` and `end`; null where the C code returns < 0. */
function parseHms(b: Uint8Array, start: number, end: number): Hms | null {
  const vals = [0, 0, 0];
  let p = start;
  let sep = true;
  for (let i = 0; i < 3; i++) {
    const v = digits(b, p, 2);
    if (v === null) return null;
    vals[i] = v;
    p += 2;
    const c = b[p++]!;
    if (i === 0) sep = c === 0x3a;
    if (p >= end) return { h: vals[0]!, m: vals[1]!, s: vals[2]!, us: 0, more: c !== 0 ? 1 : 0 };
    if (sep && c === 0x3a) continue;
    if (c === 0x2e || c === 0x2c) break;
    if (!sep) p--;
    else return null;
  }
  // Whatever follows (after `.`/`,`, or a fourth group) is read as the fraction, as the C code does.
  const remains = end - p;
  const toParse = remains >= 6 ? 6 : remains;
  if (toParse <= 0) return null;
  let us = digits(b, p, toParse);
  if (us === null) return null;
  p += toParse;
  if (toParse < 6) us *= CORRECTION[toParse - 1]!;
  while (isDigit(b[p])) p++;
  return { h: vals[0]!, m: vals[1]!, s: vals[2]!, us, more: b[p] !== 0 ? 1 : 0 };
}

interface TimePart {
  readonly hms: Hms;
  /** Offset east of UTC in microseconds; null: no zone (UTC, for Vibe-Trading). */
  readonly offsetUs: number | null;
}

function parseTime(b: Uint8Array, start: number, end: number): TimePart | null {
  let tz = start;
  do {
    const c = b[tz];
    if (c === 0x5a || c === 0x2b || c === DASH) break;
  } while (++tz < end);
  const hms = parseHms(b, start, tz);
  if (hms === null) return null;
  if (tz === end) return hms.more === 1 ? null : { hms, offsetUs: null };
  if (b[tz] === 0x5a) return b[tz + 1] !== 0 ? null : { hms, offsetUs: 0 };
  const sign = b[tz] === DASH ? -1 : 1;
  const off = parseHms(b, tz + 1, end);
  if (off === null || off.more !== 0) return null;
  const seconds = sign * (off.h * 3600 + off.m * 60 + off.s);
  // A whole-second offset of zero is UTC (its microseconds are dropped, as CPython does).
  if (seconds === 0) return { hms, offsetUs: 0 };
  const offsetUs = seconds * 1_000_000 + sign * off.us;
  if (!(Math.abs(offsetUs) < 86_400_000_000)) return null;
  return { hms, offsetUs };
}

function daysIn(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function parseBytes(b: Uint8Array, len: number): IsoInstant | null {
  const at = separatorAt(b, len);
  if (at < 0) return null;
  const date = parseDate(b, at);
  if (date === null) return null;
  let time: TimePart = { hms: { h: 0, m: 0, s: 0, us: 0, more: 0 }, offsetUs: null };
  if (len > at) {
    // The separator is any one character: skip its UTF-8 bytes.
    const lead = b[at]!;
    const width = (lead & 0x80) === 0 ? 1 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf0) === 0xf0 ? 4 : 2;
    const parsed = parseTime(b, at + width, len);
    if (parsed === null) return null;
    time = parsed;
  }
  const { year, month, day } = date;
  const { h, m, s, us } = time.hms;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (h > 23 || m > 59 || s > 59) return null;
  const localUs = us + (time.offsetUs === null ? 0 : -time.offsetUs);
  const wholeMs = (daysFromCivil(year, month, day) * 86_400 + h * 3600 + m * 60 + s) * 1000;
  const extraMs = Math.floor(localUs / 1000);
  return { ms: wholeMs + extraMs, us: localUs - extraMs * 1000 };
}

/** The instant's epoch milliseconds, rounded up, so that `now >= expiryMs(t)` is Python's `now >= t`. */
export function ceilMs(t: IsoInstant): number {
  return t.us > 0 ? t.ms + 1 : t.ms;
}
