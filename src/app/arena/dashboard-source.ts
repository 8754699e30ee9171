import { deflateAll, type ModelSpend } from '../../core/arena/index.js';
import { expectedShortfall, valueAtRisk } from '../../core/risk/var.js';
import {
  annualizedSharpe,
  isLuck,
  matrixFromColumns,
  maxDrawdown,
  pbo,
  probabilisticSharpeOfReturns,
  simpleReturns,
  sortino,
} from '../../core/stats/index.js';
import type { ModelExchange } from '../../ports/model.js';
import type { ArenaEngine } from '../../services/arena/engine.js';
import type {
  ArenaDecision,
  ArenaExchange,
  ArenaMandateView,
  ArenaRunDetail,
  ArenaRunStatus,
  ArenaRunSummary,
  ArenaSource,
  ArenaTrade,
  EquityCurve,
  Leaderboard,
  LeaderboardRow,
  PriceSeries,
} from '../../transport/http/api/arena-source.js';

const YEAR_MS = 365 * 86_400_000;
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export interface RunMeta {
  /** Where the bars come from (e.g. `csv:BTCUSDT_1h.csv`). */
  readonly market: string;
  readonly roster: readonly {
    readonly id: string;
    readonly family: string;
    readonly benchmark: boolean;
    /** LLM agents: their model's spend so far. */
    readonly model?: () => ModelSpend;
  }[];
  /** The venue the run trades on and the mandate its accounts trade under (shown on the dashboard). */
  readonly venue?: string;
  readonly mandate?: ArenaMandateView;
  /** The run's model exchanges so far (LLM agents), in the order they finished. */
  readonly exchanges?: () => readonly ModelExchange[];
}

interface Entry {
  readonly id: string;
  readonly engine: ArenaEngine;
  readonly meta: RunMeta;
  status: ArenaRunStatus;
  readonly startedAt: number;
  updatedAt: number;
}

/**
 * The arenas running in this process as the HTTP API and dashboard read them (transport's ArenaSource). Scores
 * are over the bars done so far, from the same books the run's files are written from; anything that cannot be
 * computed yet is null. Runs register with `add` and report progress with `update`.
 */
export class ArenaRuns implements ArenaSource {
  private readonly entries: Entry[] = [];

  constructor(private readonly wallClock: () => number = Date.now) {}

  /** Registers a run under its engine's run id (the id its `leaderboard` events carry). */
  add(engine: ArenaEngine, meta: RunMeta): void {
    const now = this.wallClock();
    this.entries.push({ id: engine.config.runId, engine, meta, status: 'running', startedAt: now, updatedAt: now });
  }

  update(id: string, status: ArenaRunStatus = 'running'): void {
    const e = this.entries.find((x) => x.id === id);
    if (!e) return;
    e.status = status;
    e.updatedAt = this.wallClock();
  }

  private pick(runId?: string): Entry | undefined {
    return runId === undefined ? this.entries.at(-1) : this.entries.find((e) => e.id === runId);
  }

  private summary(e: Entry): ArenaRunSummary {
    const c = e.engine.config;
    return {
      id: e.id,
      status: e.status,
      market: e.meta.market,
      timeframe_ms: e.engine.frame.timeframeMs,
      started_at: e.startedAt,
      updated_at: e.updatedAt,
      bars_done: e.engine.bar - c.startBar,
      bars_total: c.endBar - c.startBar,
      agents: e.engine.agentIds.length,
      trials: e.engine.agentIds.length,
      starting_capital: c.capital,
      ...(e.meta.venue ? { venue: e.meta.venue } : {}),
      ...(e.meta.mandate ? { mandate: e.meta.mandate } : {}),
    };
  }

  /** Each agent's equity so far: the points marked at past bar opens, then the books marked now. */
  private curves(e: Entry): Float64Array[] {
    const { engine } = e;
    if (engine.finished) return [...engine.equity];
    const known = Math.max(1, engine.bar - engine.config.startBar);
    const m = engine.cursor.marks;
    return engine.equity.map((full, a) => {
      const out = new Float64Array(known + 1);
      out.set(full.subarray(0, known));
      out[out.length - 1] = engine.portfolio.equity(a, m.spot, m.perp);
      return out;
    });
  }

  private rows(e: Entry): LeaderboardRow[] {
    const { engine } = e;
    const ppy = YEAR_MS / engine.frame.timeframeMs;
    const curves = this.curves(e);
    const returns = curves.map((c) => simpleReturns(c));
    const deflated = deflateAll(returns);
    const verdicts = engine.agentIds.map(() => ({}) as Record<string, number>);
    const index = new Map(engine.agentIds.map((id, a) => [id, a] as const));
    for (const t of engine.traces) {
      const v = verdicts[index.get(t.agent)!]!;
      v[t.decision] = (v[t.decision] ?? 0) + 1;
    }
    const meta = new Map(e.meta.roster.map((r) => [r.id, r] as const));
    const rows = engine.agentIds.map((id, a) => {
      const r = returns[a]!;
      const c = curves[a]!;
      const dsr = deflated.each[a]!.dsr;
      return {
        rank: 0,
        agent_id: id,
        family: meta.get(id)?.family ?? null,
        benchmark: meta.get(id)?.benchmark ?? false,
        equity: c[c.length - 1]!,
        total_return: c[c.length - 1]! / c[0]! - 1,
        sharpe: r.length > 1 ? finite(annualizedSharpe(r, ppy)) : null,
        sortino: r.length > 1 ? finite(sortino(r, ppy)) : null,
        max_drawdown: maxDrawdown(c).maxDrawdown,
        psr: finite(probabilisticSharpeOfReturns(r)),
        dsr: finite(dsr),
        luck: isLuck(dsr),
        trades: engine.portfolio.fillCount[a]!,
        var_95: r.length > 1 ? finite(valueAtRisk(r, { p: 0.95, method: 'historical' })) : null,
        es_95: r.length > 1 ? finite(expectedShortfall(r, { p: 0.95, method: 'historical' })) : null,
        verdicts: verdicts[a]!,
        ...(meta.get(id)?.model ? { model: meta.get(id)!.model!() } : {}),
      };
    });
    const key = (x: number | null) => x ?? Number.NEGATIVE_INFINITY;
    rows.sort((x, y) => key(y.dsr) - key(x.dsr) || key(y.sharpe) - key(x.sharpe) || (x.agent_id < y.agent_id ? -1 : 1));
    return rows.map((r, i) => ({ ...r, rank: i + 1 }));
  }

