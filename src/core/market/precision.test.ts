import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ceilToStep, decimalsOf, floorToStep, roundToStep, tidy, tidyNumbers } from './precision.js';

/** Steps as venues publish them, each as m · 10^-d so that grid values can be written as text exactly. */
const STEPS: readonly { readonly step: number; readonly m: number; readonly d: number }[] = [
  { step: 0.0001, m: 1, d: 4 },
  { step: 0.001, m: 1, d: 3 },
  { step: 0.01, m: 1, d: 2 },
  { step: 1e-8, m: 1, d: 8 },
  { step: 0.1, m: 1, d: 1 },
  { step: 5, m: 5, d: 0 },
  { step: 1, m: 1, d: 0 },
  { step: 0.00001, m: 1, d: 5 },
  { step: 0.25, m: 25, d: 2 },
  { step: 0.5, m: 5, d: 1 },
  { step: 0.0005, m: 5, d: 4 },
  { step: 2.5, m: 25, d: 1 },
];
const anyStep = fc.constantFrom(...STEPS);

/** The k-th grid value as a person writes it ("0.29"), read as a double: what an agent sends. */
const written = (k: number, s: { m: number; d: number }) => Number(`${k * s.m}e-${s.d}`);

/** Whole steps small enough that the grid is exactly representable (k · step < 2^45 / 10^d). */
const onGrid = anyStep.chain((s) =>
  fc
    .integer({ min: 0, max: Math.min(1e12, Math.floor(2 ** 45 / s.m / 10 ** s.d)) })
    .map((k) => ({ s, q: written(k, s) })),
);
const anywhere = anyStep.chain((s) =>
  fc.double({ min: 0, max: Math.min(1e9, s.step * 2 ** 40), noNaN: true }).map((q) => ({ s, q })),
);

