import { mean, quantile, type Series } from '../stats/descriptive.js';
import { normalCdf, normalPdf, normalQuantile } from '../stats/normal.js';

export type VarMethod = 'historical' | 'gaussian' | 'modified';

export interface VarOptions {
  /** Confidence level, e.g. 0.95 or 0.99 (0.5 < p < 1). */
  readonly p: number;
  readonly method: VarMethod;
}

/** Tail probability α = 1 − p; a p outside (0.5, 1) is a caller error, not a degenerate sample. */
export function tailProbability(p: number): number {
  if (!(p > 0.5 && p < 1)) throw new RangeError(`p must be a confidence level in (0.5, 1), got ${p}`);
  return 1 - p;
}

export const VAR_METHODS: readonly VarMethod[] = ['historical', 'gaussian', 'modified'];

function checkMethod(method: string): asserts method is VarMethod {
  if (!VAR_METHODS.includes(method as VarMethod)) {
    throw new RangeError(`method must be one of ${VAR_METHODS.join(', ')}, got ${method}`);
  }
}

/** Mean, population standard deviation, population skewness and excess kurtosis: PerformanceAnalytics' centred moments. */
export interface PopulationMoments {
  readonly mean: number;
  readonly sd: number;
  readonly skew: number;
  readonly exkurt: number;
}

export function populationMoments(x: Series): PopulationMoments {
  const n = x.length;
  const m = mean(x);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mean: m, sd: Math.sqrt(m2), skew: m3 / m2 ** 1.5, exkurt: m4 / (m2 * m2) - 3 };
}

/** The Cornish-Fisher expansion of the standard normal quantile z for skewness s and excess kurtosis k. */
export function cornishFisherQuantile(z: number, s: number, k: number): number {
  return z + ((z * z - 1) * s) / 6 + ((z ** 3 - 3 * z) * k) / 24 - ((2 * z ** 3 - 5 * z) * s * s) / 36;
}

// J_k(h) = ∫_{−∞}^{h} x^k φ(x) dx by the recursion J_k = −h^{k−1} φ(h) + (k − 1) J_{k−2}.
function partialMoments(h: number, upTo: number): number[] {
  const phi = normalPdf(h);
  const j = [normalCdf(h), -phi];
  for (let k = 2; k <= upTo; k++) j.push(-(h ** (k - 1)) * phi + (k - 1) * j[k - 2]!);
  return j;
}

/**
 * Modified (Cornish-Fisher) expected shortfall as a signed return, following Boudt, Peterson & Croux (2008)
 * and PerformanceAnalytics' operational form: the tail expectation of the Edgeworth-corrected density below
 * the Cornish-Fisher quantile h, never less extreme than h itself.
 */
function modifiedShortfall(mo: PopulationMoments, alpha: number): number {
  const h = cornishFisherQuantile(normalQuantile(alpha), mo.skew, mo.exkurt);
  const J = partialMoments(h, 7);
  // ∫ x·(1 + S/6·He3 + K/24·He4 + S²/72·He6)·φ over (−∞, h], He_n the probabilists' Hermite polynomials.
  const tail =
    J[1]! +
    (mo.skew / 6) * (J[4]! - 3 * J[2]!) +
    (mo.exkurt / 24) * (J[5]! - 6 * J[3]! + 3 * J[1]!) +
    ((mo.skew * mo.skew) / 72) * (J[7]! - 15 * J[5]! + 45 * J[3]! - 15 * J[1]!);
  return mo.mean + mo.sd * Math.min(tail / alpha, h);
}

/**
 * Value at Risk of a return series as PerformanceAnalytics' `VaR(R, p, method)` returns it: the p-confidence
 * return threshold, negative when it is a loss (−0.02 = a 2 % loss is exceeded with probability 1 − p).
 * historical: type-7 quantile at α = 1 − p. gaussian: μ + z_α·σ. modified: μ + z_cf·σ with the
 * Cornish-Fisher quantile. σ, skewness and kurtosis are population moments (PerformanceAnalytics'
 * `centeredmoment`). NaN for fewer than two observations or a flat series (parametric methods).
 */
export function valueAtRisk(returns: Series, options: VarOptions): number {
  const alpha = tailProbability(options.p);
  checkMethod(options.method);
  if (returns.length < 2) return Number.NaN;
  if (options.method === 'historical') return quantile(returns, alpha);
  const mo = populationMoments(returns);
  const z = normalQuantile(alpha);
  if (options.method === 'gaussian') return mo.mean + z * mo.sd;
  if (!(mo.sd > 0)) return Number.NaN;
  return mo.mean + cornishFisherQuantile(z, mo.skew, mo.exkurt) * mo.sd;
}

/**
 * Expected shortfall (conditional VaR): the mean return in the α tail, negative when it is a loss, so that
 * ES ≤ VaR. historical: mean of the returns strictly below the historical VaR (the VaR itself when none
 * is). gaussian: μ − σ·φ(z_α)/α. modified: the operational Cornish-Fisher ES of PerformanceAnalytics
 * (Boudt, Peterson & Croux 2008), capped at the modified VaR.
 */
export function expectedShortfall(returns: Series, options: VarOptions): number {
  const alpha = tailProbability(options.p);
  checkMethod(options.method);
  if (returns.length < 2) return Number.NaN;
  if (options.method === 'historical') {
    const q = quantile(returns, alpha);
    let sum = 0;
    let count = 0;
    for (let i = 0; i < returns.length; i++) {
      if (returns[i]! < q) {
        sum += returns[i]!;
        count++;
      }
    }
    return count === 0 ? q : sum / count;
  }
  const mo = populationMoments(returns);
  if (options.method === 'gaussian') return mo.mean - (mo.sd * normalPdf(normalQuantile(alpha))) / alpha;
  if (!(mo.sd > 0)) return Number.NaN;
  return modifiedShortfall(mo, alpha);
}