  async runs(): Promise<readonly ArenaRunSummary[]> {
    return [...this.entries].reverse().map((e) => this.summary(e));
  }

  async run(runId: string): Promise<ArenaRunDetail | null> {
    const e = this.pick(runId);
    if (!e) return null;
    let p: number | null = null;
    try {
      p = pbo(matrixFromColumns(this.curves(e).map((c) => simpleReturns(c))), { partitions: 16 }).pbo;
    } catch {
      p = null; // too few bars or agents so far
    }
    return { ...this.summary(e), leaderboard: this.rows(e), pbo: p };
  }

  async leaderboard(runId?: string): Promise<Leaderboard | null> {
    const e = this.pick(runId);
    if (!e) return null;
    return {
      run_id: e.id,
      bar: e.engine.bar,
      ts: e.engine.frame.spot.ts[Math.min(e.engine.bar, e.engine.frame.length - 1)]!,
      score_rule: 'rank by the Deflated Sharpe Ratio over the bars so far, then by annualised Sharpe, then by id',
      rows: this.rows(e),
    };
  }

  async equityCurves(runId?: string): Promise<readonly EquityCurve[]> {
    const e = this.pick(runId);
    if (!e) return [];
    const { frame, config } = e.engine;
    const ts0 = frame.spot.ts[config.startBar]!;
    return this.curves(e).map((c, a) => ({
      agent_id: e.engine.agentIds[a]!,
      points: Array.from(c, (equity, k) => ({ ts: ts0 + k * frame.timeframeMs, equity })),
    }));
  }

  async decisions(
    runId: string | undefined,
    filter: { readonly agentId: string; readonly limit: number },
  ): Promise<readonly ArenaDecision[]> {
    const e = this.pick(runId);
    if (!e) return [];
    const mine = e.engine.traces.filter((t) => t.agent === filter.agentId).slice(-filter.limit);
    const bars = new Set(mine.map((t) => t.bar));
    const byBar = new Map<number, ArenaExchange[]>();
    for (const x of e.meta.exchanges?.() ?? []) {
      if (x.agent !== filter.agentId || !bars.has(x.bar)) continue;
      const list = byBar.get(x.bar) ?? [];
      list.push({
        role: x.role ?? null,
        attempt: x.attempt,
        model: x.request.model,
        system: x.request.system,
        user: x.request.user,
        turns: x.request.turns ? [...x.request.turns] : null,
        answer: x.response?.text ?? null,
        tool_calls: x.response?.tool_calls ? [...x.response.tool_calls] : null,
        error: x.error?.message ?? null,
        input_tokens: x.response?.usage.input_tokens ?? 0,
        output_tokens: x.response?.usage.output_tokens ?? 0,
        usd: x.usd,
        latency_ms: x.latency_ms,
      });
      byBar.set(x.bar, list);
    }
    return mine.reverse().map((t) => ({
      bar: t.bar,
      ts: t.ts,
      reason: t.reason,
      inputs: t.inputs,
      intent: t.intent,
      decision: t.decision,
      reasons: t.reasons,
      verdict_id: t.verdict_id,
      error: t.error,
      exchanges: byBar.get(t.bar) ?? [],
    }));
  }

  async trades(runId?: string, filter: { agentId?: string; limit?: number } = {}): Promise<readonly ArenaTrade[]> {
    const e = this.pick(runId);
    if (!e) return [];
    const mine = e.engine.trades.filter((t) => filter.agentId === undefined || t.agent === filter.agentId);
    const kept = filter.limit === undefined ? mine : mine.slice(-Math.max(0, filter.limit));
    return kept.map((t) => ({
      agent_id: t.agent,
      ts: t.ts,
      symbol: t.symbol,
      side: t.side,
      quantity: t.quantity,
      price: t.price,
      notional: t.notional,
      fee: t.fee,
      verdict_id: t.client_order_id.startsWith('vdt_') ? t.client_order_id : null,
    }));
  }

  async priceSeries(runId?: string): Promise<readonly PriceSeries[]> {
    const e = this.pick(runId);
    if (!e) return [];
    const { frame, bar } = e.engine;
    return [frame.spot, ...(frame.perp ? [frame.perp] : [])].map((s) => ({
      symbol: s.symbol,
      timeframe_ms: frame.timeframeMs,
      candles: Array.from({ length: Math.min(bar, frame.length) }, (_, i) => ({
        ts: s.ts[i]!,
        open: s.open[i]!,
        high: s.high[i]!,
        low: s.low[i]!,
        close: s.close[i]!,
        volume: s.volume[i]!,
      })),
    }));
  }
}
