import { evaluate } from '../firewall/engine.js';
import type { EvaluationContext } from '../firewall/types.js';
import { defaultMandate } from '../mandate/schema.js';
import type { Mandate } from '../mandate/types.js';
import { mulberry32, normalSampler } from '../stats/rng.js';
import { depthWithin } from './book.js';
import { type Calibration, calibration, type Forecast } from './calibration.js';
import { PredictionExchange, PredictionOrderError } from './exchange.js';
import { type SyntheticPredictionMarket, syntheticPredictionMarkets } from './generator.js';
import { type Outcome, outcomeInstrument } from './types.js';

/** What an agent sees of one open market at one step. */
export interface PredictionObservation {
  readonly marketId: string;
  readonly step: number;
  readonly now: number;
  /** YES mid prices so far, oldest first, the current one last. */
  readonly prices: readonly number[];
  /** The agent's private estimate of P(YES), when the arena gives it one (an informed agent); else null. */
  readonly signal: number | null;
  /** Shares held per outcome. */
  readonly held: Readonly<Record<Outcome, number>>;
}

/** An order intent on one outcome, with the probability of YES the agent trades on (its reason). */
export interface PredictionIntent {
  readonly outcome: Outcome;
  readonly side: 'buy' | 'sell';
  /** Collateral to spend (buy) — or shares to sell, as `quantity`. */
  readonly notional?: number;
  readonly quantity?: number;
  /** A sale that closes what is held: sent whole, below the venue minimum if need be. */
  readonly reduceOnly?: boolean;
  readonly probability: number;
  readonly reason: string;
}

export interface PredictionAgent {
  readonly id: string;
  /** Informed agents get a noisy private estimate of the true probability; others see prices only. */
  readonly informed?: boolean;
  decide(o: PredictionObservation): PredictionIntent | null;
}

export interface PredictionArenaOptions {
  readonly seed: number;
  readonly agents: readonly PredictionAgent[];
  readonly markets?: number;
  readonly steps?: number;
  /** Starting collateral per agent (default 10,000). */
  readonly cash?: number;
  /** The mandate every agent trades under (default: conservative, prediction markets admitted). */
  readonly mandate?: Mandate;
}

export interface PredictionAgentResult {
  readonly id: string;
  readonly pnl: number;
  readonly trades: number;
  readonly refused: number;
  /** Fees paid. */
  readonly fees: number;
  /** Of the probabilities its filled trades implied, scored against the outcomes. */
  readonly calibration: Calibration;
  /** Refusal counts by reason code. */
  readonly reasons: Readonly<Record<string, number>>;
  /** The highest cost basis held after any fill, in one market and in all (USDC, fees apart). */
  readonly peakCostBasis: { readonly market: number; readonly total: number };
}

export interface PredictionArenaResult {
  readonly seed: number;
  readonly markets: readonly {
    id: string;
    question: string;
    resolutionSource: string;
    resolvesAt: number;
    outcome: Outcome;
  }[];
  /** Best PnL first. */
  readonly agents: readonly PredictionAgentResult[];
}

/** A mandate admitting prediction markets with per-market and total cost-basis caps. */
export function predictionArenaMandate(start: number, cash: number): Mandate {
  const m = defaultMandate(new Date(start - 86_400_000), '0'.repeat(64), 'paper');
  return {
    ...m,
    hard_caps: {
      ...m.hard_caps,
      account_funding_usd: cash,
      max_total_exposure_usd: cash,
      allowed_instruments: ['prediction'],
      max_trades_per_day: 200,
    },
    universe: { ...m.universe, asset_classes: ['prediction'] },
    consent: { ...m.consent, expires_at: new Date(start + 365 * 86_400_000).toISOString() },
    arbiter: {
      ...m.arbiter,
      market_kinds: ['prediction'],
      throttle: { per_second: 100, per_minute: 1_000 },
      prediction: {
        collar_cents: 5,
        max_cost_basis_per_market_usd: cash * 0.2,
        max_cost_basis_total_usd: cash * 0.8,
        min_liquidity_usd: 50,
        min_minutes_to_resolution: 180,
      },
    },
  };
}

