import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nyseHolidays } from '../../core/market/calendar/nyse.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** The NYSE's closures that no rule predicts, within the file's years (the exchange's own history). */
const ONE_OFF_CLOSURES = [
  '1985-09-27',
  '1994-04-27',
  '2001-09-11',
  '2001-09-12',
  '2001-09-13',
  '2001-09-14',
  '2004-06-11',
];

describe('the NYSE rules against 22 years of a real stock’s trading days (data/ttrc.csv)', () => {
  const lines = readFileSync(join(ROOT, 'data', 'ttrc.csv'), 'utf8')
    .trim()
    .split('\n');
  const traded = lines.slice(1).map((l) => l.split(',')[0]!);

  it('has the rows its SOURCE note names', () => {
    expect(lines[0]).toBe('"Date","Open","High","Low","Close","Volume"');
    expect(traded.length).toBe(5550);
    expect([traded[0], traded[traded.length - 1]]).toEqual(['1985-01-02', '2006-12-29']);
  });

  it('trades on no day the rules call a holiday, and on every other weekday but the one-off closures', () => {
    const have = new Set(traded);
    const onHoliday = traded.filter((d) => nyseHolidays(Number(d.slice(0, 4))).has(d));
    const untraded: string[] = [];
    for (let t = Date.parse('1985-01-02'); t <= Date.parse('2006-12-29'); t += 86_400_000) {
      const d = new Date(t);
      const day = d.toISOString().slice(0, 10);
      if (d.getUTCDay() === 0 || d.getUTCDay() === 6 || nyseHolidays(d.getUTCFullYear()).has(day)) continue;
      if (!have.has(day)) untraded.push(day);
    }
    expect(onHoliday, 'traded on a computed holiday').toEqual([]);
    expect(untraded, 'a weekday the rules call open but nobody traded').toEqual(ONE_OFF_CLOSURES);
  });
});