describe('grid rounding (property-based)', () => {
  it('leaves a quantity or price already on the step grid unchanged, whichever way it rounds', () => {
    fc.assert(
      fc.property(onGrid, ({ s, q }) => {
        expect(floorToStep(q, s.step), `floorToStep(${q}, ${s.step}) shrank a value on the grid`).toBe(q);
        expect(ceilToStep(q, s.step), `ceilToStep(${q}, ${s.step}) grew a value on the grid`).toBe(q);
        expect(roundToStep(q, s.step), `roundToStep(${q}, ${s.step}) moved a value on the grid`).toBe(q);
      }),
      { numRuns: 20_000 },
    );
  });

  it('rounds down to at most the value, less than one step below it, onto the grid, idempotently', () => {
    fc.assert(
      fc.property(anywhere, ({ s, q }) => {
        const f = floorToStep(q, s.step);
        expect(f <= q, `floorToStep(${q}, ${s.step}) = ${f} is above the value`).toBe(true);
        expect(q - f < s.step, `floorToStep(${q}, ${s.step}) = ${f} is a whole step or more below`).toBe(true);
        expect(floorToStep(f, s.step), `floorToStep is not idempotent at ${f} (step ${s.step})`).toBe(f);
        expect(roundToStep(f, s.step), `${f} is not on the ${s.step} grid`).toBe(f);
      }),
      { numRuns: 20_000 },
    );
  });

  it('rounds up to at least the value, less than one step above it, onto the grid, idempotently', () => {
    fc.assert(
      fc.property(anywhere, ({ s, q }) => {
        const c = ceilToStep(q, s.step);
        expect(c >= q, `ceilToStep(${q}, ${s.step}) = ${c} is below the value`).toBe(true);
        // (c − q would round for a tiny q: the grid value a step below c is compared instead.)
        const below = roundToStep(c - s.step, s.step);
        expect(below < q, `ceilToStep(${q}, ${s.step}) = ${c}, but ${below} is on the grid and ≥ the value`).toBe(true);
        expect(ceilToStep(c, s.step), `ceilToStep is not idempotent at ${c} (step ${s.step})`).toBe(c);
        expect(roundToStep(c, s.step), `${c} is not on the ${s.step} grid`).toBe(c);
      }),
      { numRuns: 20_000 },
    );
  });

  it('keeps the order of values (a larger value never rounds down to less)', () => {
    fc.assert(
      fc.property(anywhere, fc.double({ min: 0, max: 1, noNaN: true }), ({ s, q }, t) => {
        const lower = q * t;
        expect(floorToStep(lower, s.step) <= floorToStep(q, s.step)).toBe(true);
        expect(ceilToStep(lower, s.step) <= ceilToStep(q, s.step)).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it('round-trips the cases that were observed or are classic binary traps', () => {
    const cases: [number, number, number, number][] = [
      // value, step, floor, ceil
      [0.29, 0.0001, 0.29, 0.29], // 0.29 / 0.0001 = 2899.9999999999995
      [0.3, 0.1, 0.3, 0.3], // 0.3 / 0.1 = 2.9999999999999996
      [0.1 + 0.2, 0.1, 0.3, 0.4], // 0.30000000000000004 is above the grid value 0.3
      [0.7 - 0.4, 0.1, 0.2, 0.3], // 0.29999999999999993 is below it
      [0.12345, 0.001, 0.123, 0.124],
      [0.75, 0.25, 0.75, 0.75],
      [7.5, 2.5, 7.5, 7.5],
      [1.005, 0.01, 1, 1.01], // 1.005 is the double 1.00499999999999989…
    ];
    for (const [v, step, f, c] of cases) {
      expect(floorToStep(v, step), `floorToStep(${v}, ${step})`).toBe(f);
      expect(ceilToStep(v, step), `ceilToStep(${v}, ${step})`).toBe(c);
    }
  });

  it('finds the decimals of any step a venue publishes, not only powers of ten', () => {
    expect(STEPS.map((s) => decimalsOf(s.step))).toEqual(STEPS.map((s) => s.d));
    expect([decimalsOf(1 / 3), decimalsOf(0), decimalsOf(Number.NaN), decimalsOf(1e-15)]).toEqual([12, 0, 0, 12]);
  });
});

describe('tidy (numbers at the edges)', () => {
  it('writes a notional on the tick × step grid without binary noise', () => {
    expect(tidy(49.178802000000005, 0.1 * 0.000001)).toBe(49.178802);
    expect(tidy(0.1 + 0.2, 0.01)).toBe(0.3);
    expect(tidy(84695.70000000001, 0.05)).toBe(84695.7);
  });

  it('keeps a quantity off the step grid (dust) as it is, up to 12 significant digits', () => {
    expect(tidy(0.00003, 0.0001)).toBe(0.00003);
    expect(tidy(0.29, 0.0001)).toBe(0.29);
    expect(tidy(1 / 3)).toBe(0.333333333333);
  });

  it('moves any value by binary noise at most, lands on the grid for grid values, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STEPS),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.double({ min: -1e-12, max: 1e-12, noNaN: true }),
        ({ step, d }, n, wobble) => {
          const exact = Number(`${n * (STEPS.find((s) => s.step === step)?.m ?? 1)}e-${d}`);
          const noisy = exact * (1 + wobble);
          const t = tidy(noisy, step);
          expect(Math.abs(t - noisy)).toBeLessThanOrEqual(Math.abs(noisy) * 1e-9);
          expect(t, `${noisy} on the ${step} grid`).toBe(exact);
          expect(tidy(t, step)).toBe(t);
        },
      ),
    );
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e12, noNaN: true }), fc.option(fc.constantFrom(...STEPS)), (x, s) => {
        const t = tidy(x, s?.step);
        expect(Math.abs(t - x)).toBeLessThanOrEqual(Math.abs(x) * 1e-9);
        expect(tidy(t, s?.step)).toBe(t);
      }),
    );
  });
});

describe('tidyNumbers (account reads at the edges)', () => {
  it('tidies every fractional number on its own grid and leaves the rest alone', () => {
    const p = { symbol: 'BTC/USDT', quantity: 0.00092, entryPrice: 84296.20000000001, used: 77.55250399999932, ts: 17 };
    expect(tidyNumbers(p, { quantity: 0.00001, entryPrice: 0.1 })).toEqual({
      symbol: 'BTC/USDT',
      quantity: 0.00092,
      entryPrice: 84296.2,
      used: 77.552504,
      ts: 17,
    });
  });

  it('never moves a number by more than binary noise', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => {
        const t = tidyNumbers({ x }).x;
        expect(Math.abs(t - x)).toBeLessThanOrEqual(Math.abs(x) * 1e-9 + 5e-9);
      }),
    );
  });
});
