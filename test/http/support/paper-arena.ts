import type { AppContext } from '../../../src/app/context.js';
import type { Services } from '../../../src/app/services.js';
import type { Candle as MarketCandle } from '../../../src/core/market/types.js';
import {
  annualizedSharpe,
  deflatedSharpe,
  isLuck,
  maxDrawdown,
  moments,
  mulberry32,
  probabilisticSharpeOfReturns,
  simpleReturns,
  sortino,
  variance,
} from '../../../src/core/stats/index.js';
import type { Session } from '../../../src/services/firewall-service.js';
import type {
  ArenaRunDetail,
  ArenaRunSummary,
  ArenaSource,
  ArenaTrade,
  EquityCurve,
  Leaderboard,
  LeaderboardRow,
  PriceSeries,
} from '../../../src/transport/http/api/arena-source.js';

const SYMBOL = 'BTC/USDT';
const HOURLY_PER_YEAR = 8_760;
const SIZE_USD = 250;

type Intent = Record<string, unknown>;

interface Strategy {
  readonly id: string;
  readonly family: string;
  readonly benchmark: boolean;
  /** Decides from closed candles (oldest first) and the position the venue reports; null is no trade. */
  decide(closes: readonly number[], position: number, bar: number): Intent | null;
}

const sma = (x: readonly number[], n: number) => x.slice(-n).reduce((a, b) => a + b, 0) / Math.min(n, x.length);
const buy = (notional: number): Intent => ({ symbol: SYMBOL, side: 'buy', notional });
const sellAll = (quantity: number): Intent => ({ symbol: SYMBOL, side: 'sell', quantity, reduce_only: true });

/** Long or flat: trades only when the wanted state differs from the position. */
function longFlat(want: (closes: readonly number[], holding: boolean) => boolean) {
  return (closes: readonly number[], position: number): Intent | null => {
    // Dust left by fees is not a position.
    const holding = position * (closes.at(-1) ?? 0) > 10;
    const long = want(closes, holding);
    if (long === holding) return null;
    return long ? buy(SIZE_USD) : sellAll(position);
  };
}

/**
 * Momentum agents whose ids share prefixes (momentum-2, momentum-20, momentum-200, …): a page that cuts names
 * cannot tell them apart. Each is long while the close is above its average over `n` bars (as many as the 48-bar
 * window holds) by a margin of its own.
 */
function momentumAgents(count: number): Strategy[] {
  const ns = [2, 20, 200, 3, 30, 300, 4, 40, 400, 5, 50, 500, 6, 60, 600, 7, 70, 700, 8, 80, 800, 9, 90, 900];
  return ns.slice(0, count).map((n, i) => ({
    id: `momentum-${n}`,
    family: 'momentum',
    benchmark: false,
    decide: longFlat((c) => c.at(-1)! > sma(c, Math.min(n, 47)) * (1 + (i % 5) * 0.001)),
  }));
}

function strategies(seed: number, extra: number): Strategy[] {
  const rng = mulberry32(seed);
  return [
    {
      id: 'trend-6-24',
      family: 'trend',
      benchmark: false,
      decide: longFlat((c) => sma(c, 6) > sma(c, 24)),
    },
    {
      id: 'reversion-24',
      family: 'reversion',
      benchmark: false,
      decide: longFlat((c, holding) => (holding ? c.at(-1)! < sma(c, 24) : c.at(-1)! < sma(c, 24) * 0.995)),
    },
    { id: 'buy-and-hold', family: 'benchmark', benchmark: true, decide: longFlat(() => true) },
    {
      id: 'coin-flip',
      family: 'random',
      benchmark: true,
      decide: longFlat((_c, holding) => (rng() < 0.25 ? !holding : holding)),
    },
    {
      // Keeps adding until the exposure cap caps it, then refuses it; flattens twice a day.
      id: 'pyramid',
      family: 'momentum',
      benchmark: false,
      decide: (c, position, bar) => {
        if (bar % 12 === 11) return position * c.at(-1)! > 10 ? sellAll(position) : null;
        return buy(290);
      },
    },
    ...momentumAgents(extra),
  ];
}

interface Book {
  readonly strategy: Strategy;
  readonly session: Session;
  readonly equity: { ts: number; equity: number }[];
  readonly verdicts: Record<string, number>;
  trades: number;
}

/**
 * A small arena for the HTTP and browser tests: rule-based agents trade real 2024 BTC bars through the real
 * OrderService (firewall, store transaction, paper venue), and the leaderboard is scored from the equity the venue
 * reports after each bar. Not the project's arena; the same ArenaSource the real one will implement.
 */
export class PaperArena implements ArenaSource {
  readonly runId = 'test-run-1';
  private readonly books: Book[];
  private readonly fills: ArenaTrade[] = [];
  private bar: number;
  private readonly startedAt = Date.now();
  private updatedAt = Date.now();

  constructor(
    private readonly app: AppContext,
    private readonly services: Services,
    private readonly market: { clockTimeOfBar(i: number): number; readonly name: string },
    private readonly clock: { set(ms: number): void },
    private readonly startBar: number,
    private readonly totalBars: number,
    seed = 7,
    extraAgents = 0,
  ) {
    this.bar = startBar;
    this.books = strategies(seed, extraAgents).map((strategy) => ({
      strategy,
      session: { agentId: strategy.id, accountId: `arena-${strategy.id}`, venue: 'paper', sessionId: 'arena-test' },
      equity: [],
      verdicts: {},
      trades: 0,
    }));
  }

  get agentIds(): string[] {
    return this.books.map((b) => b.strategy.id);
  }

  get barsDone(): number {
    return this.bar - this.startBar;
  }

