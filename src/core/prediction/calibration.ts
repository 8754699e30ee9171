/** One probability forecast of YES and how the market resolved (1 = YES). */
export interface Forecast {
  readonly p: number;
  readonly y: 0 | 1;
}

export interface CalibrationBin {
  /** Lower edge of the bin (bins are [lo, lo + 0.1), the last one closed). */
  readonly lo: number;
  readonly count: number;
  readonly meanForecast: number;
  /** Share of the bin's forecasts whose market resolved YES. */
  readonly observed: number;
}

export interface Calibration {
  readonly forecasts: number;
  /** Mean squared error of the forecasts (0 perfect, 0.25 a coin flip at 50 %). Null with no forecasts. */
  readonly brier: number | null;
  /** Mean natural log of the probability given to what happened (0 perfect, −0.693 a coin flip). */
  readonly logScore: number | null;
  /** Ten bins of width 0.1; empty bins are left out. */
  readonly bins: readonly CalibrationBin[];
}

/** Log scores clamp forecasts to [ε, 1 − ε] so a single certain-and-wrong forecast stays finite. */
export const LOG_SCORE_EPSILON = 1e-3;

export function calibration(fs: readonly Forecast[]): Calibration {
  if (fs.length === 0) return { forecasts: 0, brier: null, logScore: null, bins: [] };
  let brier = 0;
  let log = 0;
  const acc = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
  for (const f of fs) {
    brier += (f.p - f.y) ** 2;
    const q = Math.min(1 - LOG_SCORE_EPSILON, Math.max(LOG_SCORE_EPSILON, f.p));
    log += Math.log(f.y === 1 ? q : 1 - q);
    const b = acc[Math.min(9, Math.floor(f.p * 10))]!;
    b.n++;
    b.p += f.p;
    b.y += f.y;
  }
  return {
    forecasts: fs.length,
    brier: brier / fs.length,
    logScore: log / fs.length,
    bins: acc.flatMap((b, i) =>
      b.n ? [{ lo: i / 10, count: b.n, meanForecast: b.p / b.n, observed: b.y / b.n }] : [],
    ),
  };
}
