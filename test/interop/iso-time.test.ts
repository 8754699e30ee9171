import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from '../../src/core/mandate/iso-time.js';
import { python } from './support/python.js';

/** What Python's datetime.fromisoformat makes of each string: [epoch ms, extra µs] or null (raises). */
const pythonReads = (texts: readonly string[]) => python<([number, number] | null)[]>('fromisoformat.py', [], texts);
const arbiterReads = (text: string) => {
  const t = parseIsoInstant(text);
  return t === null ? null : [t.ms, t.us];
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const num = (w: number, max: number) => fc.integer({ min: 0, max }).map((n) => pad(n, w));

/** Spellings near the ISO 8601 grammar: every date form, separator, time and zone form, with values out of range. */
const date = fc.oneof(
  fc.tuple(num(4, 9999), num(2, 14), num(2, 32)).map(([y, m, d]) => `${y}-${m}-${d}`),
  fc.tuple(num(4, 9999), num(2, 14), num(2, 32)).map(([y, m, d]) => `${y}${m}${d}`),
  fc.tuple(num(4, 9999), num(2, 54)).map(([y, w]) => `${y}-W${w}`),
  fc.tuple(num(4, 9999), num(2, 54), num(1, 9)).map(([y, w, d]) => `${y}-W${w}-${d}`),
  fc.tuple(num(4, 9999), num(2, 54)).map(([y, w]) => `${y}W${w}`),
  fc.tuple(num(4, 9999), num(2, 54), num(1, 9)).map(([y, w, d]) => `${y}W${w}${d}`),
  fc.tuple(num(4, 9999), num(2, 14)).map(([y, m]) => `${y}-${m}`),
);
const sep = fc.constantFrom('T', ' ', 't', 'x', '\u00a0', '\u2003', '1', '-', 'Z', '\ud800', '😀');
const fraction = fc.tuple(fc.constantFrom('.', ','), fc.stringMatching(/^[0-9]{0,9}$/)).map(([s, d]) => s + d);
const hms = fc.oneof(
  num(2, 25),
  fc.tuple(num(2, 25), num(2, 61)).map(([h, m]) => `${h}:${m}`),
  fc.tuple(num(2, 25), num(2, 61)).map(([h, m]) => `${h}${m}`),
  fc.tuple(num(2, 25), num(2, 61), num(2, 61)).map(([h, m, s]) => `${h}:${m}:${s}`),
  fc.tuple(num(2, 25), num(2, 61), num(2, 61)).map(([h, m, s]) => `${h}${m}${s}`),
);
const time = fc.tuple(hms, fc.option(fraction, { nil: '' })).map(([a, b]) => a + b);
const zone = fc.oneof(
  fc.constant(''),
  fc.constant('Z'),
  fc.tuple(fc.constantFrom('+', '-'), time).map(([s, t]) => s + t),
  fc.tuple(fc.constantFrom('+', '-'), fc.stringMatching(/^[0-9:]{0,5}$/)).map(([s, t]) => s + t),
);
const spelled = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(date, sep, time, zone).map(([d, s, t, z]) => d + s + t + z) },
  { weight: 1, arbitrary: date },
  { weight: 1, arbitrary: fc.tuple(date, sep).map(([d, s]) => d + s) },
);
/** One character deleted, doubled or replaced, so the near misses are covered too. */
const mutated = fc
  .tuple(
    spelled,
    fc.nat(),
    fc.constantFrom('delete', 'double', 'replace'),
    fc.constantFrom('0', ':', '.', 'Z', '+', ' '),
  )
  .map(([s, at, op, c]) => {
    const i = at % Math.max(1, s.length);
    if (op === 'delete') return s.slice(0, i) + s.slice(i + 1);
    if (op === 'double') return s.slice(0, i) + s[i] + s.slice(i);
    return s.slice(0, i) + c + s.slice(i + 1);
  });

describe('consent times are read exactly as Vibe-Trading reads them (Python datetime.fromisoformat)', () => {
  it('agrees with a real Python process on hand-picked spellings', () => {
    const texts = [
      '2030-01-01T00:00:00Z',
      '2030-01-01T00:00:00+00:00',
      '2030-01-01T00:00:00',
      '2030-01-01',
      '20300101T000000Z',
      '2030-01-01 12:00',
      '2030-01-01T12',
      '2030-W01-1',
      '2030-01-01T12:00:00.1234567',
      '2030-01-01T12:00:00,5+05:30',
      '2030-01-01T12:00:00.+00:00',
      '2030-01-01T12:00:00+24:00',
      '2030-01-01T12:00:00-23:59:59.999999',
      '2030-01-01T12:00:00+00:00:00.5',
      'Jan 1 2030',
      '2030-1-1',
      '2030-01-01T24:00',
      '2030-02-29',
      '2028-02-29T23:59:59.999999-12:00',
      '0000-01-01',
      '0001-01-01T00:00:00+05:00',
      '9999-12-31T23:59:59-05:00',
      '2030-01-01T12:00:00Zjunk',
      '2030-01-01T12:00:00.123x+00:00',
      '',
      '2030',
      '2030-01-01\u00a012:00',
      '2030-01-01\ud800' + '12:00',
      '2030-01-01T12:00:00\ud800',
    ];
    const expected = pythonReads(texts);
    texts.forEach((t, i) => {
      expect(arbiterReads(t), `${JSON.stringify(t)}: Arbiter must read it as Python does`).toEqual(expected[i]);
    });
  });

  it('agrees with a real Python process on thousands of generated spellings and near misses', () => {
    const texts = fc.sample(fc.oneof(spelled, mutated, fc.string({ maxLength: 30 })), { numRuns: 6_000, seed: 13 });
    const expected = pythonReads(texts);
    const disagreements = texts
      .map((t, i) => ({ text: t, python: expected[i], arbiter: arbiterReads(t) }))
      .filter((d) => JSON.stringify(d.python) !== JSON.stringify(d.arbiter));
    expect(disagreements.slice(0, 10), 'every spelling must be read the same by both programs').toEqual([]);
    const accepted = expected.filter((e) => e !== null).length;
    expect(accepted, 'the sample must hold many times Python accepts, not only refusals').toBeGreaterThan(500);
  });
});