/**
 * Agents trade synthetic prediction markets to resolution. Every intent goes through the firewall's evaluate()
 * on a context read from the exchange (quote, market state, cost basis, liquidity); only an allowed order reaches
 * the paper prediction exchange, at the size the firewall allowed. At the end every market resolves to its known
 * outcome and pays 1 per winning share. Each agent is scored by PnL and by the calibration (Brier, log score) of
 * the probabilities its filled trades stated. Deterministic: the same options give the same result.
 */
export function runPredictionArena(o: PredictionArenaOptions): PredictionArenaResult {
  const cash = o.cash ?? 10_000;
  const steps = o.steps ?? 200;
  const markets = syntheticPredictionMarkets({ seed: o.seed, markets: o.markets ?? 6, steps });
  const start = markets[0]?.times[0] ?? 0;
  const mandate = o.mandate ?? predictionArenaMandate(start, cash);
  const x = new PredictionExchange({ feeRate: 0.02 });
  for (const m of markets) x.list(m.market, m.price[0]!);
  const z = normalSampler(mulberry32((o.seed ^ 0x5eed) >>> 0));
  const stats = new Map(
    o.agents.map((a) => {
      x.deposit(a.id, cash);
      return [
        a.id,
        {
          trades: 0,
          refused: 0,
          fees: 0,
          forecasts: [] as { m: string; p: number }[],
          reasons: {} as Record<string, number>,
          peak: { market: 0, total: 0 },
          day: -1,
          count: 0,
        },
      ];
    }),
  );
  for (let t = 0; t < steps; t++) {
    for (const m of markets) x.setPrice(m.market.id, m.price[t]!);
    for (const m of markets) {
      const now = m.times[t]!;
      for (const a of o.agents) {
        const signal = a.informed ? Math.min(0.99, Math.max(0.01, m.truth[t]! + 0.03 * z())) : null;
        const held = heldOf(x, a.id, m.market.id);
        const intent = a.decide({ marketId: m.market.id, step: t, now, prices: m.price.slice(0, t + 1), signal, held });
        if (intent) trade(x, a.id, m, intent, now, mandate, stats.get(a.id)!);
      }
    }
  }
  for (const m of markets) x.resolve(m.market.id, m.outcome);
  const outcomeOf = new Map(markets.map((m) => [m.market.id, m.outcome]));
  const agents = o.agents.map((a): PredictionAgentResult => {
    const s = stats.get(a.id)!;
    const fs: Forecast[] = s.forecasts.map((f) => ({ p: f.p, y: outcomeOf.get(f.m) === 'YES' ? 1 : 0 }));
    return {
      id: a.id,
      pnl: x.balance(a.id) - cash,
      trades: s.trades,
      refused: s.refused,
      fees: s.fees,
      calibration: calibration(fs),
      reasons: s.reasons,
      peakCostBasis: s.peak,
    };
  });
  agents.sort((p, q) => q.pnl - p.pnl || (p.id < q.id ? -1 : 1));
  return {
    seed: o.seed,
    markets: markets.map((m) => ({
      id: m.market.id,
      question: m.market.question,
      resolutionSource: m.market.resolutionSource,
      resolvesAt: m.market.resolvesAt,
      outcome: m.outcome,
    })),
    agents,
  };
}

function heldOf(x: PredictionExchange, accountId: string, marketId: string): Record<Outcome, number> {
  const h = { YES: 0, NO: 0 };
  for (const p of x.positions(accountId)) if (p.marketId === marketId) h[p.outcome] = p.qty;
  return h;
}

type Stats = {
  trades: number;
  refused: number;
  fees: number;
  forecasts: { m: string; p: number }[];
  reasons: Record<string, number>;
  peak: { market: number; total: number };
  day: number;
  count: number;
};

