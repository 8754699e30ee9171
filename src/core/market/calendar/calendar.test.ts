import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { easterSunday, nyseEarlyCloses, nyseHolidays, sessionAt, type TradingCalendar, wallTime } from './index.js';

/**
 * The exchange's published calendars (https://www.nyse.com/markets/hours-calendars, "Holidays and Trading Hours",
 * as published for 2022–2026). 2025-01-09 (the national day of mourning for President Carter) was a one-off closure,
 * not a rule, and is left out.
 */
const PUBLISHED: Record<number, { holidays: string[]; early: string[] }> = {
  2022: {
    holidays: [
      '2022-01-17',
      '2022-02-21',
      '2022-04-15',
      '2022-05-30',
      '2022-06-20',
      '2022-07-04',
      '2022-09-05',
      '2022-11-24',
      '2022-12-26',
    ],
    early: ['2022-11-25'],
  },
  2023: {
    holidays: [
      '2023-01-02',
      '2023-01-16',
      '2023-02-20',
      '2023-04-07',
      '2023-05-29',
      '2023-06-19',
      '2023-07-04',
      '2023-09-04',
      '2023-11-23',
      '2023-12-25',
    ],
    early: ['2023-07-03', '2023-11-24'],
  },
  2024: {
    holidays: [
      '2024-01-01',
      '2024-01-15',
      '2024-02-19',
      '2024-03-29',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-11-28',
      '2024-12-25',
    ],
    early: ['2024-07-03', '2024-11-29', '2024-12-24'],
  },
  2025: {
    holidays: [
      '2025-01-01',
      '2025-01-20',
      '2025-02-17',
      '2025-04-18',
      '2025-05-26',
      '2025-06-19',
      '2025-07-04',
      '2025-09-01',
      '2025-11-27',
      '2025-12-25',
    ],
    early: ['2025-07-03', '2025-11-28', '2025-12-24'],
  },
  2026: {
    holidays: [
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ],
    early: ['2026-11-27', '2026-12-24'],
  },
};

const NYSE: TradingCalendar = { kind: 'us_equity' };
const at = (iso: string): number => Date.parse(iso);

describe('NYSE holidays computed from the rules', () => {
  for (const [year, want] of Object.entries(PUBLISHED)) {
    it(`match the exchange's published list for ${year}`, () => {
      expect([...nyseHolidays(Number(year))].sort(), `holidays ${year}`).toEqual(want.holidays);
      expect([...nyseEarlyCloses(Number(year))].sort(), `early closes ${year}`).toEqual(want.early);
    });
  }

  it('finds Easter on the published dates', () => {
    expect(easterSunday(2024)).toEqual([3, 31]);
    expect(easterSunday(2025)).toEqual([4, 20]);
    expect(easterSunday(2038)).toEqual([4, 25]);
    expect(easterSunday(2008)).toEqual([3, 23]);
  });

  it('put Easter on a Sunday between 22 March and 25 April in every year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2500 }), (year) => {
        const [m, d] = easterSunday(year);
        expect(new Date(Date.UTC(year, m - 1, d)).getUTCDay()).toBe(0);
        expect(m * 100 + d).toBeGreaterThanOrEqual(322);
        expect(m * 100 + d).toBeLessThanOrEqual(425);
      }),
    );
  });

  it('never fall on a weekend, and number nine to ten a year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1998, max: 2200 }), (year) => {
        const days = [...nyseHolidays(year)];
        for (const d of days) expect([0, 6]).not.toContain(new Date(`${d}T12:00:00Z`).getUTCDay());
        expect(days.length).toBeGreaterThanOrEqual(year >= 2022 ? 9 : 8);
        expect(days.length).toBeLessThanOrEqual(year >= 2022 ? 10 : 9);
      }),
    );
  });
});