  /** Runs `n` bars: each agent decides on closed bars, orders go through the firewall, equity is read back. */
  async step(n = 1): Promise<void> {
    const venue = this.app.deps.venues.get('paper')!;
    for (let k = 0; k < n; k++) {
      this.clock.set(this.market.clockTimeOfBar(this.bar));
      const candles = await this.app.deps.market.candles(SYMBOL, '1h', 48);
      const closes = candles.map((c) => c.close);
      for (const b of this.books) {
        const position = (await venue.positions(b.session.accountId)).find((p) => p.symbol === SYMBOL);
        const intent = b.strategy.decide(closes, position?.quantity ?? 0, this.bar);
        if (!intent) continue;
        const r = await this.services.orders.place(b.session, intent, 'arena.test');
        const decision = r.certificate.payload.decision;
        b.verdicts[decision] = (b.verdicts[decision] ?? 0) + 1;
        for (const f of r.order?.fills ?? []) {
          b.trades += 1;
          this.fills.push({
            agent_id: b.strategy.id,
            ts: f.ts,
            symbol: SYMBOL,
            side: r.order!.side,
            quantity: f.quantity,
            price: f.price,
            notional: f.price * f.quantity,
            fee: f.fee,
            verdict_id: r.certificate.payload.id,
          });
        }
      }
      const ts = this.market.clockTimeOfBar(this.bar);
      for (const b of this.books) b.equity.push({ ts, equity: (await venue.balance(b.session.accountId)).equity });
      this.bar += 1;
      this.updatedAt = Date.now();
      this.app.deps.events.publish({ type: 'leaderboard', data: { run_id: this.runId, bar: this.bar } });
    }
  }

  private rows(): LeaderboardRow[] {
    const perPeriod = this.books.map((b) => {
      const r = simpleReturns(b.equity.map((p) => p.equity));
      const m = moments(r);
      return { r, m, sr: m.std > 0 ? m.mean / m.std : Number.NaN };
    });
    const finite = perPeriod.map((p) => p.sr).filter(Number.isFinite);
    const srVariance = finite.length > 1 ? variance(finite) : 0;
    const num = (x: number) => (Number.isFinite(x) ? x : null);
    const rows = this.books.map((b, i) => {
      const { r, m, sr } = perPeriod[i]!;
      const curve = b.equity.map((p) => p.equity);
      const first = curve[0] ?? 10_000;
      const last = curve.at(-1) ?? first;
      const dsr = Number.isFinite(sr)
        ? deflatedSharpe({
            sharpe: sr,
            nObs: m.n,
            skew: m.skewness,
            kurtosis: m.kurtosis,
            nTrials: this.books.length,
            sharpeVariance: srVariance,
          })
        : Number.NaN;
      return {
        rank: 0,
        agent_id: b.strategy.id,
        family: b.strategy.family,
        benchmark: b.strategy.benchmark,
        equity: last,
        total_return: last / first - 1,
        sharpe: num(annualizedSharpe(r, HOURLY_PER_YEAR)),
        sortino: num(sortino(r, HOURLY_PER_YEAR)),
        max_drawdown: maxDrawdown(curve).maxDrawdown,
        psr: num(probabilisticSharpeOfReturns(r)),
        dsr: num(dsr),
        luck: isLuck(dsr),
        trades: b.trades,
        verdicts: { ...b.verdicts },
      };
    });
    // As the arena ranks: deflated Sharpe first, then Sharpe.
    const key = (x: number | null) => x ?? Number.NEGATIVE_INFINITY;
    rows.sort((a, b) => key(b.dsr) - key(a.dsr) || key(b.sharpe) - key(a.sharpe));
    return rows.map((row, i) => ({ ...row, rank: i + 1 }));
  }

  private summary(): ArenaRunSummary {
    return {
      id: this.runId,
      status: this.barsDone >= this.totalBars ? 'finished' : 'running',
      market: this.market.name,
      timeframe_ms: 3_600_000,
      started_at: this.startedAt,
      updated_at: this.updatedAt,
      bars_done: this.barsDone,
      bars_total: this.totalBars,
      agents: this.books.length,
      trials: this.books.length,
      starting_capital: 10_000,
    };
  }

  private known(runId?: string): boolean {
    return runId === undefined || runId === this.runId;
  }

  async runs(): Promise<readonly ArenaRunSummary[]> {
    return [this.summary()];
  }

  async run(runId: string): Promise<ArenaRunDetail | null> {
    return this.known(runId) ? { ...this.summary(), leaderboard: this.rows(), pbo: null } : null;
  }

  async leaderboard(runId?: string): Promise<Leaderboard | null> {
    if (!this.known(runId)) return null;
    return {
      run_id: this.runId,
      bar: this.bar,
      ts: this.market.clockTimeOfBar(this.bar),
      score_rule: 'ranked by deflated Sharpe, then Sharpe',
      rows: this.rows(),
    };
  }

  async equityCurves(runId?: string): Promise<readonly EquityCurve[]> {
    if (!this.known(runId)) return [];
    return this.books.map((b) => ({ agent_id: b.strategy.id, points: [...b.equity] }));
  }

  async trades(runId?: string, filter: { agentId?: string; limit?: number } = {}): Promise<readonly ArenaTrade[]> {
    if (!this.known(runId)) return [];
    const mine = filter.agentId ? this.fills.filter((t) => t.agent_id === filter.agentId) : this.fills;
    return mine.slice(-(filter.limit ?? mine.length));
  }

  async priceSeries(runId?: string): Promise<readonly PriceSeries[]> {
    if (!this.known(runId)) return [];
    const candles: readonly MarketCandle[] = await this.app.deps.market.candles(SYMBOL, '1h', this.barsDone + 24);
    return [{ symbol: SYMBOL, timeframe_ms: 3_600_000, candles }];
  }
}
