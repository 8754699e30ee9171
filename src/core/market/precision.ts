/** Decimal places of a step such as 0.001 (3) or 5 (0); at most 12. */
export function decimalsOf(step: number): number {
  if (!(step > 0) || step >= 1) return 0;
  return Math.min(12, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

/** 10^d for d = 0..12 (every one exact in binary64). */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12] as const;

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

/** Nearest multiple of `step`, free of binary noise (60000.1, not 60000.100000000006). */
export function roundToStep(value: number, step: number): number {
  return clean(Math.round(value / step) * step, step);
}

/** Largest multiple of `step` ≤ value (a small tolerance keeps 0.3 / 0.1 from flooring to 0.2). */
export function floorToStep(value: number, step: number): number {
  return clean(Math.floor(value / step + 1e-9) * step, step);
}

/** Smallest multiple of `step` ≥ value. */
export function ceilToStep(value: number, step: number): number {
  return clean(Math.ceil(value / step - 1e-9) * step, step);
}
