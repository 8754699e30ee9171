/**
 * arbiter/risk — risk measures for position sizing and pre-trade limits. Pure functions on number arrays;
 * no I/O, no clock, no Math.random.
 *
 * Conventions
 * - Inputs are per-period SIMPLE returns (0.01 = +1 %), oldest first, as in arbiter/stats.
 * - VaR and ES are RETURNS, signed as PerformanceAnalytics returns them (its default `invert = TRUE`): a
 *   loss is negative. `valueAtRisk(r, { p: 0.95 })` = −0.02 means a loss worse than 2 % has a 5 % chance;
 *   ES ≤ VaR always (the tail mean is at least as bad as its threshold). `p` is the confidence level in
 *   (0.5, 1); the tail probability is α = 1 − p.
 * - historical VaR is the type-7 quantile at α (R's and numpy's default); historical ES is the mean of the
 *   returns strictly below it. gaussian and modified (Cornish-Fisher) use POPULATION moments (divisor n),
 *   as PerformanceAnalytics' `centeredmoment` does; modified ES is PerformanceAnalytics' operational
 *   Cornish-Fisher ES (Boudt, Peterson & Croux 2008), capped at the modified VaR.
 * - Portfolio VaR/ES are gaussian, from weights (shares of equity, negative = short) and a covariance matrix
 *   the caller supplies; the horizon scales mean by h and σ by √h. Marginal VaR is ∂VaR/∂w_i; component
 *   VaR is w_i·∂VaR/∂w_i and the components sum to the portfolio VaR (Euler allocation).
 * - Kelly: `kellyFraction({p, b, a})` for a bet winning the fraction b of the stake with probability p and
 *   losing the fraction a otherwise (f* = p/a − (1 − p)/b); `continuousKelly` = (μ − r)/σ² per period.
 * - Monte Carlo takes a seed (Mulberry32, arbiter/stats); equity starts at 1; drawdown is a fraction of the
 *   running peak; ruin means equity touched `ruinFloor` (default 0.5) at any step.
 * - Covariance `ddof` defaults to 1 (numpy.cov); the Ledoit-Wolf estimator uses divisor T as scikit-learn.
 * - The regime classifier is thresholds on recent/long-run volatility and on the t-statistic of the recent
 *   mean return (see `classifyRegime`), not a fitted hidden Markov model.
 * - Invalid parameters throw RangeError naming the parameter and what is accepted; degenerate samples
 *   (fewer than 2 points, flat series for the parametric methods) give NaN.
 */
export {
  beta,
  type CorrelationMethod,
  correlationMatrix,
  covarianceMatrix,
  covarianceToCorrelation,
  herfindahl,
  ledoitWolf,
  type ShrunkCovariance,
} from './correlation.js';
export {
  continuousKelly,
  type FractionalKellyOptions,
  fractionalKellySize,
  type KellyBet,
  kellyFraction,
} from './kelly.js';
export {
  type Distribution,
  MAX_MONTE_CARLO_CELLS,
  type MonteCarloMethod,
  type MonteCarloOptions,
  type MonteCarloResult,
  monteCarlo,
} from './monte-carlo.js';
export { type Matrix, type PortfolioRisk, type PortfolioRiskInput, portfolioRisk } from './portfolio.js';
export { classifyRegime, type MarketRegime, type RegimeOptions, type RegimeReading } from './regime.js';
export {
  cornishFisherQuantile,
  expectedShortfall,
  type PopulationMoments,
  populationMoments,
  tailProbability,
  VAR_METHODS,
  type VarMethod,
  type VarOptions,
  valueAtRisk,
} from './var.js';
