import { normalPdf, normalQuantile } from '../stats/normal.js';
import { tailProbability } from './var.js';

/** A symmetric matrix as rows; covariance and correlation matrices use this shape. */
export type Matrix = readonly (readonly number[])[];

export interface PortfolioRiskInput {
  /** Portfolio weights (shares of equity, negative for shorts), one per instrument. */
  readonly weights: readonly number[];
  /** Covariance matrix of the instruments' per-period returns, in the same order. */
  readonly covariance: Matrix;
  /** Expected per-period returns; zeros when omitted (the usual choice for a short horizon). */
  readonly means?: readonly number[];
  /** Confidence level in (0.5, 1). */
  readonly p: number;
  /** Horizon in periods; mean scales by h and volatility by √h (iid square-root-of-time rule). Default 1. */
  readonly horizon?: number;
}

/**
 * Gaussian portfolio VaR and ES with their Euler decomposition. Signs follow PerformanceAnalytics: `var`
 * and `es` are returns (negative = loss). `marginalVar[i]` = ∂VaR/∂w_i, `componentVar[i]` = w_i·∂VaR/∂w_i;
 * the components sum to `var` exactly (VaR is homogeneous of degree one in w). Same for ES.
 */
export interface PortfolioRisk {
  readonly var: number;
  readonly es: number;
  /** Portfolio standard deviation over the horizon, √(w'Σw·h). */
  readonly sd: number;
  readonly marginalVar: number[];
  readonly componentVar: number[];
  readonly marginalEs: number[];
  readonly componentEs: number[];
}

/** Thrown when weights, means and covariance do not fit together; says which dimension is wrong. */
function checkShapes(n: number, cov: Matrix, means: readonly number[] | undefined): void {
  if (cov.length !== n || cov.some((row) => row.length !== n)) {
    throw new RangeError(`covariance must be ${n}×${n} to match ${n} weights`);
  }
  if (means && means.length !== n) throw new RangeError(`means must have ${n} entries to match the weights`);
}

export function portfolioRisk(input: PortfolioRiskInput): PortfolioRisk {
  const { weights: w, covariance: cov } = input;
  const n = w.length;
  checkShapes(n, cov, input.means);
  const alpha = tailProbability(input.p);
  const h = input.horizon ?? 1;
  if (!(h > 0)) throw new RangeError(`horizon must be a positive number of periods, got ${h}`);
  const sigmaW = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = cov[i]!;
    for (let j = 0; j < n; j++) s += row[j]! * w[j]!;
    sigmaW[i] = s;
  }
  let variance = 0;
  for (let i = 0; i < n; i++) variance += w[i]! * sigmaW[i]!;
  const sd = Math.sqrt(Math.max(variance, 0) * h);
  let location = 0;
  for (let i = 0; i < n; i++) location += w[i]! * (input.means?.[i] ?? 0) * h;
  const z = normalQuantile(alpha);
  const esFactor = -normalPdf(z) / alpha;
  // ∂σ_p/∂w_i = (Σw)_i·h/σ_p; when σ_p is 0 the derivative is undefined and the tail is the mean alone.
  const dSd = sigmaW.map((s) => (sd > 0 ? (s * h) / sd : 0));
  const marginalVar = dSd.map((d, i) => (input.means?.[i] ?? 0) * h + z * d);
  const marginalEs = dSd.map((d, i) => (input.means?.[i] ?? 0) * h + esFactor * d);
  return {
    var: location + z * sd,
    es: location + esFactor * sd,
    sd,
    marginalVar,
    componentVar: marginalVar.map((m, i) => m * w[i]!),
    marginalEs,
    componentEs: marginalEs.map((m, i) => m * w[i]!),
  };
}
