/**
 * The New York Stock Exchange's holiday and early-close rules (NYSE Rule 7.2 and its published calendars,
 * https://www.nyse.com/markets/hours-calendars), computed for any year rather than listed:
 * New Year's Day, Martin Luther King Jr. Day (from 1998), Washington's Birthday, Good Friday, Memorial Day,
 * Juneteenth (from 2022), Independence Day, Labor Day, Thanksgiving and Christmas. A holiday on a Sunday is observed
 * on the Monday after; on a Saturday, on the Friday before — except New Year's Day, which is then not observed (the
 * exchange does not close on the last trading day of the year). Early closes (13:00) fall on the day before
 * Independence Day and Christmas when that day is a Monday to Thursday, and on the day after Thanksgiving.
 * One-off closures (national days of mourning, storms) are not rules and are not here.
 */
import { weekdayOf } from './zoned.js';

export type CivilDate = string; // YYYY-MM-DD

function iso(year: number, month: number, day: number): CivilDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function shift(year: number, month: number, day: number, days: number): [number, number, number] {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** The n-th (1-based) ISO weekday of a month; n = -1 is the last. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = weekdayOf(year, month, 1);
    return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = weekdayOf(year, month, lastDay);
  return lastDay - ((last - weekday + 7) % 7);
}

/** Easter Sunday of the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher). */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

/** A fixed-date holiday moved off the weekend: Saturday → Friday, Sunday → Monday. */
function observed(year: number, month: number, day: number): CivilDate {
  const wd = weekdayOf(year, month, day);
  if (wd === 6) return iso(...shift(year, month, day, -1));
  if (wd === 7) return iso(...shift(year, month, day, 1));
  return iso(year, month, day);
}

const holidayCache = new Map<number, ReadonlySet<CivilDate>>();
const earlyCache = new Map<number, ReadonlySet<CivilDate>>();

/** The days of `year` on which the exchange is closed (weekdays only; weekends are closed anyway). */
export function nyseHolidays(year: number): ReadonlySet<CivilDate> {
  const hit = holidayCache.get(year);
  if (hit) return hit;
  const days: CivilDate[] = [];
  if (weekdayOf(year, 1, 1) !== 6) days.push(observed(year, 1, 1));
  if (year >= 1998) days.push(iso(year, 1, nthWeekday(year, 1, 1, 3)));
  days.push(iso(year, 2, nthWeekday(year, 2, 1, 3)));
  const [em, ed] = easterSunday(year);
  days.push(iso(...shift(year, em, ed, -2)));
  days.push(iso(year, 5, nthWeekday(year, 5, 1, -1)));
  if (year >= 2022) days.push(observed(year, 6, 19));
  days.push(observed(year, 7, 4));
  days.push(iso(year, 9, nthWeekday(year, 9, 1, 1)));
  days.push(iso(year, 11, nthWeekday(year, 11, 4, 4)));
  days.push(observed(year, 12, 25));
  const set = new Set(days);
  holidayCache.set(year, set);
  return set;
}

/** The days of `year` on which the exchange closes at 13:00 New York time. */
export function nyseEarlyCloses(year: number): ReadonlySet<CivilDate> {
  const hit = earlyCache.get(year);
  if (hit) return hit;
  const days: CivilDate[] = [];
  if (weekdayOf(year, 7, 3) <= 4) days.push(iso(year, 7, 3));
  days.push(iso(year, 11, nthWeekday(year, 11, 4, 4) + 1));
  if (weekdayOf(year, 12, 24) <= 4) days.push(iso(year, 12, 24));
  const set = new Set(days);
  earlyCache.set(year, set);
  return set;
}

export { iso as civilDate };
