import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTC_PERP, ctx, mandate, NOW } from '../../../../test/fixtures/context.js';
import type { RiskLimits } from '../../mandate/types.js';
import { covarianceMatrix } from '../../risk/correlation.js';
import { portfolioRisk } from '../../risk/portfolio.js';
import { pearson } from '../../stats/ranks.js';
import { mulberry32, normalSampler } from '../../stats/rng.js';
import { evaluate } from '../engine.js';
import type { EvaluationContext } from '../types.js';

// The portfolio-risk limits are money-safety code: whatever the book, the returns and the order, a passing verdict
// must respect every limit the mandate sets, as recomputed here from the context the certificate binds.

const PASSING = new Set(['ALLOW', 'ALLOW_CAPPED']);
const SYMBOL = 'BTC/USDT:USDT';
const OTHERS = ['ETH/USDT', 'SOL/USDT', 'XRP/USDT'];
const LOOKBACK = 40;

/** LOOKBACK returns per symbol, each a mix of a common factor and its own noise (so correlations vary). */
const arbReturns = fc
  .record({
    seed: fc.integer(),
    loadings: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
  })
  .map(({ seed, loadings }) => {
    const z = normalSampler(mulberry32(seed));
    const common = Array.from({ length: LOOKBACK }, () => z());
    const symbols = [SYMBOL, ...OTHERS];
    return Object.fromEntries(
      symbols.map((s, i) => [s, common.map((c) => 0.02 * (loadings[i]! * c + (1 - Math.abs(loadings[i]!)) * z()))]),
    ) as Record<string, number[]>;
  });

const arbCase = fc.record({
  returns: arbReturns,
  held: fc.array(fc.integer({ min: -3_000, max: 3_000 }), { minLength: 3, maxLength: 3 }),
  ownQty: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
  side: fc.constantFrom('buy', 'sell'),
  notional: fc.double({ min: 5, max: 2_000, noNaN: true }),
  maxPositionPct: fc.option(fc.double({ min: 0.5, max: 20, noNaN: true }), { nil: undefined }),
  maxLossPct: fc.option(fc.double({ min: 0.1, max: 5, noNaN: true }), { nil: undefined }),
  measure: fc.constantFrom<'var' | 'es'>('var', 'es'),
  maxCorrelation: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  capping: fc.boolean(),
});

type Case = typeof arbCase extends fc.Arbitrary<infer T> ? T : never;

function build(k: Case): EvaluationContext {
  const limits: RiskLimits = {
    timeframe: '1h',
    lookback: LOOKBACK,
    ...(k.maxPositionPct !== undefined ? { max_position_pct: k.maxPositionPct } : {}),
    ...(k.maxLossPct !== undefined
      ? { max_var: { measure: k.measure, confidence: 0.99, horizon_periods: 1, max_loss_pct: k.maxLossPct } }
      : {}),
    ...(k.maxCorrelation !== undefined ? { max_correlation: k.maxCorrelation } : {}),
  };
  const m = mandate((x) => ({
    ...x,
    hard_caps: { ...x.hard_caps, max_order_notional_usd: 5_000, max_total_exposure_usd: 1e9, max_leverage: 50 },
    arbiter: { ...x.arbiter, allow_capping: k.capping, risk: limits },
  }));
  const mid = 60_005;
  const book = [
    ...(k.ownQty !== 0 ? [{ symbol: SYMBOL, notional: k.ownQty * mid }] : []),
    ...OTHERS.map((symbol, i) => ({ symbol, notional: k.held[i]! })).filter((p) => p.notional !== 0),
  ];
  return ctx({
    m,
    instrument: BTC_PERP,
    quote: { symbol: SYMBOL, bid: 60_000, ask: 60_010, ts: NOW - 100 },
    account: { position: { qty: k.ownQty, avg_price: 60_000, pending_reduce_qty: 0 } },
    risk: { book, returns: k.returns },
  });
}

describe('portfolio-risk limits (property-based)', () => {
  it('a passing order keeps every limit the mandate sets, recomputed from the bound context', () => {
    fc.assert(
      fc.property(arbCase, (k) => {
        const c = build(k);
        const intent = { symbol: SYMBOL, side: k.side, notional: k.notional };
        const e = evaluate(intent, c);
        if (!PASSING.has(e.decision) || e.reduces) return;
        const equity = c.account.equity;
        const s = k.side === 'buy' ? 1 : -1;
        const n = e.effective!.notional;
        if (k.maxPositionPct !== undefined) {
          const post = Math.abs(k.ownQty * 60_005 + s * n);
          expect(post, 'position share').toBeLessThanOrEqual((k.maxPositionPct / 100) * equity * (1 + 1e-9));
        }
        const book = c.risk!.book;
        const others = book.filter((p) => p.symbol !== SYMBOL);
        const last = (x: number[]) => x.slice(x.length - LOOKBACK);
        if (k.maxCorrelation !== undefined) {
          for (const o of others) {
            const rho = pearson(last(k.returns[SYMBOL]!), last(k.returns[o.symbol]!)) * s * Math.sign(o.notional);
            expect(rho, `correlation with ${o.symbol}`).toBeLessThanOrEqual(k.maxCorrelation);
          }
        }
        if (k.maxLossPct !== undefined) {
          const symbols = [SYMBOL, ...others.map((o) => o.symbol)];
          const covariance = covarianceMatrix(symbols.map((x) => last(k.returns[x]!)));
          const pre = symbols.map((x) => (book.find((p) => p.symbol === x)?.notional ?? 0) / equity);
          const loss = (w: number[]) => {
            const r = portfolioRisk({ weights: w, covariance, p: 0.99 });
            return -(k.measure === 'es' ? r.es : r.var);
          };
          const after = loss(pre.map((x, i) => (i === 0 ? x + (s * n) / equity : x)));
          // Judged on the notional as capped so far, before rounding to the step: rounding only shrinks it.
          const ok = after <= (k.maxLossPct / 100) * (1 + 1e-9) || after < loss(pre) + 1e-12;
          expect(ok, `loss ${after} vs cap ${k.maxLossPct / 100} and before ${loss(pre)}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('missing or short return data never lets new exposure through a VaR or correlation limit', () => {
    fc.assert(
      fc.property(arbCase, fc.constantFrom('drop-own', 'drop-held', 'short'), (k, how) => {
        if (k.maxLossPct === undefined && k.maxCorrelation === undefined) return;
        if (k.maxCorrelation !== undefined && k.maxLossPct === undefined && k.held.every((x) => x === 0)) return;
        const c = build(k);
        const returns = { ...k.returns };
        if (how === 'drop-own') delete returns[SYMBOL];
        else if (how === 'drop-held') for (const o of OTHERS) delete returns[o];
        else for (const key of Object.keys(returns)) returns[key] = returns[key]!.slice(0, LOOKBACK - 1);
        if (how === 'drop-held' && k.held.every((x) => x === 0)) return;
        const e = evaluate(
          { symbol: SYMBOL, side: k.side, notional: k.notional },
          { ...c, risk: { ...c.risk!, returns } },
        );
        if (e.reduces) return;
        expect(PASSING.has(e.decision), `${e.decision} ${e.reasons.map((r) => r.code).join(',')}`).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
