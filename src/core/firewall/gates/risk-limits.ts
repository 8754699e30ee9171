import type { RiskLimits } from '../../mandate/types.js';
import { covarianceMatrix } from '../../risk/correlation.js';
import { continuousKelly } from '../../risk/kelly.js';
import { portfolioRisk } from '../../risk/portfolio.js';
import { mean, variance } from '../../stats/descriptive.js';
import { pearson } from '../../stats/ranks.js';
import { reason } from '../reasons.js';
import { type GateResult, need, pause, reject, type Working } from './working.js';

// The mandate's portfolio-risk limits (arbiter.risk), steps of gate 10 after the exposure cap. Each is off unless
// the mandate sets it, never holds back an order that only reduces its position, judges the order as capped so
// far, and refuses (REJECT RISK_DATA_MISSING) rather than guess when the data it needs is missing.

function limits(w: Working): RiskLimits | undefined {
  return w.reduces ? undefined : need(w.mandate, 'the mandate').arbiter.risk;
}

const sideSign = (w: Working) => (need(w.intent, 'the intent').side === 'buy' ? 1 : -1);

function capOrPause(w: Working, headroom: number, r: ReturnType<typeof reason>): GateResult {
  const m = need(w.mandate, 'the mandate');
  const inst = need(w.instrument, 'the instrument');
  if (m.arbiter.allow_capping && headroom >= inst.minNotional && headroom > 0)
    return { status: 'capped', notional: headroom, reason: r };
  return pause(r);
}

function equityOrMissing(w: Working): number | GateResult {
  const equity = w.ctx.account.equity;
  return equity > 0 && Number.isFinite(equity) ? equity : reject(reason('RISK_DATA_MISSING', { missing: 'equity' }));
}

/** Post-trade |position| in the order's symbol, valued at the mid, at most `max_position_pct` of equity. */
export function checkPositionShare(w: Working): GateResult {
  const maxPct = limits(w)?.max_position_pct;
  if (maxPct === undefined) return null;
  const equity = equityOrMissing(w);
  if (typeof equity !== 'number') return equity;
  const held = w.ctx.account.position.qty * need(w.mid, 'the mid');
  const s = sideSign(w);
  const post = Math.abs(held + s * need(w.notional, 'the notional'));
  const cap = (maxPct / 100) * equity;
  if (post <= cap) return null;
  const r = reason('POSITION_SHARE_EXCEEDS_CAP', { share_pct: (post / equity) * 100, max_pct: maxPct });
  return capOrPause(w, s > 0 ? cap - held : cap + held, r);
}

/**
 * Post-trade gross exposure at most multiplier × Kelly leverage × equity, the Kelly leverage being μ/σ² of the
 * agent's own per-period returns on equity (sample variance). A record shorter than `min_periods` is refused.
 */
export function checkKellyCap(w: Working): GateResult {
  const kelly = limits(w)?.kelly;
  if (kelly === undefined) return null;
  const record = w.ctx.risk?.track_record;
  if (!record) return reject(reason('RISK_DATA_MISSING', { missing: 'track_record' }));
  if (record.length < kelly.min_periods)
    return reject(reason('KELLY_RECORD_TOO_SHORT', { periods: record.length, min_periods: kelly.min_periods }));
  const equity = equityOrMissing(w);
  if (typeof equity !== 'number') return equity;
  const f = continuousKelly(mean(record), variance(record));
  const cap = kelly.multiplier * (f > 0 ? f : 0) * equity;
  const current = w.ctx.account.gross_exposure;
  const post = current + need(w.notional, 'the notional');
  if (post <= cap) return null;
  const r = reason('KELLY_CAP_EXCEEDED', { exposure: post, cap, kelly: f, multiplier: kelly.multiplier });
  return capOrPause(w, cap - current, r);
}

