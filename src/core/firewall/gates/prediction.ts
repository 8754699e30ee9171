import type { PredictionLimits } from '../../mandate/types.js';
import { reason } from '../reasons.js';
import type { PredictionContext } from '../types.js';
import { type GateResult, need, pause, reject, type Working } from './working.js';

// Binary prediction markets (an instrument of kind `prediction` is one outcome token, YES or NO). These are steps of
// existing gates and return null at once for every other instrument, so other orders are judged exactly as before.
// The market's state comes from the venue and is bound in the certificate (context.prediction).

const isPrediction = (w: Working) => w.ctx.instrument?.kind === 'prediction';

function limits(w: Working): PredictionLimits | undefined {
  return need(w.mandate, 'the mandate').arbiter.prediction;
}

function market(w: Working): PredictionContext | GateResult {
  const p = w.ctx.prediction;
  if (!p) return reject(reason('PREDICTION_DATA_MISSING', { symbol: w.ctx.instrument?.symbol, missing: 'market' }));
  return p;
}

const isContext = (x: PredictionContext | GateResult): x is PredictionContext =>
  x !== null && typeof x === 'object' && 'market_id' in x;

/** Gate 4, first: nothing trades on a market that is resolved, closed, or past its resolution time. */
export function checkPredictionStatus(w: Working): GateResult {
  if (!isPrediction(w)) return null;
  const p = market(w);
  if (!isContext(p)) return p;
  if (p.status === 'resolved') return reject(reason('PREDICTION_MARKET_RESOLVED', { market: p.market_id }));
  if (p.status !== 'open' || w.ctx.now >= p.resolves_at)
    return reject(
      reason('PREDICTION_MARKET_CLOSED', {
        market: p.market_id,
        status: p.status,
        resolves_at: new Date(p.resolves_at).toISOString(),
      }),
    );
  return null;
}

/** Gate 4, after sizing: an outcome token is worth between 0 and 1, so its quote and limit lie strictly inside. */
export function checkPredictionPrice(w: Working): GateResult {
  if (!isPrediction(w)) return null;
  const q = need(w.ctx.quote ?? undefined, 'the quote');
  const limit = need(w.intent, 'the intent').limit_price;
  for (const [field, v] of [
    ['bid', q.bid],
    ['ask', q.ask],
    ['limit_price', limit],
  ] as const) {
    if (v !== null && !(v > 0 && v < 1))
      return reject(reason('PREDICTION_PRICE_OUT_OF_RANGE', { [field]: v, accepted: '(0,1)' }));
  }
  return null;
}

/** Gate 5: enough liquidity in the outcome's book and enough time before resolution to add a position. */
export function checkPredictionUniverse(w: Working): GateResult {
  if (!isPrediction(w) || w.reduces) return null;
  const lim = limits(w);
  if (!lim) return null;
  const p = market(w);
  if (!isContext(p)) return p;
  if (lim.min_liquidity_usd !== undefined && !(p.liquidity_usd >= lim.min_liquidity_usd))
    return reject(
      reason('PREDICTION_LIQUIDITY_TOO_LOW', {
        market: p.market_id,
        liquidity_usd: p.liquidity_usd,
        min: lim.min_liquidity_usd,
      }),
    );
  const minutes = (p.resolves_at - w.ctx.now) / 60_000;
  if (lim.min_minutes_to_resolution !== undefined && !(minutes >= lim.min_minutes_to_resolution))
    return reject(
      reason('PREDICTION_RESOLUTION_TOO_SOON', {
        market: p.market_id,
        minutes_left: Math.floor(minutes),
        min_minutes: lim.min_minutes_to_resolution,
      }),
    );
  return null;
}

/**
 * Gate 6 for outcome tokens: the collar is absolute (cents of the 1-unit payout), since a percentage of a 3-cent
 * price means nothing. Returns undefined for other instruments (the percentage collar decides) or when unset.
 */
export function predictionCollar(w: Working): GateResult | undefined {
  if (!isPrediction(w)) return undefined;
  const cents = limits(w)?.collar_cents;
  if (cents === undefined) return undefined;
  const intent = need(w.intent, 'the intent');
  if (intent.limit_price === null) return null;
  const mid = need(w.mid, 'the mid price');
  const away = Math.abs(intent.limit_price - mid) * 100;
  if (away <= cents + 1e-9) return null;
  return reject(
    reason('PRICE_OUTSIDE_COLLAR', {
      limit_price: intent.limit_price,
      mid,
      deviation_cents: away,
      collar_cents: cents,
    }),
  );
}

/**
 * Gate 10: collateral paid into the order's market, and into all prediction markets, after this buy at most the
 * mandate's caps. Over a cap the order is cut to the headroom (ALLOW_CAPPED) when capping is on and the headroom is
 * a tradable order, else it waits for the human. A sale of shares held only gives collateral back and passes.
 */
export function checkPredictionCostBasis(w: Working): GateResult {
  if (!isPrediction(w) || w.reduces) return null;
  const lim = limits(w);
  if (lim?.max_cost_basis_per_market_usd === undefined && lim?.max_cost_basis_total_usd === undefined) return null;
  const p = market(w);
  if (!isContext(p)) return p;
  const notional = need(w.notional, 'the notional');
  const caps: [scope: string, held: number, cap: number | undefined][] = [
    ['market', p.cost_basis_market, lim.max_cost_basis_per_market_usd],
    ['total', p.cost_basis_total, lim.max_cost_basis_total_usd],
  ];
  let headroom = Number.POSITIVE_INFINITY;
  let r: ReturnType<typeof reason> | null = null;
  for (const [scope, held, cap] of caps) {
    if (cap === undefined || held + notional <= cap) continue;
    if (cap - held < headroom) {
      headroom = cap - held;
      r = reason('PREDICTION_COST_BASIS_EXCEEDS_CAP', { scope, market: p.market_id, cost_basis: held, notional, cap });
    }
  }
  if (r === null) return null;
  const inst = need(w.instrument, 'the instrument');
  if (need(w.mandate, 'the mandate').arbiter.allow_capping && headroom >= inst.minNotional && headroom > 0)
    return { status: 'capped', notional: headroom, reason: r };
  return pause(r);
}
