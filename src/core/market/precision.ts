/** Decimal places of a step such as 0.001 (3) or 5 (0); at most 12. */
export function decimalsOf(step: number): number {
  if (!(step > 0) || step >= 1) return 0;
  return Math.min(12, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

function clean(value: number, step: number): number {
  return Number(value.toFixed(decimalsOf(step)));
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
