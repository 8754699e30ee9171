import { describe, expect, it } from 'vitest';
import { BTC_PERP, buy, ctx, mandate, sell } from '../../../../test/fixtures/context.js';
import type { RiskLimits } from '../../mandate/types.js';
import { mulberry32, normalSampler } from '../../stats/rng.js';
import { evaluate } from '../engine.js';
import type { EvaluationContext, RiskContext } from '../types.js';

/** 300 seeded normal returns with volatility `sd`. */
function series(seed: number, sd = 0.02): number[] {
  const z = normalSampler(mulberry32(seed));
  return Array.from({ length: 300 }, () => sd * z());
}

const BTC = series(1);
const ETH_SAME = [...BTC];
const SOL = series(3);

function withRisk(limits: Partial<RiskLimits>, risk: RiskContext | undefined, extra: Partial<EvaluationContext> = {}) {
  const m = mandate((m0) => ({
    ...m0,
    arbiter: { ...m0.arbiter, risk: { timeframe: '1h', lookback: 250, ...limits } },
  }));
  return ctx({ m, ...(risk ? { risk } : {}), ...extra });
}

const book = (entries: Record<string, number>, returns: Record<string, number[]>): RiskContext => ({
  book: Object.entries(entries).map(([symbol, notional]) => ({ symbol, notional })),
  returns,
});

type Row = [name: string, intent: unknown, context: EvaluationContext, decision: string, code?: string];

