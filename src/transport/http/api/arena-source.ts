/**
 * What the HTTP API and the dashboard read from an arena. The arena (src/services/arena, src/app/arena) implements
 * this; the transport only maps it to JSON. Objects are sent on the wire as they are returned, so field names are
 * the API's (snake_case). Scores are per agent over the run so far; a score that cannot be computed yet (too few
 * bars, a flat curve) is null, never NaN.
 *
 * Changes are announced on the EventBus as `{ type: 'leaderboard', data: { run_id, bar } }`: the SSE stream
 * forwards them and the dashboard re-reads the leaderboard, the curves and the trades.
 */
export interface ArenaSource {
  /** Every run this server knows, newest first. */
  runs(): Promise<readonly ArenaRunSummary[]>;
  /** One run with its leaderboard, or null when there is no such run. */
  run(runId: string): Promise<ArenaRunDetail | null>;
  /** The leaderboard of a run (default: the current or latest run), best first; null when there is no run. */
  leaderboard(runId?: string): Promise<Leaderboard | null>;
  /** Each agent's equity, one point per bar, oldest first. */
  equityCurves(runId?: string): Promise<readonly EquityCurve[]>;
  /** Fills, oldest first; `limit` keeps the most recent ones. */
  trades(
    runId?: string,
    filter?: { readonly agentId?: string; readonly limit?: number },
  ): Promise<readonly ArenaTrade[]>;
  /** The candles the run trades on, up to the current bar only (never a bar the agents have not seen). */
  priceSeries(runId?: string): Promise<readonly PriceSeries[]>;
  /** One agent's decisions, newest first, each with its model exchanges (LLM agents); `limit` keeps the newest. */
  decisions?(
    runId: string | undefined,
    filter: { readonly agentId: string; readonly limit: number },
  ): Promise<readonly ArenaDecision[]>;
}

/** One model call behind a decision: the prompt, the answer, what it cost and how long it took. Never a key. */
export interface ArenaExchange {
  /** Debate and persona agents: who spoke (`bull`, `judge`, `persona:NAME`); null for a single model. */
  readonly role: string | null;
  readonly attempt: number;
  readonly model: string;
  readonly system: string;
  readonly user: string;
  /** Tool mode: the tool calls and results the model had been shown. */
  readonly turns: readonly unknown[] | null;
  readonly answer: string | null;
  readonly tool_calls: readonly unknown[] | null;
  readonly error: string | null;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly usd: number;
  readonly latency_ms: number;
}

/** One decision of an agent: its reason and trace inputs, the intent and verdict (if any), its model calls. */
export interface ArenaDecision {
  readonly bar: number;
  readonly ts: number;
  readonly reason: string | null;
  readonly inputs: Readonly<Record<string, unknown>> | null;
  readonly intent: unknown;
  readonly decision: string;
  readonly reasons: readonly string[];
  readonly verdict_id: string;
  readonly error: string | null;
  readonly exchanges: readonly ArenaExchange[];
}

export type ArenaRunStatus = 'running' | 'finished' | 'stopped' | 'failed';

export interface ArenaRunSummary {
  readonly id: string;
  readonly status: ArenaRunStatus;
  /** Where the bars come from, e.g. `binance-2024-1h`. */
  readonly market: string;
  readonly timeframe_ms: number;
  /** Epoch ms (wall clock) the run started and last advanced. */
  readonly started_at: number;
  readonly updated_at: number;
  readonly bars_done: number;
  readonly bars_total: number;
  readonly agents: number;
  /** Number of strategy configurations tried (the N of the deflated Sharpe); usually the number of agents. */
  readonly trials: number;
  readonly starting_capital: number;
  /** The venue the arena trades on: a halt of `venue:<venue>` (or a global one) stops it. */
  readonly venue?: string;
  /** The mandate every account in the run trades under. */
  readonly mandate?: ArenaMandateView;
}