/** The last `lookback` returns of each symbol, or the refusal that names the first one missing. */
function seriesFor(w: Working, symbols: readonly string[], lookback: number): number[][] | GateResult {
  const out: number[][] = [];
  for (const symbol of symbols) {
    const r = w.ctx.risk?.returns[symbol];
    if (!r || r.length < lookback || r.some((v) => !Number.isFinite(v)))
      return reject(reason('RISK_DATA_MISSING', { symbol, returns: r?.length ?? 0, lookback }));
    out.push(r.slice(r.length - lookback));
  }
  return out;
}

function heldElsewhere(w: Working): { symbol: string; notional: number }[] {
  const symbol = need(w.intent, 'the intent').symbol;
  return (w.ctx.risk?.book ?? []).filter((p) => p.symbol !== symbol && p.notional !== 0);
}

/**
 * The new position may not move with any other position held by more than `max_correlation`: for each, the Pearson
 * correlation of the two return series times the sign of the order's side times the sign of the held position.
 */
export function checkCorrelation(w: Working): GateResult {
  const lim = limits(w);
  if (lim?.max_correlation === undefined) return null;
  if (!w.ctx.risk) return reject(reason('RISK_DATA_MISSING', { missing: 'book' }));
  const others = heldElsewhere(w);
  if (others.length === 0) return null;
  const symbol = need(w.intent, 'the intent').symbol;
  const series = seriesFor(w, [symbol, ...others.map((o) => o.symbol)], lim.lookback);
  if (!Array.isArray(series)) return series;
  const s = sideSign(w);
  for (let i = 0; i < others.length; i++) {
    const rho = pearson(series[0]!, series[i + 1]!);
    if (Number.isNaN(rho)) return reject(reason('RISK_DATA_MISSING', { symbol: others[i]!.symbol, returns: 'flat' }));
    const signed = rho * s * Math.sign(others[i]!.notional);
    if (signed > lim.max_correlation)
      return pause(
        reason('CORRELATION_EXCEEDS_CAP', {
          symbol,
          with: others[i]!.symbol,
          correlation: signed,
          max: lim.max_correlation,
        }),
      );
  }
  return null;
}

/**
 * Post-trade gaussian VaR (or ES) of the whole book, zero mean (expected returns are not credited), sample
 * covariance of the last `lookback` returns, at `confidence` over `horizon_periods` bars: the loss may be at most
 * `max_loss_pct` of equity. An order after which the book's loss is smaller than before passes (a hedge).
 */
export function checkPortfolioVar(w: Working): GateResult {
  const lim = limits(w);
  const v = lim?.max_var;
  if (!lim || v === undefined) return null;
  if (!w.ctx.risk) return reject(reason('RISK_DATA_MISSING', { missing: 'book' }));
  const equity = equityOrMissing(w);
  if (typeof equity !== 'number') return equity;
  const symbol = need(w.intent, 'the intent').symbol;
  const book = w.ctx.risk.book.filter((p) => p.notional !== 0);
  const symbols = [symbol, ...new Set(book.map((p) => p.symbol).filter((x) => x !== symbol))];
  const series = seriesFor(w, symbols, lim.lookback);
  if (!Array.isArray(series)) return series;
  const covariance = covarianceMatrix(series);
  const pre = symbols.map((x) => book.filter((p) => p.symbol === x).reduce((a, p) => a + p.notional, 0) / equity);
  const post = pre.map((x, i) => (i === 0 ? x + (sideSign(w) * need(w.notional, 'the notional')) / equity : x));
  const loss = (weights: number[]) => {
    const r = portfolioRisk({ weights, covariance, p: v.confidence, horizon: v.horizon_periods });
    return -(v.measure === 'es' ? r.es : r.var);
  };
  const after = loss(post);
  if (after <= v.max_loss_pct / 100 || after < loss(pre)) return null;
  return pause(
    reason('PORTFOLIO_VAR_EXCEEDS_CAP', {
      measure: v.measure,
      loss_pct: after * 100,
      max_pct: v.max_loss_pct,
      confidence: v.confidence,
      horizon: v.horizon_periods,
    }),
  );
}