const table: Row[] = [
  // max_position_pct
  [
    'passes a position within its share of equity',
    buy({ notional: 150 }),
    withRisk({ max_position_pct: 2 }, undefined),
    'ALLOW',
  ],
  [
    'caps a buy at 2 % of equity',
    buy({ notional: 500 }),
    withRisk({ max_position_pct: 2 }, undefined),
    'ALLOW_CAPPED',
    'POSITION_SHARE_EXCEEDS_CAP',
  ],
  [
    'pauses when capping is off',
    buy({ notional: 500 }),
    ctx({
      m: mandate((m) => ({
        ...m,
        arbiter: { ...m.arbiter, allow_capping: false, risk: { timeframe: '1h', lookback: 250, max_position_pct: 2 } },
      })),
    }),
    'PAUSE_FOR_REAUTH',
    'POSITION_SHARE_EXCEEDS_CAP',
  ],
  [
    'lets a reduction through whatever the share',
    sell({ quantity: 0.001 }),
    withRisk({ max_position_pct: 1 }, undefined, {
      account: {
        equity: 10_000,
        peak_equity: 10_000,
        day_start_equity: 10_000,
        gross_exposure: 300,
        daily_count: 0,
        position: { qty: 0.005, avg_price: 60_000, pending_reduce_qty: 0 },
      },
    }),
    'ALLOW',
  ],
  // kelly
  [
    'refuses when the agent has no track record',
    buy(),
    withRisk({ kelly: { multiplier: 0.5, min_periods: 30 } }, book({}, {})),
    'REJECT',
    'RISK_DATA_MISSING',
  ],
  [
    'refuses until the track record is long enough',
    buy(),
    withRisk(
      { kelly: { multiplier: 0.5, min_periods: 30 } },
      { book: [], returns: {}, track_record: series(5).slice(0, 10) },
    ),
    'REJECT',
    'KELLY_RECORD_TOO_SHORT',
  ],
  [
    'passes within half Kelly of a profitable record',
    buy(),
    withRisk(
      { kelly: { multiplier: 0.5, min_periods: 30 } },
      { book: [], returns: {}, track_record: series(6, 0.01).map((r) => r + 0.002) },
    ),
    'ALLOW',
  ],
  [
    'pauses any new exposure when the record has no edge',
    buy(),
    withRisk(
      { kelly: { multiplier: 0.5, min_periods: 30 } },
      { book: [], returns: {}, track_record: series(7, 0.01).map((r) => r - 0.005) },
    ),
    'PAUSE_FOR_REAUTH',
    'KELLY_CAP_EXCEEDED',
  ],
  // max_correlation
  [
    'passes the first position of an empty book',
    buy(),
    withRisk({ max_correlation: 0.7 }, book({}, { 'BTC/USDT': BTC })),
    'ALLOW',
  ],
  [
    'pauses a long that moves with a long already held',
    buy(),
    withRisk({ max_correlation: 0.7 }, book({ 'ETH/USDT': 100 }, { 'BTC/USDT': BTC, 'ETH/USDT': ETH_SAME })),
    'PAUSE_FOR_REAUTH',
    'CORRELATION_EXCEEDS_CAP',
  ],
  [
    'passes a short that hedges a correlated long',
    sell({ symbol: 'BTC/USDT:USDT', notional: 50 }),
    withRisk({ max_correlation: 0.7 }, book({ 'ETH/USDT': 100 }, { 'BTC/USDT:USDT': BTC, 'ETH/USDT': ETH_SAME }), {
      instrument: BTC_PERP,
    }),
    'ALLOW',
  ],
  [
    'passes a position uncorrelated with the book',
    buy(),
    withRisk({ max_correlation: 0.7 }, book({ 'SOL/USDT': 100 }, { 'BTC/USDT': BTC, 'SOL/USDT': SOL })),
    'ALLOW',
  ],
  [
    'refuses when a held symbol has no returns',
    buy(),
    withRisk({ max_correlation: 0.7 }, book({ 'ETH/USDT': 100 }, { 'BTC/USDT': BTC })),
    'REJECT',
    'RISK_DATA_MISSING',
  ],
  [
    'refuses when the returns are shorter than the lookback',
    buy(),
    withRisk(
      { max_correlation: 0.7 },
      book({ 'ETH/USDT': 100 }, { 'BTC/USDT': BTC, 'ETH/USDT': ETH_SAME.slice(0, 100) }),
    ),
    'REJECT',
    'RISK_DATA_MISSING',
  ],
  [
    'refuses when the service supplied no risk data at all',
    buy(),
    withRisk({ max_correlation: 0.7 }, undefined),
    'REJECT',
    'RISK_DATA_MISSING',
  ],
  // max_var
  [
    'passes a small order on an empty book',
    buy({ notional: 500 }),
    withRisk(
      { max_var: { measure: 'var', confidence: 0.99, horizon_periods: 1, max_loss_pct: 1 } },
      book({}, { 'BTC/USDT': BTC }),
    ),
    'ALLOW',
  ],
  [
    'pauses an order that takes the book’s 99 % VaR past 1 % of equity',
    buy({ notional: 500 }),
    withRisk(
      { max_var: { measure: 'var', confidence: 0.99, horizon_periods: 1, max_loss_pct: 1 } },
      book({ 'ETH/USDT': 2_000 }, { 'BTC/USDT': BTC, 'ETH/USDT': ETH_SAME }),
    ),
    'PAUSE_FOR_REAUTH',
    'PORTFOLIO_VAR_EXCEEDS_CAP',
  ],
  [
    'pauses on ES when VaR alone would pass',
    buy({ notional: 500 }),
    withRisk(
      { max_var: { measure: 'es', confidence: 0.99, horizon_periods: 1, max_loss_pct: 1.1 } },
      book({ 'ETH/USDT': 1_800 }, { 'BTC/USDT': BTC, 'ETH/USDT': ETH_SAME }),
    ),
    'PAUSE_FOR_REAUTH',
    'PORTFOLIO_VAR_EXCEEDS_CAP',
  ],
  [
    'passes the same order when the limit is on VaR',
    buy({ notional: 500 }),
    withRisk(
      { max_var: { measure: 'var', confidence: 0.99, horizon_periods: 1, max_loss_pct: 1.1 } },
      book({ 'ETH/USDT': 1_800 }, { 'BTC/USDT': BTC, 'ETH/USDT': ETH_SAME }),
    ),
    'ALLOW',
  ],
  [
    'passes one bar of VaR under 0.5 %',
    buy({ notional: 500 }),
    withRisk(
      { max_var: { measure: 'var', confidence: 0.99, horizon_periods: 1, max_loss_pct: 0.5 } },
      book({}, { 'BTC/USDT': BTC }),
    ),
    'ALLOW',
  ],
  [
    'passes a hedge that lowers the VaR of a book already over the limit',
    sell({ symbol: 'BTC/USDT:USDT', notional: 500 }),
    withRisk(
      { max_var: { measure: 'var', confidence: 0.99, horizon_periods: 1, max_loss_pct: 1 } },
      book({ 'ETH/USDT': 3_000 }, { 'BTC/USDT:USDT': BTC, 'ETH/USDT': ETH_SAME }),
      { instrument: BTC_PERP },
    ),
    'ALLOW',
  ],
  [
    'scales the VaR with the horizon: ten bars breach where one does not',
    buy({ notional: 500 }),
    withRisk(
      { max_var: { measure: 'var', confidence: 0.99, horizon_periods: 10, max_loss_pct: 0.5 } },
      book({}, { 'BTC/USDT': BTC }),
    ),
    'PAUSE_FOR_REAUTH',
    'PORTFOLIO_VAR_EXCEEDS_CAP',
  ],
  [
    'refuses when the order’s own symbol has no returns',
    buy(),
    withRisk({ max_var: { measure: 'var', confidence: 0.99, horizon_periods: 1, max_loss_pct: 1 } }, book({}, {})),
    'REJECT',
    'RISK_DATA_MISSING',
  ],
];

