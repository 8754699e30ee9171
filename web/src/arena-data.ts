import { get } from './api.js';

export interface Row {
  rank: number;
  agent_id: string;
  family: string | null;
  benchmark: boolean;
  equity: number;
  total_return: number;
  sharpe: number | null;
  sortino: number | null;
  max_drawdown: number;
  psr: number | null;
  dsr: number | null;
  luck: boolean;
  trades: number;
  verdicts: Record<string, number>;
  /** LLM agents: their model and its spend so far. */
  model?: {
    model: string;
    calls: number;
    input_tokens: number;
    output_tokens: number;
    cost_usd: number;
    priced: boolean;
  };
}

/** One model call behind a decision (GET /v1/arena/decisions). */
export interface Exchange {
  role: string | null;
  attempt: number;
  model: string;
  system: string;
  user: string;
  turns: unknown[] | null;
  answer: string | null;
  tool_calls: unknown[] | null;
  error: string | null;
  input_tokens: number;
  output_tokens: number;
  usd: number;
  latency_ms: number;
}

export interface Decision {
  bar: number;
  ts: number;
  reason: string | null;
  inputs: Record<string, unknown> | null;
  intent: unknown;
  decision: string;
  reasons: string[];
  verdict_id: string;
  error: string | null;
  exchanges: Exchange[];
}

/** An LLM agent's latest decisions, newest first. */
export async function loadDecisions(agentId: string, limit = 10): Promise<Decision[]> {
  const r = await get<{ decisions: Decision[] }>(
    `/v1/arena/decisions?agent=${encodeURIComponent(agentId)}&limit=${limit}`,
  );
  return r.decisions;
}

export interface Board {
  run_id: string | null;
  bar: number;
  ts: number;
  score_rule?: string;
  rows: Row[];
}

export interface Curve {
  agent_id: string;
  points: { ts: number; equity: number }[];
}

export interface Trade {
  agent_id: string;
  ts: number;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
  notional: number;
  fee: number;
  verdict_id: string | null;
}

export interface Candle {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface Series {
  symbol: string;
  timeframe_ms: number;
  candles: Candle[];
}

export interface ArenaMandate {
  source: string;
  ok: boolean;
  problem: string | null;
  hash: string | null;
  per_order_usd: number | null;
  max_exposure_usd: number | null;
  max_leverage: number | null;
  max_trades_per_day: number | null;
  flatten_on_halt: boolean;
  expires_at: string | null;
}

export interface Run {
  id: string;
  status: string;
  market: string;
  bars_done: number;
  bars_total: number;
  agents: number;
  trials: number;
  venue?: string;
  mandate?: ArenaMandate;
}

export interface ArenaSnapshot {
  board: Board;
  curves: Curve[];
  trades: Trade[];
  series: Series[];
  /** Whose candles `series` holds: the arena run's replay, or (no arena) the market the firewall judges on. */
  seriesFrom: 'arena' | 'firewall';
  run: Run | null;
}

/** Everything the arena panels draw, read in one go (the leaderboard event says when to read again). */
export async function loadArena(): Promise<ArenaSnapshot> {
  const [board, equity, trades, prices, runs] = await Promise.all([
    get<Board>('/v1/leaderboard'),
    get<{ curves: Curve[] }>('/v1/arena/equity'),
    get<{ trades: Trade[] }>('/v1/arena/trades?limit=2000'),
    get<{ series: Series[] }>('/v1/arena/prices'),
    get<{ runs: Run[] }>('/v1/arena/runs'),
  ]);
  let series = prices.series;
  let seriesFrom: ArenaSnapshot['seriesFrom'] = 'arena';
  if (series.length === 0) {
    seriesFrom = 'firewall';
    // No arena: show the market the firewall judges on.
    const m = await get<{ symbol: string; candles: Candle[] }>('/v1/market/candles?symbol=BTC/USDT&limit=200');
    series = m.candles.length ? [{ symbol: m.symbol, timeframe_ms: 3_600_000, candles: m.candles }] : [];
  }
  const run = runs.runs.find((r) => r.id === board.run_id) ?? runs.runs[0] ?? null;
  return { board, curves: equity.curves, trades: trades.trades, series, seriesFrom, run };
}
