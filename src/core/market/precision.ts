/** 10^d for d = 0..12 (every one exact in binary64). */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12] as const;

/**
 * Decimal places of a step: the fewest d ≤ 12 for which step · 10^d is a whole number (0.001 → 3, 0.25 → 2,
 * 2.5 → 1, 5 → 0). A step with no such d (1/3) gets 12.
 */
export function decimalsOf(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let d = 0; d < 12; d++) {
    const scaled = step * POW10[d]!;
    const whole = Math.round(scaled);
    if (whole >= 1 && Math.abs(scaled - whole) <= whole * 1e-12) return d;
  }
  return 12;
}

/** The step asked about last and its decimals (a market's few steps come back again and again). */
let lastStep = 1;
let lastDecimals = 0;

/**
 * `Number(value.toFixed(d))` for d = decimalsOf(step). toFixed picks the integer n nearest value·10^d (ties away
 * from zero) and the text n·10^-d, which reads back as the double nearest n / 10^d: the quotient IEEE division
 * gives for an exact n and 10^d. So where the rounded product surely rounds to the same n as the exact one (its
 * fraction is not within a few ulps of one half, and n < 2^50 is exact) the division is used, and toFixed
 * otherwise. Property-tested against toFixed, half-way products and their neighbours included.
 */
export function clean(value: number, step: number): number {
  let d = lastDecimals;
  if (step !== lastStep) {
    d = decimalsOf(step);
    lastStep = step;
    lastDecimals = d;
  }
  const scale = POW10[d]!;
  const a = Math.abs(value * scale);
  if (a < 1_125_899_906_842_624) {
    // 2^50 (false for NaN and ±Infinity)
    const off = a - Math.floor(a) - 0.5; // exact (Sterbenz), a ≥ 0
    if ((off < 0 ? -off : off) > a * 1e-15) {
      const n = Math.round(a);
      return value < 0 ? -(n / scale) : n / scale;
    }
  }
  return Number(value.toFixed(d));
}

/*
 * The grid of a step is the doubles clean(n · step, step) for whole n: the double nearest each decimal n · step,
 * the same double as the text a person writes ("0.29" on a 0.0001 grid). A quotient value / step is off by an ulp
 * or so (0.29 / 0.0001 = 2899.9999…), so where it lands within a few ulps of a whole number the n it gives is only
 * a first guess: floor and ceil then compare grid doubles with the value itself and move one step where the guess
 * was wrong. Elsewhere (nearly always) the guess is surely right: the quotient, the step and the grid double each
 * carry a relative error under 2^-53, about 3.3e-16 · n together, far inside the 1e-14 · n margin. So floorToStep
 * gives the largest grid double ≤ value (a value on the grid unchanged) and ceilToStep the smallest ≥ value.
 */
const MARGIN = 1e-14;

/** Nearest multiple of `step`, free of binary noise (60000.1, not 60000.100000000006). */
export function roundToStep(value: number, step: number): number {
  return clean(Math.round(value / step) * step, step);
}

/** Largest multiple of `step` ≤ value: never above it, and a value already on the grid unchanged. */
export function floorToStep(value: number, step: number): number {
  const x = value / step;
  const n = Math.floor(x);
  const f = x - n;
  const m = (x < 0 ? -x : x) * MARGIN;
  if (f > m && f < 1 - m) return clean(n * step, step);
  const up = clean((n + 1) * step, step);
  if (up <= value) return up;
  const at = clean(n * step, step);
  return at <= value ? at : clean((n - 1) * step, step);
}

/** Smallest multiple of `step` ≥ value: never below it, and a value already on the grid unchanged. */
export function ceilToStep(value: number, step: number): number {
  const x = value / step;
  const n = Math.ceil(x);
  const f = n - x;
  const m = (x < 0 ? -x : x) * MARGIN;
  if (f > m && f < 1 - m) return clean(n * step, step);
  const down = clean((n - 1) * step, step);
  if (down >= value) return down;
  const at = clean(n * step, step);
  return at >= value ? at : clean((n + 1) * step, step);
}

/**
 * A number for people and programs to read: on the venue's grid of `step` when it is on it up to binary noise
 * (49.178802, not 49.178802000000005), otherwise (a position's dust off the step grid, no step known) cut to 12
 * significant digits, which removes the noise of one or two float operations and keeps every digit a venue uses.
 * Only ever for output: the firewall's comparisons use the exact values.
 */
export function tidy(value: number, step?: number | null): number {
  if (!Number.isFinite(value)) return value;
  if (step && step > 0 && Number.isFinite(step)) {
    const c = clean(value, step);
    if (Math.abs(c - value) <= Math.abs(value) * 1e-9) return c;
  }
  return Number(value.toPrecision(12));
}

/**
 * A record's numbers made readable with `tidy`: each field on its own grid (`steps`: a price on the tick, a quantity
 * on the step), any other number on `fallback` (1e-8: the finest unit venues count USD and USDT in). Output only.
 */
export function tidyNumbers<T extends object>(
  record: T,
  steps: { readonly [K in keyof T]?: number | null } = {},
  fallback = 1e-8,
): T {
  const out = { ...record } as Record<string, unknown>;
  const grid = steps as Readonly<Record<string, number | null | undefined>>;
  for (const [key, value] of Object.entries(record))
    if (typeof value === 'number' && !Number.isInteger(value)) out[key] = tidy(value, grid[key] ?? fallback);
  return out as T;
}
