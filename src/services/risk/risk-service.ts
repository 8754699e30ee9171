import type { RiskLimits } from '../../core/mandate/types.js';
import { correlationMatrix, covarianceMatrix, herfindahl } from '../../core/risk/correlation.js';
import { continuousKelly, fractionalKellySize, kellyFraction } from '../../core/risk/kelly.js';
import { type MonteCarloResult, monteCarlo } from '../../core/risk/monte-carlo.js';
import { portfolioRisk } from '../../core/risk/portfolio.js';
import { expectedShortfall, valueAtRisk } from '../../core/risk/var.js';
import type { ServiceDeps } from '../deps.js';
import { alignedReturns } from '../firewall/risk-inputs.js';
import type { Session } from '../firewall/types.js';
import type { KellyInput, MonteCarloInput, PortfolioInput, PositionSizeInput, VarInput } from './inputs.js';

/** A local failure of a risk request: the code says which, the message what was wrong and what is accepted. */
export class RiskServiceError extends Error {
  constructor(
    readonly code: 'INVALID_ARGUMENT' | 'NO_POSITIONS' | 'NO_DATA',
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** The calling agent's book as weights on equity, with the aligned returns of each symbol. */
export interface OwnBook {
  readonly equity: number;
  readonly symbols: readonly string[];
  /** Signed notional ÷ equity, one per symbol. */
  readonly weights: readonly number[];
  readonly returns: readonly (readonly number[])[];
}

type Bars = Pick<RiskLimits, 'timeframe' | 'lookback'>;

/**
 * Risk figures on given numbers or on the calling agent's own book (positions at mark and orders in flight, from
 * the store; returns from the market's candles). The account is always the session's.
 */
export class RiskService {
  constructor(private readonly deps: Pick<ServiceDeps, 'store' | 'market' | 'clock' | 'mandates'>) {}

  kelly(input: KellyInput): { kelly: number; method: 'binary' | 'continuous' } {
    if (input.p !== undefined && input.b !== undefined && input.a !== undefined)
      return { kelly: kellyFraction({ p: input.p, b: input.b, a: input.a }), method: 'binary' };
    return { kelly: continuousKelly(input.mean ?? 0, input.variance ?? 0, input.risk_free), method: 'continuous' };
  }

  /** The session's account as the firewall sees it (an account never seen starts at the mandate's funding). */
  private ownAccount(session: Session) {
    const load = this.deps.mandates.load(session.venue);
    const funding = load.ok ? load.mandate.hard_caps.account_funding_usd : 0;
    return this.deps.store.accountSnapshot(session.accountId, null, this.deps.clock.now(), funding);
  }

  async ownBook(session: Session, bars: Bars): Promise<OwnBook> {
    const book = await this.deps.store.book(session.accountId);
    if (book.length === 0) throw new RiskServiceError('NO_POSITIONS', 'your book is empty: give the numbers instead');
    const snapshot = await this.ownAccount(session);
    if (!(snapshot.equity > 0)) throw new RiskServiceError('NO_DATA', 'your account has no positive equity');
    const symbols = book.map((p) => p.symbol);
    const byLimit = await alignedReturns(this.deps.market, symbols, { ...bars });
    const missing = symbols.filter((s) => (byLimit[s]?.length ?? 0) < 2);
    if (missing.length)
      throw new RiskServiceError('NO_DATA', `no ${bars.timeframe} returns for ${missing.join(', ')} from the market`);
    return {
      equity: snapshot.equity,
      symbols,
      weights: book.map((p) => p.notional / snapshot.equity),
      returns: symbols.map((s) => byLimit[s]!),
    };
  }

  /** The book's per-period return series: Σ weight × symbol return, bar by bar. */
  private static bookSeries(b: OwnBook): number[] {
    const n = b.returns[0]!.length;
    return Array.from({ length: n }, (_, t) => b.weights.reduce((s, w, i) => s + w * b.returns[i]![t]!, 0));
  }

  async valueAtRisk(session: Session, input: VarInput) {
    const own = input.returns ? null : await this.ownBook(session, input);
    const series = input.returns ?? RiskService.bookSeries(own!);
    const opts = { p: input.confidence, method: input.method };
    return {
      source: own ? 'book' : 'given',
      method: input.method,
      confidence: input.confidence,
      observations: series.length,
      var: valueAtRisk(series, opts),
      es: expectedShortfall(series, opts),
      ...(own ? { equity: own.equity, symbols: own.symbols, weights: own.weights } : {}),
    };
  }

  async monteCarlo(session: Session, input: MonteCarloInput): Promise<MonteCarloResult & { source: string }> {
    const series = input.returns ?? RiskService.bookSeries(await this.ownBook(session, input));
    if (input.block_size !== undefined && input.block_size > series.length)
      throw new RiskServiceError('INVALID_ARGUMENT', `block_size must be at most ${series.length} (the returns given)`);
    const result = monteCarlo(series, {
      paths: input.paths,
      steps: input.steps,
      seed: input.seed,
      method: input.method,
      ruinFloor: input.ruin_floor,
      ...(input.block_size !== undefined ? { blockSize: input.block_size } : {}),
    });
    return { source: input.returns ? 'given' : 'book', ...result };
  }

  async portfolioRisk(session: Session, input: PortfolioInput) {
    let weights: readonly number[];
    let covariance: number[][];
    let series: readonly (readonly number[])[] | null = null;
    let symbols: readonly string[] | null = null;
    if (input.weights) {
      weights = input.weights;
      if (input.returns) {
        if (input.returns.length !== weights.length)
          throw new RiskServiceError('INVALID_ARGUMENT', `returns must have ${weights.length} series, one per weight`);
        series = input.returns;
        covariance = covarianceOf(series);
      } else covariance = (input.covariance ?? []).map((row) => [...row]);
    } else {
      const own = await this.ownBook(session, input);
      ({ weights, symbols } = own);
      series = own.returns;
      covariance = covarianceOf(series);
    }
    let r: ReturnType<typeof portfolioRisk>;
    try {
      r = portfolioRisk({ weights, covariance, p: input.confidence, horizon: input.horizon });
    } catch (e) {
      throw new RiskServiceError('INVALID_ARGUMENT', (e as Error).message);
    }
    return {
      source: symbols ? 'book' : 'given',
      confidence: input.confidence,
      horizon: input.horizon,
      ...(symbols ? { symbols } : {}),
      weights,
      ...r,
      hhi: herfindahl([...weights]),
      ...(series ? { correlation: correlationMatrix(series.map((s) => [...s])) } : {}),
    };
  }

  async positionSize(session: Session, input: PositionSizeInput) {
    const { kelly, method } = this.kelly(input);
    const equity = input.equity ?? (await this.ownAccount(session)).equity;
    const stake = fractionalKellySize({ kelly, fraction: input.fraction, equity, maxShare: input.max_share });
    return {
      kelly,
      method,
      fraction: input.fraction,
      equity,
      stake_usd: stake,
      capped_by_max_share: kelly * input.fraction > input.max_share,
    };
  }
}

function covarianceOf(series: readonly (readonly number[])[]): number[][] {
  try {
    return covarianceMatrix(series.map((s) => [...s]));
  } catch (e) {
    throw new RiskServiceError('INVALID_ARGUMENT', (e as Error).message);
  }
}