/** The arena's mandate as the dashboard shows it. */
export interface ArenaMandateView {
  /** Where it comes from: `built-in` (sized to the starting capital) or the runtime-root file it was read from. */
  readonly source: string;
  readonly ok: boolean;
  /** Why it cannot be used (the arena then trades nothing), when `ok` is false. */
  readonly problem: string | null;
  readonly hash: string | null;
  readonly per_order_usd: number | null;
  readonly max_exposure_usd: number | null;
  readonly max_leverage: number | null;
  readonly max_trades_per_day: number | null;
  readonly flatten_on_halt: boolean;
  readonly expires_at: string | null;
}

export interface LeaderboardRow {
  /** 1 = best. */
  readonly rank: number;
  readonly agent_id: string;
  /** Strategy family (`trend`, `reversion`, …) and whether the agent is a benchmark (buy-and-hold, random). */
  readonly family: string | null;
  readonly benchmark: boolean;
  readonly equity: number;
  /** Fractions: 0.012 = +1.2 %. */
  readonly total_return: number;
  /** Annualised. */
  readonly sharpe: number | null;
  /** Annualised. */
  readonly sortino: number | null;
  /** Peak-to-trough fall, a fraction in [0, 1). */
  readonly max_drawdown: number;
  /** Probabilistic Sharpe ratio P(true Sharpe > 0), 0..1. */
  readonly psr: number | null;
  /** Deflated Sharpe ratio (PSR against the best-of-N-trials luck benchmark), 0..1. */
  readonly dsr: number | null;
  /** True when the result is not distinguishable from luck (DSR below 0.95, or not computable). */
  readonly luck: boolean;
  readonly trades: number;
  /** Historical 95 % VaR and ES of one bar's return, signed (negative = loss); absent from sources without them. */
  readonly var_95?: number | null;
  readonly es_95?: number | null;
  /** Verdicts by decision for this agent in the run, e.g. `{ ALLOW: 40, REJECT: 3 }`. */
  readonly verdicts: Readonly<Record<string, number>>;
  /** LLM agents only: their model and what its calls cost so far (tokens, USD; `priced` false: no price known). */
  readonly model?: {
    readonly model: string;
    readonly calls: number;
    readonly input_tokens: number;
    readonly output_tokens: number;
    readonly cost_usd: number;
    readonly priced: boolean;
  };
}

export interface Leaderboard {
  readonly run_id: string;
  readonly bar: number;
  readonly ts: number;
  /** How the rows are ranked, in words (shown under the table), e.g. "rank by the Deflated Sharpe Ratio, then…". */
  readonly score_rule?: string;
  readonly rows: readonly LeaderboardRow[];
}

export interface ArenaRunDetail extends ArenaRunSummary {
  readonly leaderboard: readonly LeaderboardRow[];
  /** Probability of backtest overfitting across the agents (null until computable). */
  readonly pbo: number | null;
}

export interface EquityPoint {
  /** Market time of the bar (epoch ms). */
  readonly ts: number;
  readonly equity: number;
}

export interface EquityCurve {
  readonly agent_id: string;
  readonly points: readonly EquityPoint[];
}

export interface ArenaTrade {
  readonly agent_id: string;
  /** Market time of the fill (epoch ms). */
  readonly ts: number;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly price: number;
  readonly notional: number;
  readonly fee: number;
  /** The verdict that authorised the order (look it up at /v1/verdicts/:id). */
  readonly verdict_id: string | null;
}

export interface Candle {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface PriceSeries {
  readonly symbol: string;
  readonly timeframe_ms: number;
  readonly candles: readonly Candle[];
}

/** The source used when no arena runs in this process: everything is empty. */
export const noArena: ArenaSource = {
  runs: async () => [],
  run: async () => null,
  leaderboard: async () => null,
  equityCurves: async () => [],
  trades: async () => [],
  priceSeries: async () => [],
};
