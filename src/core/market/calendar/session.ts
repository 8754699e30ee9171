import { civilDate, nyseEarlyCloses, nyseHolidays } from './nyse.js';
import { instantOf, wallTime, weekdayOf } from './zoned.js';

/**
 * When an instrument trades. Absent on an instrument, or `always`: around the clock (crypto). `us_equity`: the New
 * York Stock Exchange's sessions, early closes and holidays. `venue`: the venue's own hours (tokenized stocks), on
 * the listed ISO weekdays, `open`–`close` wall-clock time in `tz` (`close` may be `24:00`).
 */
export type TradingCalendar =
  | { readonly kind: 'always' }
  | { readonly kind: 'us_equity' }
  | {
      readonly kind: 'venue';
      readonly tz: string;
      /** ISO weekdays the venue trades: 1 Monday … 7 Sunday. */
      readonly days: readonly number[];
      readonly open: string;
      readonly close: string;
    };

export type SessionPhase = 'regular' | 'extended' | 'closed';

export interface SessionState {
  readonly phase: SessionPhase;
  /** The civil date of the session in the calendar's time zone (YYYY-MM-DD). */
  readonly date: string;
  /** When trading of this day began (pre-market included) if the day trades and it has begun; else null. */
  readonly day_open: number | null;
  /** The next regular-session open after this instant (null for `always`, or none within two weeks). */
  readonly next_open: number | null;
}

interface DayHours {
  /** Regular session, minutes after local midnight. */
  readonly open: number;
  readonly close: number;
  /** Extended hours around it (pre-market from, after-hours until); equal to open/close when there are none. */
  readonly from: number;
  readonly until: number;
}

export const NYSE_TZ = 'America/New_York';
const PRE_MARKET = 4 * 60;
const REGULAR_OPEN = 9 * 60 + 30;
const REGULAR_CLOSE = 16 * 60;
const EARLY_CLOSE = 13 * 60;
const AFTER_HOURS = 4 * 60;

/** `HH:MM` (00:00–24:00) as minutes after midnight, or null. */
export function parseClock(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/.exec(text);
  if (!m) return null;
  return m[1] === undefined ? 24 * 60 : Number(m[1]) * 60 + Number(m[2]);
}

export function calendarTimeZone(cal: TradingCalendar): string {
  return cal.kind === 'venue' ? cal.tz : cal.kind === 'us_equity' ? NYSE_TZ : 'UTC';
}

/** The hours of one civil date, or null when the market does not open that day. */
function hoursOn(cal: TradingCalendar, year: number, month: number, day: number): DayHours | null {
  const wd = weekdayOf(year, month, day);
  if (cal.kind === 'always') return { open: 0, close: 1440, from: 0, until: 1440 };
  if (cal.kind === 'venue') {
    if (!cal.days.includes(wd)) return null;
    const open = parseClock(cal.open) ?? 0;
    const close = parseClock(cal.close) ?? 1440;
    return { open, close, from: open, until: close };
  }
  if (wd > 5) return null;
  const date = civilDate(year, month, day);
  if (nyseHolidays(year).has(date)) return null;
  const close = nyseEarlyCloses(year).has(date) ? EARLY_CLOSE : REGULAR_CLOSE;
  return { open: REGULAR_OPEN, close, from: PRE_MARKET, until: close + AFTER_HOURS };
}

function nextOpen(cal: TradingCalendar, ms: number, tz: string): number | null {
  const w = wallTime(ms, tz);
  for (let i = 0; i < 15; i++) {
    const d = new Date(Date.UTC(w.year, w.month - 1, w.day + i));
    const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    const h = hoursOn(cal, y, m, dd);
    if (!h) continue;
    const at = instantOf(y, m, dd, h.open, tz);
    if (at > ms) return at;
  }
  return null;
}

/** Where `ms` falls in the calendar: the regular session, extended hours, or closed. Pure. */
export function sessionAt(cal: TradingCalendar, ms: number): SessionState {
  const tz = calendarTimeZone(cal);
  const w = wallTime(ms, tz);
  const date = civilDate(w.year, w.month, w.day);
  if (cal.kind === 'always') return { phase: 'regular', date, day_open: null, next_open: null };
  const h = hoursOn(cal, w.year, w.month, w.day);
  const phase: SessionPhase =
    h === null
      ? 'closed'
      : w.minute >= h.open && w.minute < h.close
        ? 'regular'
        : w.minute >= h.from && w.minute < h.until
          ? 'extended'
          : 'closed';
  const day_open = h !== null && w.minute >= h.from ? instantOf(w.year, w.month, w.day, h.from, tz) : null;
  return { phase, date, day_open, next_open: phase === 'regular' ? null : nextOpen(cal, ms, tz) };
}

/**
 * The crash breaker's look-back, clipped to the current trading day: the drop from the last session's high to
 * this session's open is an overnight (or weekend, or holiday) gap, not a crash in progress. Unchanged for an
 * instrument that trades around the clock.
 */
export function breakerWindowMs(cal: TradingCalendar | undefined, now: number, windowMs: number): number {
  if (cal === undefined || cal.kind === 'always') return windowMs;
  const s = sessionAt(cal, now);
  return s.day_open === null ? windowMs : Math.min(windowMs, Math.max(0, now - s.day_open));
}

/** The regular session of a civil date (YYYY-MM-DD in the calendar's zone) as instants, or null if it does not open. */
export function regularSession(
  cal: TradingCalendar,
  date: string,
): { readonly open: number; readonly close: number } | null {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const h = hoursOn(cal, y, m, d);
  if (!h) return null;
  const tz = calendarTimeZone(cal);
  return { open: instantOf(y, m, d, h.open, tz), close: instantOf(y, m, d, h.close, tz) };
}
