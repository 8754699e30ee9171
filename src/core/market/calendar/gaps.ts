import { civilDate, nyseEarlyCloses, nyseHolidays } from './nyse.js';
import { regularSession, type TradingCalendar } from './session.js';
import { weekdayOf } from './zoned.js';

/**
 * Why a civil date between two sessions had no session: `weekend`, an exchange `holiday` of the calendar's rules,
 * a day outside a venue's trading weekdays (`venue_closed`), or `no_data` — a day the calendar expected to trade
 * but the data has no bar for (a one-off closure, which is not a rule, or a hole in the data).
 */
export type ClosedWhy = 'weekend' | 'holiday' | 'venue_closed' | 'no_data';

export interface ClosedDay {
  readonly date: string;
  readonly why: ClosedWhy;
}

/** Consecutive sessions more than one civil day apart, and the days between them. */
export interface SessionGap {
  /** The last session before the gap and the first after it (YYYY-MM-DD). */
  readonly after: string;
  readonly before: string;
  readonly closed: readonly ClosedDay[];
}

function parse(date: string): [number, number, number] {
  return date.split('-').map(Number) as [number, number, number];
}

function nextDay(date: string): string {
  const [y, m, d] = parse(date);
  const n = new Date(Date.UTC(y, m - 1, d + 1));
  return civilDate(n.getUTCFullYear(), n.getUTCMonth() + 1, n.getUTCDate());
}

/** Why `date` has no session on `cal` (`no_data` when the calendar says it trades). */
export function closedWhy(cal: TradingCalendar, date: string): ClosedWhy {
  if (regularSession(cal, date) !== null) return 'no_data';
  const [y, m, d] = parse(date);
  if (cal.kind === 'venue') return 'venue_closed';
  if (weekdayOf(y, m, d) > 5) return 'weekend';
  return nyseHolidays(y).has(date) ? 'holiday' : 'no_data';
}

/**
 * The gaps between consecutive session dates (sorted, YYYY-MM-DD): every pair more than one day apart, with each
 * day in between and why it had no session. Pure.
 */
export function sessionGaps(cal: TradingCalendar, dates: readonly string[]): SessionGap[] {
  const out: SessionGap[] = [];
  for (let i = 1; i < dates.length; i++) {
    const closed: ClosedDay[] = [];
    for (let d = nextDay(dates[i - 1]!); d < dates[i]!; d = nextDay(d))
      closed.push({ date: d, why: closedWhy(cal, d) });
    if (closed.length > 0) out.push({ after: dates[i - 1]!, before: dates[i]!, closed });
  }
  return out;
}

/** The dates among `dates` on which the NYSE closes early (13:00 New York); none on other calendars. */
export function earlyCloses(cal: TradingCalendar, dates: readonly string[]): string[] {
  if (cal.kind !== 'us_equity') return [];
  return dates.filter((d) => nyseEarlyCloses(parse(d)[0]).has(d));
}