describe('portfolio-risk limits (gate 10, arbiter.risk)', () => {
  it.each(table)('%s', (_name, intent, context, decision, code) => {
    const e = evaluate(intent, context);
    expect(e.decision, JSON.stringify(e.reasons)).toBe(decision);
    if (code) expect(e.reasons.map((r) => r.code)).toContain(code);
    expect(e.gates).toHaveLength(14);
  });

  it('five perfectly correlated positions: the first passes, the second is refused under a 0.7 cap', () => {
    const symbols = ['A/USDT', 'B/USDT', 'C/USDT', 'D/USDT', 'E/USDT'];
    const returns = Object.fromEntries(symbols.map((s) => [s, BTC]));
    const held: Record<string, number> = {};
    const decisions: string[] = [];
    for (const s of symbols) {
      const inst = { ...BTC_PERP, symbol: s, kind: 'spot' as const, maxLeverage: 1 };
      const c = withRisk({ max_correlation: 0.7 }, book(held, returns), {
        instrument: inst,
        quote: { symbol: s, bid: 60_000, ask: 60_010, ts: ctx().now - 100 },
      });
      const e = evaluate(buy({ symbol: s, notional: 100 }), c);
      decisions.push(e.decision);
      if (e.decision === 'ALLOW') held[s] = 100;
    }
    expect(decisions).toEqual([
      'ALLOW',
      'PAUSE_FOR_REAUTH',
      'PAUSE_FOR_REAUTH',
      'PAUSE_FOR_REAUTH',
      'PAUSE_FOR_REAUTH',
    ]);
  });

  it('reports the binding limit with its figures, CODE: key=value', () => {
    const e = evaluate(
      buy({ notional: 500 }),
      withRisk(
        { max_var: { measure: 'var', confidence: 0.99, horizon_periods: 1, max_loss_pct: 1 } },
        book({ 'ETH/USDT': 2_000 }, { 'BTC/USDT': BTC, 'ETH/USDT': ETH_SAME }),
      ),
    );
    expect(e.reasons[0]!.message).toMatch(
      /^PORTFOLIO_VAR_EXCEEDS_CAP: measure=var loss_pct=[\d.]+ max_pct=1 confidence=0.99 horizon=1$/,
    );
  });

  it('a mandate without risk limits ignores a risk context entirely', () => {
    const risk = book({ 'ETH/USDT': 9_000 }, {});
    for (const intent of [buy(), buy({ notional: 500 }), sell({ quantity: 0.001 })]) {
      const plain = evaluate(intent, ctx());
      const withData = evaluate(intent, ctx({ risk }));
      expect(withData).toEqual(plain);
    }
  });
});
