/**
 * Wall-clock time in an IANA time zone, through the platform's own time-zone database (Intl, ICU): no offsets or
 * daylight-saving rules written by hand.
 */

export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** ISO weekday: 1 Monday … 7 Sunday. */
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(tz, f);
  }
  return f;
}

/** True when `tz` names a time zone the platform knows. */
export function isTimeZone(tz: string): boolean {
  try {
    formatFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** The ISO weekday (1 Monday … 7 Sunday) of a civil date. */
export function weekdayOf(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The wall-clock time at `ms` in `tz`. */
export function wallTime(ms: number, tz: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatFor(tz).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts.year!;
  const month = parts.month!;
  const day = parts.day!;
  return { year, month, day, weekday: weekdayOf(year, month, day), minute: parts.hour! * 60 + parts.minute! };
}

/** The instant when the wall clock in `tz` shows `minute` minutes after midnight of the civil date. */
export function instantOf(year: number, month: number, day: number, minute: number, tz: string): number {
  const target = Date.UTC(year, month - 1, day) + minute * 60_000;
  let guess = target;
  // Two corrections settle any offset; sessions never start inside a daylight-saving jump.
  for (let i = 0; i < 2; i++) {
    const w = wallTime(guess, tz);
    const shown = Date.UTC(w.year, w.month - 1, w.day) + w.minute * 60_000;
    guess += target - shown;
  }
  return guess;
}
