/**
 * A binary bet: with probability `p` the stake grows by `b` (fraction of the stake won), otherwise it
 * shrinks by `a` (fraction of the stake lost). A classic even-money bet is { p, b: 1, a: 1 }.
 */
export interface KellyBet {
  readonly p: number;
  readonly b: number;
  readonly a: number;
}

/**
 * The Kelly fraction of wealth to stake on a binary bet, f* = p/a − (1 − p)/b, the fraction that maximises
 * E[log wealth]: p·ln(1 + f·b) + (1 − p)·ln(1 − f·a). Negative when the edge is negative (take the other
 * side, or do not bet); 0 for a fair bet (p·b = (1 − p)·a). Thorp (2006), "The Kelly criterion in
 * blackjack, sports betting and the stock market", eq. (2.3) for a = 1.
 */
export function kellyFraction(bet: KellyBet): number {
  const { p, b, a } = bet;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be a probability in [0, 1], got ${p}`);
  if (!(b > 0)) throw new RangeError(`b (the fraction won) must be positive, got ${b}`);
  if (!(a > 0)) throw new RangeError(`a (the fraction lost) must be positive, got ${a}`);
  return p / a - (1 - p) / b;
}

/**
 * Continuous-time Kelly leverage f* = (μ − r)/σ² for per-period mean return μ, per-period variance σ² and
 * per-period risk-free rate r (Thorp 2006, §7; Merton's growth-optimal portfolio). NaN when σ² ≤ 0.
 */
export function continuousKelly(meanReturn: number, variance: number, riskFree = 0): number {
  if (!(variance > 0)) return Number.NaN;
  return (meanReturn - riskFree) / variance;
}

export interface FractionalKellyOptions {
  /** The full-Kelly fraction (from `kellyFraction` or `continuousKelly`). */
  readonly kelly: number;
  /** Multiplier k in (0, 1]: 0.5 is "half Kelly". */
  readonly fraction: number;
  /** Account equity in quote currency. */
  readonly equity: number;
  /** Upper bound on the stake as a share of equity (a leverage cap); default 1 (no leverage). */
  readonly maxShare?: number;
}

/**
 * Fractional-Kelly stake in quote currency: equity × clamp(k·f*, 0, maxShare). A non-positive Kelly
 * fraction stakes nothing: the sizing never suggests taking the other side.
 */
export function fractionalKellySize(o: FractionalKellyOptions): number {
  if (!(o.fraction > 0 && o.fraction <= 1)) throw new RangeError(`fraction must be in (0, 1], got ${o.fraction}`);
  if (!(o.equity >= 0)) throw new RangeError(`equity must be non-negative, got ${o.equity}`);
  const cap = o.maxShare ?? 1;
  if (!(cap > 0)) throw new RangeError(`maxShare must be positive, got ${cap}`);
  if (!Number.isFinite(o.kelly) || o.kelly <= 0) return 0;
  return o.equity * Math.min(o.kelly * o.fraction, cap);
}
