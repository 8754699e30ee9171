import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pythonCanonical, pythonDumps } from '../../src/core/audit/python-json.js';
import { python } from './support/python.js';

const json = fc.jsonValue({ maxDepth: 3 });
const doubles = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e-7, 1e-5, 0.0001, 1e15, 1e16, 1e21, 123.456, -0.5, 5e-324, 1.7976931348623157e308, 0.1 + 0.2),
);

describe("JSON text as Vibe-Trading's Python writes and hashes it", () => {
  it('canonical form and line form agree with Python for generated JSON values and awkward doubles', () => {
    const values = [...fc.sample(json, { numRuns: 800, seed: 3 }), ...fc.sample(doubles, { numRuns: 800, seed: 4 })];
    const texts = values.map((v) => JSON.stringify(v));
    const expected = python<[string, string][]>('canonical.py', [], texts);
    const wrong = values
      .map((v, i) => ({ text: texts[i], python: expected[i], arbiter: [pythonCanonical(v), pythonDumps(v)] }))
      .filter((d) => JSON.stringify(d.python) !== JSON.stringify(d.arbiter));
    expect(wrong.slice(0, 5), 'every value must be written exactly as Python writes it').toEqual([]);
  });
});
