import { describe, expect, it } from 'vitest';
import { closedWhy, earlyCloses, sessionGaps, type TradingCalendar } from './index.js';

const NYSE: TradingCalendar = { kind: 'us_equity' };

describe('closedWhy on the NYSE calendar', () => {
  it.each([
    ['2004-11-25', 'holiday', 'Thanksgiving 2004, a Thursday'],
    ['2004-11-27', 'weekend', 'a Saturday'],
    ['2004-11-28', 'weekend', 'a Sunday'],
    ['2004-07-05', 'holiday', 'Independence Day 2004 observed on the Monday'],
    ['2004-06-11', 'no_data', "President Reagan's funeral: a one-off closure the rules do not know"],
    ['2004-11-24', 'no_data', 'an ordinary Wednesday'],
  ] as const)('%s is %s (%s)', (date, why, _because) => {
    expect(closedWhy(NYSE, date)).toBe(why);
  });
  it('names a day outside a venue’s weekdays as venue_closed', () => {
    const venue: TradingCalendar = {
      kind: 'venue',
      tz: 'America/New_York',
      days: [1, 2, 3, 4, 5],
      open: '00:00',
      close: '24:00',
    };
    expect(closedWhy(venue, '2024-03-09')).toBe('venue_closed');
  });
});

describe('sessionGaps', () => {
  it('lists Thanksgiving and the weekend after it between the sessions around them', () => {
    const gaps = sessionGaps(NYSE, ['2004-11-23', '2004-11-24', '2004-11-26', '2004-11-29', '2004-11-30']);
    expect(gaps).toEqual([
      { after: '2004-11-24', before: '2004-11-26', closed: [{ date: '2004-11-25', why: 'holiday' }] },
      {
        after: '2004-11-26',
        before: '2004-11-29',
        closed: [
          { date: '2004-11-27', why: 'weekend' },
          { date: '2004-11-28', why: 'weekend' },
        ],
      },
    ]);
  });
  it('finds no gap between consecutive days', () => {
    expect(sessionGaps(NYSE, ['2004-11-22', '2004-11-23'])).toEqual([]);
  });
  it('names the early closes among the sessions', () => {
    expect(earlyCloses(NYSE, ['2004-11-24', '2004-11-26', '2004-11-29'])).toEqual(['2004-11-26']);
    expect(earlyCloses({ kind: 'always' }, ['2004-11-26'])).toEqual([]);
  });
});