function trade(
  x: PredictionExchange,
  accountId: string,
  m: SyntheticPredictionMarket,
  intent: PredictionIntent,
  now: number,
  mandate: Mandate,
  s: Stats,
): void {
  const id = m.market.id;
  const book = x.book(id, intent.outcome);
  const bid = book.bids[0]?.price;
  const ask = book.asks[0]?.price;
  const inst = outcomeInstrument(id, intent.outcome, m.market.tickSize);
  const positions = x.positions(accountId);
  const mark = (mid: number, o: Outcome) => (o === 'YES' ? mid : 1 - mid);
  const exposure = positions.reduce((a, p) => a + p.qty * mark(x.yesMid(p.marketId), p.outcome), 0);
  const equity = x.balance(accountId) + exposure;
  const day = Math.floor(now / 86_400_000);
  if (day !== s.day) {
    s.day = day;
    s.count = 0;
  }
  const held = positions.find((p) => p.marketId === id && p.outcome === intent.outcome);
  const ctx: EvaluationContext = {
    now,
    agent_id: accountId,
    account_id: accountId,
    venue: 'paper-prediction',
    live: false,
    mandate: { ok: true, mandate },
    halts: { global: false, venue: false, agent: false },
    quote: bid !== undefined && ask !== undefined ? { symbol: inst.symbol, bid, ask, ts: now } : null,
    instrument: inst,
    account: {
      equity,
      peak_equity: Math.max(equity, mandate.hard_caps.account_funding_usd),
      day_start_equity: equity,
      gross_exposure: exposure,
      daily_count: s.count,
      position: { qty: held?.qty ?? 0, avg_price: held ? held.costBasis / held.qty : 0, pending_reduce_qty: 0 },
      synced_at: now,
    },
    throttle: { last_second: 0, last_minute: 0 },
    recent_duplicate: false,
    market: { window_high: null, breaker_tripped: false },
    prediction: {
      market_id: id,
      outcome: intent.outcome,
      status: m.market.status,
      resolves_at: m.market.resolvesAt,
      liquidity_usd: bid !== undefined && ask !== undefined ? depthWithin(book, (bid + ask) / 2, 5) : 0,
      cost_basis_market: positions.filter((p) => p.marketId === id).reduce((a, p) => a + p.costBasis, 0),
      cost_basis_total: positions.reduce((a, p) => a + p.costBasis, 0),
    },
  };
  const raw = {
    symbol: inst.symbol,
    side: intent.side,
    ...(intent.notional !== undefined ? { notional: intent.notional } : { quantity: intent.quantity }),
    ...(intent.reduceOnly ? { reduce_only: true } : {}),
  };
  const e = evaluate(raw, ctx);
  if ((e.decision !== 'ALLOW' && e.decision !== 'ALLOW_CAPPED') || !e.effective) {
    s.refused++;
    const code = e.reasons[e.reasons.length - 1]?.code ?? e.decision;
    s.reasons[code] = (s.reasons[code] ?? 0) + 1;
    return;
  }
  try {
    // A marketable limit at the price the firewall sized the order at: the fill cannot cost more than it allowed.
    const f = x.place(
      accountId,
      {
        marketId: id,
        outcome: intent.outcome,
        side: intent.side,
        quantity: e.effective.quantity,
        limitPrice: e.effective.price,
      },
      now,
    );
    if (f.filledQty <= 0) return;
    s.trades++;
    s.count++;
    s.fees += f.fee;
    s.forecasts.push({ m: id, p: intent.probability });
    const after = x.positions(accountId);
    const inMarket = after.filter((p) => p.marketId === id).reduce((n, p) => n + p.costBasis, 0);
    s.peak.market = Math.max(s.peak.market, inMarket);
    s.peak.total = Math.max(
      s.peak.total,
      after.reduce((n, p) => n + p.costBasis, 0),
    );
  } catch (err) {
    if (!(err instanceof PredictionOrderError)) throw err;
    s.refused++;
    s.reasons[err.code] = (s.reasons[err.code] ?? 0) + 1;
  }
}
