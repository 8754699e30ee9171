import { deflatedSharpe, moments, type Series, variance } from '../../stats/index.js';
import { ratioOrSignedInfinity } from '../../stats/performance.js';

/** What the Deflated Sharpe of one trial was computed from (all per-period). */
export interface Deflation {
  readonly sharpe: number;
  readonly skew: number;
  readonly kurtosis: number;
  readonly dsr: number;
}

/**
 * Deflated Sharpe of every trial against all the others: the benchmark is the Sharpe the best of N luck-only
 * trials would be expected to show, N = every agent and parameter set in the run, V = the sample variance of
 * the trials' per-period Sharpe ratios (finite ones only). A trial whose Sharpe cannot be computed gets NaN.
 */
export function deflateAll(columns: readonly Series[]): { trials: number; sharpeVariance: number; each: Deflation[] } {
  const stats = columns.map((r) => {
    const m = moments(r);
    return { n: m.n, sharpe: m.n < 2 ? Number.NaN : ratioOrSignedInfinity(m.mean, m.std), m };
  });
  const finite = stats.map((s) => s.sharpe).filter((x) => Number.isFinite(x));
  const sharpeVariance = finite.length >= 2 ? variance(finite) : 0;
  const trials = columns.length;
  const each = stats.map(({ n, sharpe, m }) => {
    const usable = Number.isFinite(sharpe) && Number.isFinite(m.skewness) && Number.isFinite(m.kurtosis);
    const dsr = usable
      ? deflatedSharpe({
          sharpe,
          nObs: n,
          skew: m.skewness,
          kurtosis: m.kurtosis,
          nTrials: Math.max(1, trials),
          sharpeVariance,
        })
      : Number.NaN;
    return { sharpe, skew: m.skewness, kurtosis: m.kurtosis, dsr };
  });
  return { trials, sharpeVariance, each };
}