describe('sessionAt on the US equity calendar', () => {
  it.each([
    ['2024-03-08T14:29:59Z', 'extended', 'a minute before the winter open (09:29:59 EST)'],
    ['2024-03-08T14:30:00Z', 'regular', 'the winter open (09:30 EST)'],
    ['2024-03-08T20:59:00Z', 'regular', 'a minute before the close'],
    ['2024-03-08T21:00:00Z', 'extended', 'the close (16:00 EST)'],
    ['2024-03-11T13:30:00Z', 'regular', 'the summer open (09:30 EDT) after the clocks change'],
    ['2024-03-11T13:29:00Z', 'extended', 'a minute before the summer open'],
    ['2024-03-09T15:00:00Z', 'closed', 'a Saturday'],
    ['2024-03-29T15:00:00Z', 'closed', 'Good Friday'],
    ['2024-07-03T16:59:00Z', 'regular', 'before the 13:00 early close'],
    ['2024-07-03T17:00:00Z', 'extended', 'after the 13:00 early close'],
    ['2024-07-03T21:00:00Z', 'closed', "after the early close's after-hours (17:00)"],
    ['2024-03-08T00:59:00Z', 'extended', '19:59 EST, inside after-hours'],
    ['2024-03-08T01:00:00Z', 'closed', '20:00 EST, the end of after-hours'],
    ['2024-03-08T08:59:00Z', 'closed', 'before the 04:00 pre-market'],
  ] as const)('%s is %s (%s)', (iso, phase, _why) => {
    expect(sessionAt(NYSE, at(iso)).phase).toBe(phase);
  });

  it('names the next regular open across a weekend and a holiday', () => {
    // Friday 2024-03-28 after the close: Good Friday and the weekend follow; Monday 1 April opens at 09:30 EDT.
    const s = sessionAt(NYSE, at('2024-03-28T21:30:00Z'));
    expect(s.next_open).toBe(at('2024-04-01T13:30:00Z'));
  });

  it('puts every regular instant on a weekday that is no holiday, between 09:30 and the close', () => {
    const from = at('2020-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * 24 * 60 }), (minutes) => {
        const ms = from + minutes * 60_000;
        const s = sessionAt(NYSE, ms);
        const w = wallTime(ms, 'America/New_York');
        if (s.phase === 'regular') {
          expect(w.weekday).toBeLessThanOrEqual(5);
          expect(nyseHolidays(w.year).has(s.date)).toBe(false);
          expect(w.minute).toBeGreaterThanOrEqual(570);
          expect(w.minute).toBeLessThan(nyseEarlyCloses(w.year).has(s.date) ? 780 : 960);
        } else {
          expect(s.next_open, 'a closed market names when it opens').not.toBeNull();
          expect(s.next_open!).toBeGreaterThan(ms);
          expect(sessionAt(NYSE, s.next_open!).phase).toBe('regular');
          expect(sessionAt(NYSE, s.next_open! - 60_000).phase).not.toBe('regular');
        }
      }),
    );
  });
});

describe('sessionAt on other calendars', () => {
  it('is always regular for crypto', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), (ms) => sessionAt({ kind: 'always' }, ms).phase === 'regular'),
    );
  });

  it("follows a venue's own hours and weekdays in its own time zone", () => {
    const venue: TradingCalendar = {
      kind: 'venue',
      tz: 'Asia/Singapore',
      days: [1, 2, 3, 4, 5],
      open: '08:00',
      close: '24:00',
    };
    expect(sessionAt(venue, at('2024-03-08T00:00:00Z')).phase).toBe('regular'); // Friday 08:00 SGT
    expect(sessionAt(venue, at('2024-03-07T23:59:00Z')).phase).toBe('closed'); // Friday 07:59 SGT
    expect(sessionAt(venue, at('2024-03-08T15:59:00Z')).phase).toBe('regular'); // Friday 23:59 SGT
    expect(sessionAt(venue, at('2024-03-09T03:00:00Z')).phase).toBe('closed'); // Saturday
    expect(sessionAt(venue, at('2024-03-09T03:00:00Z')).next_open).toBe(at('2024-03-11T00:00:00Z'));
  });
});
