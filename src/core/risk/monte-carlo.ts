import { mean, quantileSorted, type Series, std } from '../stats/descriptive.js';
import { mulberry32, normalSampler, randomInt } from '../stats/rng.js';

export type MonteCarloMethod = 'bootstrap' | 'parametric';

export interface MonteCarloOptions {
  /** Number of simulated equity curves. */
  readonly paths: number;
  /** Periods per curve. */
  readonly steps: number;
  /** Seed of the Mulberry32 generator: the same seed and inputs give bit-identical output. */
  readonly seed: number;
  /**
   * bootstrap: circular moving-block bootstrap of the observed returns (blocks of `blockSize` consecutive
   * returns, wrapping at the end), which keeps short-range autocorrelation and volatility clusters.
   * parametric: iid normal returns with the sample mean and sample standard deviation (ddof = 1).
   */
  readonly method: MonteCarloMethod;
  /** Block length for the bootstrap; default max(1, round(n^(1/3))) for n observed returns. */
  readonly blockSize?: number;
  /** Ruin level as a share of starting wealth in [0, 1): a path is ruined once equity ≤ floor. Default 0.5. */
  readonly ruinFloor?: number;
  /** Quantile levels reported for drawdown and terminal wealth; default [0.05, 0.25, 0.5, 0.75, 0.95]. */
  readonly quantiles?: readonly number[];
}

export interface Distribution {
  readonly mean: number;
  /** Type-7 quantiles at the requested levels, in the order asked. */
  readonly quantiles: readonly { readonly q: number; readonly value: number }[];
}

export interface MonteCarloResult {
  readonly method: MonteCarloMethod;
  readonly paths: number;
  readonly steps: number;
  readonly seed: number;
  readonly blockSize: number;
  readonly ruinFloor: number;
  /** Maximum drawdown of each path as a fraction of its running peak, in [0, 1]. */
  readonly maxDrawdown: Distribution;
  /** Equity at the last step, starting from 1. */
  readonly terminalWealth: Distribution;
  /** Share of paths whose equity touched the floor at any step. */
  readonly probabilityOfRuin: number;
}

const DEFAULT_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];
export const MAX_MONTE_CARLO_CELLS = 50_000_000;

function distribution(values: Float64Array, levels: readonly number[]): Distribution {
  const sorted = values.slice().sort();
  return { mean: mean(sorted), quantiles: levels.map((q) => ({ q, value: quantileSorted(sorted, q) })) };
}

function checkOptions(n: number, o: MonteCarloOptions): void {
  if (n < 2) throw new RangeError(`Monte Carlo needs at least 2 observed returns, got ${n}`);
  if (!Number.isInteger(o.paths) || o.paths < 1)
    throw new RangeError(`paths must be a positive integer, got ${o.paths}`);
  if (!Number.isInteger(o.steps) || o.steps < 1)
    throw new RangeError(`steps must be a positive integer, got ${o.steps}`);
  if (o.paths * o.steps > MAX_MONTE_CARLO_CELLS) {
    throw new RangeError(`paths × steps must be at most ${MAX_MONTE_CARLO_CELLS}, got ${o.paths * o.steps}`);
  }
  if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  if (o.method !== 'bootstrap' && o.method !== 'parametric') {
    throw new RangeError(`method must be bootstrap or parametric, got ${String(o.method)}`);
  }
  const floor = o.ruinFloor ?? 0.5;
  if (!(floor >= 0 && floor < 1)) throw new RangeError(`ruinFloor must be in [0, 1), got ${floor}`);
  for (const q of o.quantiles ?? [])
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantiles must be in [0, 1], got ${q}`);
}

/**
 * Simulates `paths` equity curves of `steps` periods from a series of per-period simple returns, each
 * starting at 1 and compounding as W ← W·(1 + r) (a return ≤ −100 % leaves the path at 0, ruined), and
 * reports the distribution of maximum drawdown, of terminal wealth and the probability of ruin.
 */
export function monteCarlo(returns: Series, options: MonteCarloOptions): MonteCarloResult {
  const n = returns.length;
  checkOptions(n, options);
  const { paths, steps, seed, method } = options;
  const floor = options.ruinFloor ?? 0.5;
  const blockSize = options.blockSize ?? Math.max(1, Math.round(n ** (1 / 3)));
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > n) {
    throw new RangeError(`blockSize must be an integer in [1, ${n}], got ${blockSize}`);
  }
  const rng = mulberry32(seed);
  const normal = normalSampler(rng);
  const mu = mean(returns);
  const sigma = std(returns);
  const drawdowns = new Float64Array(paths);
  const terminal = new Float64Array(paths);
  let ruined = 0;
  for (let path = 0; path < paths; path++) {
    let wealth = 1;
    let peak = 1;
    let worst = 0;
    let hitFloor = false;
    let cursor = 0;
    let left = 0;
    for (let t = 0; t < steps; t++) {
      let r: number;
      if (method === 'parametric') {
        r = mu + sigma * normal();
      } else {
        if (left === 0) {
          cursor = randomInt(rng, n);
          left = blockSize;
        }
        r = returns[cursor]!;
        cursor = cursor + 1 === n ? 0 : cursor + 1;
        left--;
      }
      wealth = r <= -1 ? 0 : wealth * (1 + r);
      if (wealth > peak) peak = wealth;
      const dd = (peak - wealth) / peak;
      if (dd > worst) worst = dd;
      if (wealth <= floor) hitFloor = true;
      if (wealth === 0) break;
    }
    drawdowns[path] = worst;
    terminal[path] = wealth;
    if (hitFloor) ruined++;
  }
  const levels = options.quantiles ?? DEFAULT_QUANTILES;
  return {
    method,
    paths,
    steps,
    seed,
    blockSize,
    ruinFloor: floor,
    maxDrawdown: distribution(drawdowns, levels),
    terminalWealth: distribution(terminal, levels),
    probabilityOfRuin: ruined / paths,
  };
}
