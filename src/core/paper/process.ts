import { accountMetrics, type Instruments, isWorking } from './account.js';
import type { PaperConfig } from './config.js';
import { type LegMove, legBoundaries, legMove } from './legs.js';
import { liquidateIfNeeded } from './liquidation.js';
import { markAt } from './market-marks.js';
import type { PaperMarketView } from './market-view.js';
import { processSymbolLeg } from './triggers.js';
import type { PaperAccount, PaperEvent } from './types.js';

/** Symbols with something to work: an open order or a position. */
export function liveSymbols(account: PaperAccount): string[] {
  const s = new Set(Object.keys(account.positions));
  for (const o of account.orders) if (isWorking(o)) s.add(o.symbol);
  return [...s].sort();
}

/** Funding at a settlement mark: each perpetual position pays qty · mark · rate (longs pay when positive). */
export function settleFunding(
  account: PaperAccount,
  ts: number,
  market: PaperMarketView,
  events: PaperEvent[],
): PaperAccount {
  let acc = account;
  for (const p of Object.values(account.positions)) {
    if (market.instrumentOf(p.symbol)?.kind !== 'perp') continue;
    const rate = market.fundingRateAt(p.symbol, ts);
    const mark = markAt(market, p.symbol, ts);
    if (rate === null || mark === null) continue;
    const amount = p.qty * mark * rate;
    acc = { ...acc, wallet: acc.wallet - amount, totals: { ...acc.totals, funding: acc.totals.funding + amount } };
    events.push({ kind: 'funding', ts, symbol: p.symbol, rate, quantity: p.qty, markPrice: mark, amount });
  }
  return acc;
}

/**
 * Where in a leg (0..1) cross-margin equity first falls below maintenance with the positions held now, or
 * null. Both are linear in the leg's prices, so the crossing is solved exactly rather than found late.
 */
export function liquidationFraction(
  account: PaperAccount,
  moves: ReadonlyMap<string, LegMove>,
  insts: Instruments,
  cfg: PaperConfig,
): number | null {
  let e0 = account.wallet;
  let e1 = account.wallet;
  let m0 = 0;
  let m1 = 0;
  let perps = 0;
  for (const p of Object.values(account.positions)) {
    const mv = moves.get(p.symbol);
    const p0 = mv?.p0 ?? p.entryPrice;
    const p1 = mv?.p1 ?? p0;
    e0 += p.qty * (p0 - p.entryPrice);
    e1 += p.qty * (p1 - p.entryPrice);
    if (insts(p.symbol)?.kind !== 'perp') continue;
    perps += 1;
    m0 += Math.abs(p.qty) * p0 * cfg.maintenanceMarginRate;
    m1 += Math.abs(p.qty) * p1 * cfg.maintenanceMarginRate;
  }
  const g0 = e0 - m0;
  const g1 = e1 - m1;
  if (perps === 0 || g0 < 0 || g1 >= 0) return null;
  return g0 / (g0 - g1);
}

/**
 * Brings an account from `processedTs` up to `to` (default: the market's now): resting orders, take-profit /
 * stop-loss, funding and liquidation, leg by leg along the bars' price paths. Idempotent: a time already
 * processed changes nothing.
 */
export function advanceAccount(
  account: PaperAccount,
  market: PaperMarketView,
  cfg: PaperConfig,
  to: number | null = market.marketTime(),
): { account: PaperAccount; events: PaperEvent[] } {
  if (to === null || to <= account.processedTs) return { account, events: [] };
  const events: PaperEvent[] = [];
  const symbols = liveSymbols(account);
  if (symbols.length === 0) return { account: { ...account, processedTs: to }, events };
  const insts = (s: string) => market.instrumentOf(s);
  let acc = account;

  const segment = (a: number, b: number) => {
    const ends = new Map<string, number>();
    for (const s of liveSymbols(acc)) {
      const move = legMove(market, s, a, b);
      if (!move) continue;
      ends.set(s, move.p1);
      acc = processSymbolLeg(acc, s, move, a, b, market, cfg, events);
    }
    if (b % cfg.fundingIntervalMs === 0) acc = settleFunding(acc, b, market, events);
    const marks = (s: string) => ends.get(s) ?? markAt(market, s, b);
    const liq = liquidateIfNeeded(acc, marks, insts, cfg, b, market.clockTimeOf(b));
    acc = liq.account;
    events.push(...liq.events);
  };

  let a = account.processedTs;
  for (const b of legBoundaries(market, symbols, a, to, cfg.fundingIntervalMs)) {
    if (liveSymbols(acc).length === 0) break;
    const moves = new Map<string, LegMove>();
    for (const s of Object.keys(acc.positions)) {
      const mv = legMove(market, s, a, b);
      if (mv) moves.set(s, mv);
    }
    const f = liquidationFraction(acc, moves, insts, cfg);
    // Stop where equity meets maintenance (rounded up a millisecond so the check there sees the breach).
    // No funding mark lies strictly inside a leg: funding marks are leg boundaries.
    const mid = f === null ? b : Math.ceil(a + f * (b - a));
    const split = mid > a && mid < b;
    if (split) segment(a, mid);
    segment(split ? mid : a, b);
    a = b;
  }
  return { account: { ...acc, processedTs: to }, events };
}

/** Equity and margins at the market's current time (for balance and positions views). */
export function metricsNow(account: PaperAccount, market: PaperMarketView, cfg: PaperConfig) {
  const t = market.marketTime() ?? account.processedTs;
  return accountMetrics(
    account,
    (s) => markAt(market, s, t),
    (s) => market.instrumentOf(s),
    cfg,
  );
}
