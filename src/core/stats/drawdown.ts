import type { Series } from './descriptive.js';
import { cagr } from './performance.js';

/** The deepest peak-to-trough fall of an equity curve. */
export interface Drawdown {
  /** (peak − trough) / peak: in [0, 1) for a positive curve, 0 when it never falls. */
  maxDrawdown: number;
  peakIndex: number;
  troughIndex: number;
  /** First index after the trough where equity is back at or above the peak; −1 if never. */
  recoveryIndex: number;
  /** Periods from the peak to the recovery, or to the last point when the curve has not recovered. */
  duration: number;
}

/**
 * Maximum drawdown of an equity curve (levels, expected positive). Among equally deep drawdowns
 * the first is reported. A flat or rising curve returns zeros with all indices at 0.
 */
export function maxDrawdown(equity: Series): Drawdown {
  const n = equity.length;
  if (n === 0) return { maxDrawdown: 0, peakIndex: -1, troughIndex: -1, recoveryIndex: -1, duration: 0 };
  let runningPeak = equity[0]!;
  let runningPeakIndex = 0;
  let worst = 0;
  let peakIndex = 0;
  let troughIndex = 0;
  for (let i = 1; i < n; i++) {
    const v = equity[i]!;
    // >= moves the peak to the latest revisit, so the reported duration starts at the last high.
    if (v >= runningPeak) {
      runningPeak = v;
      runningPeakIndex = i;
      continue;
    }
    const dd = (runningPeak - v) / runningPeak;
    if (dd > worst) {
      worst = dd;
      peakIndex = runningPeakIndex;
      troughIndex = i;
    }
  }
  if (worst === 0) return { maxDrawdown: 0, peakIndex: 0, troughIndex: 0, recoveryIndex: 0, duration: 0 };
  const peakValue = equity[peakIndex]!;
  let recoveryIndex = -1;
  for (let i = troughIndex + 1; i < n; i++) {
    if (equity[i]! >= peakValue) {
      recoveryIndex = i;
      break;
    }
  }
  const end = recoveryIndex === -1 ? n - 1 : recoveryIndex;
  return { maxDrawdown: worst, peakIndex, troughIndex, recoveryIndex, duration: end - peakIndex };
}

/** Calmar ratio CAGR / maxDrawdown over the whole curve; NaN when there is no drawdown (as empyrical). */
export function calmar(equity: Series, periodsPerYear: number): number {
  const growth = cagr(equity, periodsPerYear);
  const dd = maxDrawdown(equity).maxDrawdown;
  if (!(dd > 0)) return Number.NaN;
  return growth / dd;
}
