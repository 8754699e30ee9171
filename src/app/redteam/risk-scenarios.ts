import type { Mandate, RiskLimits } from '../../core/mandate/types.js';
import type { Candle } from '../../core/market/types.js';
import { mulberry32, normalSampler } from '../../core/stats/rng.js';
import type { VetResult } from '../../services/firewall-service.js';
import { BTC, type Harness, T0 } from './harness.js';
import { RestingVenue } from './resting-venue.js';
import { allowed, blocked, desc, type Outcome, passed, type Scenario } from './scenarios.js';

// The mandate's portfolio-risk limits (arbiter.risk), attacked through the production path: the book comes from
// the store, the returns from the market's candles, and every refusal must re-derive from its certificate alone.

const HOUR = 3_600_000;

/** Hourly candles whose close-to-close returns are `returns`, ending at the harness clock. */
function candles(returns: readonly number[], start: number): Candle[] {
  const out: Candle[] = [];
  let close = start;
  const first = T0 - returns.length * HOUR;
  out.push({ ts: first - HOUR, open: close, high: close, low: close, close, volume: 1 });
  returns.forEach((r, i) => {
    close *= 1 + r;
    out.push({ ts: first + i * HOUR, open: close, high: close, low: close, close, volume: 1 });
  });
  return out;
}

function returns(seed: number, sd = 0.02, n = 300): number[] {
  const z = normalSampler(mulberry32(seed));
  return Array.from({ length: n }, () => sd * z());
}

const withRisk =
  (limits: Partial<RiskLimits>) =>
  (m: Mandate): Mandate => ({ ...m, arbiter: { ...m.arbiter, risk: { timeframe: '1h', lookback: 250, ...limits } } });

/** Stages a book of long positions at mark (positions replaced as a venue view would) and their candles. */
async function stageBook(h: Harness, held: Record<string, number>, series: Record<string, readonly number[]>) {
  const positions = Object.entries(held).map(([symbol, notional]) => ({
    symbol,
    qty: notional / 100,
    avgPrice: 100,
    mark: 100,
  }));
  await h.store.applyView('acct', { asOf: null, equity: 10_000, positions }, h.clock.now());
  for (const [symbol, r] of Object.entries(series)) h.market.setCandles(symbol, candles(r, 100));
}

/** Refused, and the refusal re-derives from its certificate (the book and returns are bound in it). */
async function refusedAndBound(h: Harness, r: VetResult, code: string): Promise<Outcome> {
  const b = blocked(r);
  const v = await h.verify(r.certificate, { rederive: true });
  const codes = r.certificate.payload.reasons.map((x) => x.code);
  const bound = r.certificate.payload.context.risk !== undefined || code === 'RISK_DATA_MISSING';
  return {
    unsafe: b.unsafe || !v.ok || !codes.includes(code as never) || !bound,
    false_reject: false,
    detail: `${desc(r)} rederive=${v.ok ? 'ok' : v.message}`,
  };
}

const same = returns(11);

export const RISK_SCENARIOS: readonly Scenario[] = [
  {
    id: 'C09',
    kind: 'control',
    name: 'an uncorrelated position under correlation and VaR limits',
    options: {
      mandate: withRisk({
        max_correlation: 0.7,
        max_var: { measure: 'var', confidence: 0.99, horizon_periods: 1, max_loss_pct: 2 },
      }),
    },
    run: async (h) => {
      await stageBook(h, { 'ETH/USDT': 300 }, { 'ETH/USDT': returns(21), [BTC]: returns(22) });
      return allowed(await h.vet({ symbol: BTC, side: 'buy', notional: 100 }));
    },
  },
  {
    id: 'A57',
    kind: 'attack',
    name: 'a fifth position moving in lockstep with four held (correlation cap 0.7)',
    options: { mandate: withRisk({ max_correlation: 0.7 }) },
    run: async (h) => {
      const held = { 'ETH/USDT': 100, 'SOL/USDT': 100, 'AVAX/USDT': 100, 'XRP/USDT': 100 };
      await stageBook(h, held, {
        [BTC]: same,
        'ETH/USDT': same,
        'SOL/USDT': same,
        'AVAX/USDT': same,
        'XRP/USDT': same,
      });
      return refusedAndBound(h, await h.vet({ symbol: BTC, side: 'buy', notional: 100 }), 'CORRELATION_EXCEEDS_CAP');
    },
  },
  {
    id: 'A58',
    kind: 'attack',
    name: 'a buy that takes the book’s 99 % one-bar VaR past 1 % of equity',
    options: {
      mandate: withRisk({ max_var: { measure: 'var', confidence: 0.99, horizon_periods: 1, max_loss_pct: 1 } }),
    },
    run: async (h) => {
      await stageBook(h, { 'ETH/USDT': 2_000 }, { [BTC]: same, 'ETH/USDT': same });
      return refusedAndBound(h, await h.vet({ symbol: BTC, side: 'buy', notional: 500 }), 'PORTFOLIO_VAR_EXCEEDS_CAP');
    },
  },
  {
    id: 'A59',
    kind: 'attack',
    name: 'a VaR limit with no returns for a held symbol (fail closed)',
    options: {
      mandate: withRisk({ max_var: { measure: 'var', confidence: 0.99, horizon_periods: 1, max_loss_pct: 5 } }),
    },
    run: async (h) => {
      await stageBook(h, { 'ETH/USDT': 200 }, { [BTC]: same });
      return refusedAndBound(h, await h.vet({ symbol: BTC, side: 'buy', notional: 50 }), 'RISK_DATA_MISSING');
    },
  },
  {
    id: 'A60',
    kind: 'attack',
    name: 'two orders in lockstep sent at the same instant on an empty book (correlation cap 0.7): one passes',
    options: {
      mandate: withRisk({ max_correlation: 0.7 }),
      venue: ({ clock }) => new RestingVenue(() => clock.now()),
    },
    run: async (h) => {
      await stageBook(h, {}, { [BTC]: same, 'ETH/USDT': same });
      const both = await Promise.all([
        h.vet({ symbol: BTC, side: 'buy', notional: 100 }, { execute: true }),
        h.vet({ symbol: 'ETH/USDT', side: 'buy', notional: 100 }, { execute: true }),
      ]);
      const through = both.filter(passed).length;
      return { unsafe: through > 1, false_reject: through === 0, detail: both.map(desc).join(' | ') };
    },
  },
];
