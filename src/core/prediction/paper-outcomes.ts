import { nextOrderId } from '../paper/orders.js';
import type { EngineError, OutcomeHolding, PaperAccount, PaperOrder, PaperTimeInForce } from '../paper/types.js';
import { PredictionExchange, PredictionOrderError } from './exchange.js';
import { type Outcome, outcomeSymbol, type PredictionMarket, parseOutcomeSymbol, payout, statusAt } from './types.js';

/**
 * Outcome tokens traded by a paper account: the prediction exchange's fills (`PredictionExchange`) applied to the
 * account's one wallet, so an outcome buy spends the same cash a spot or perpetual order does, and settlement at
 * resolution pays into it. Pure: the adapter loads the account, calls these under its lock and stores the result.
 */

/** A market as the venue sees it at one time: its state (status, outcome once resolved) and its YES mid. */
export interface OutcomeMarketAt {
  readonly market: PredictionMarket;
  readonly yesMid: number;
}

export interface OutcomeOrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit';
  readonly quantity: number;
  readonly limitPrice: number | null;
  readonly timeInForce: PaperTimeInForce;
  readonly reduceOnly: boolean;
}

export type OutcomeOrderResult =
  | { readonly ok: true; readonly account: PaperAccount; readonly order: PaperOrder }
  | { readonly ok: false; readonly error: EngineError };

/** What one settlement paid: every share of the market the account held, at 1 per winning share, 0 per losing. */
export interface OutcomeSettlement {
  readonly accountId: string;
  readonly marketId: string;
  /** The market's resolved outcome. */
  readonly resolved: Outcome;
  /** The outcome token the shares were of. */
  readonly held: Outcome;
  readonly shares: number;
  /** shares × 1 (winning) or 0 (losing). */
  readonly payout: number;
  /** Collateral paid for the shares (fees apart). */
  readonly costBasis: number;
  readonly ts: number;
}

const EPS = 1e-9;

function holdingsOf(a: PaperAccount): Readonly<Record<string, OutcomeHolding>> {
  return a.outcomes ?? {};
}

function refusal(e: unknown): { ok: false; error: EngineError } {
  if (e instanceof PredictionOrderError) {
    const code =
      e.code === 'INSUFFICIENT_FUNDS' || e.code === 'INSUFFICIENT_HOLDING' ? 'INSUFFICIENT_BALANCE' : 'INVALID_ORDER';
    return { ok: false, error: { code, message: e.message } };
  }
  throw e;
}

/**
 * Places one order on an outcome token against the modelled book of `m` at `now` (the same client order id
 * returns the order already placed, unchanged). Every order takes liquidity at
 * once: what the book does not fill within the limit is cancelled (the order ends `filled` or `expired`, final
 * at once, whatever its time in force); fill-or-kill fills completely or not at all; post-only is refused (it
 * could never rest). A buy spends at most `freeCash` (the account's free cash); a sale never exceeds the shares
 * held. A market that is not open, an unknown market and a refused order are errors: nothing changes.
 */
export function placeOutcomeOrder(
  account: PaperAccount,
  req: OutcomeOrderRequest,
  m: OutcomeMarketAt | null,
  now: number,
  freeCash: number,
  feeRate: number,
): OutcomeOrderResult {
  const existing = account.orders.find((o) => o.clientOrderId === req.clientOrderId && o.source === 'client');
  if (existing) return { ok: true, account, order: existing };
  const token = parseOutcomeSymbol(req.symbol);
  if (token?.collateral !== 'USDC')
    return { ok: false, error: { code: 'INVALID_ORDER', message: `${req.symbol} is not an outcome token` } };
  if (!m) return { ok: false, error: { code: 'INVALID_ORDER', message: `MARKET_UNKNOWN: market=${token.marketId}` } };
  if (req.timeInForce === 'PO')
    return {
      ok: false,
      error: {
        code: 'INVALID_ORDER',
        message: 'time_in_force=PO: outcome-token orders take liquidity at once (IOC, FOK or GTC treated as IOC)',
      },
    };
  const symbol = outcomeSymbol(token.marketId, token.outcome);
  const held = holdingsOf(account)[symbol] ?? { qty: 0, cost: 0 };
  const ex = new PredictionExchange({ feeRate });
  ex.list(m.market, m.yesMid);
  const id = account.accountId;
  if (freeCash > 0) ex.deposit(id, freeCash);
  ex.hold(id, token.marketId, token.outcome, held.qty, held.cost);
  let fill: ReturnType<PredictionExchange['place']>;
  try {
    fill = ex.place(
      id,
      {
        marketId: token.marketId,
        outcome: token.outcome,
        side: req.side,
        quantity: req.quantity,
        limitPrice: req.type === 'limit' ? req.limitPrice : null,
      },
      now,
    );
  } catch (e) {
    return refusal(e);
  }
  const fok = req.timeInForce === 'FOK' && fill.status !== 'filled';
  const ids = nextOrderId(account);
  let acc = ids.account;
  const base: PaperOrder = {
    orderId: ids.id,
    clientOrderId: req.clientOrderId,
    symbol,
    side: req.side,
    type: req.type,
    quantity: req.quantity,
    filledQuantity: 0,
    avgFillPrice: null,
    limitPrice: req.limitPrice,
    status: 'expired',
    reduceOnly: req.reduceOnly,
    createdAt: now,
    updatedAt: now,
    fills: [],
    timeInForce: req.timeInForce,
    source: 'client',
    note: fok ? 'fill-or-kill: not enough liquidity within the limit' : 'nothing to take within the limit',
  };
  if (fok || fill.filledQty <= EPS) {
    acc = { ...acc, orders: [...acc.orders, base] };
    return { ok: true, account: acc, order: base };
  }
  const after = ex.positions(id).find((p) => p.marketId === token.marketId && p.outcome === token.outcome);
  const outcomes = { ...holdingsOf(acc) };
  if (after) outcomes[symbol] = { qty: after.qty, cost: after.costBasis };
  else delete outcomes[symbol];
  const cashDelta = ex.balance(id) - Math.max(0, freeCash);
  const soldCost = req.side === 'sell' ? held.cost - (after?.costBasis ?? 0) : 0;
  const order: PaperOrder = {
    ...base,
    filledQuantity: fill.filledQty,
    avgFillPrice: fill.avgPrice,
    status: fill.status === 'filled' ? 'filled' : 'expired',
    fills: [
      {
        fillId: `${ids.id}-f1`,
        orderId: ids.id,
        ts: now,
        price: fill.avgPrice,
        quantity: fill.filledQty,
        fee: fill.fee,
        liquidity: 'taker',
      },
    ],
    note: fill.status === 'filled' ? null : 'not filled immediately: the rest is cancelled',
  };
  acc = {
    ...acc,
    wallet: acc.wallet + cashDelta,
    outcomes,
    orders: [...acc.orders, order],
    totals: {
      ...acc.totals,
      fees: acc.totals.fees + fill.fee,
      realizedPnl: acc.totals.realizedPnl + (req.side === 'sell' ? fill.value - soldCost : 0),
    },
  };
  return { ok: true, account: acc, order };
}

/**
 * Settles every holding whose market has resolved by `now`: 1 per winning share and 0 per losing one into the
 * wallet, and the holding is gone (so a settlement can only happen once: the next call finds nothing to pay).
 * `resolvedOutcome` answers the market's outcome once it is resolved at `now`, else null.
 */
export function settleOutcomes(
  account: PaperAccount,
  resolvedOutcome: (marketId: string) => Outcome | null,
  now: number,
): { readonly account: PaperAccount; readonly settlements: readonly OutcomeSettlement[] } {
  const holdings = holdingsOf(account);
  const settlements: OutcomeSettlement[] = [];
  const left: Record<string, OutcomeHolding> = {};
  for (const [symbol, h] of Object.entries(holdings).sort(([a], [b]) => a.localeCompare(b))) {
    const token = parseOutcomeSymbol(symbol);
    const resolved = token ? resolvedOutcome(token.marketId) : null;
    if (!token || resolved === null) {
      left[symbol] = h;
      continue;
    }
    settlements.push({
      accountId: account.accountId,
      marketId: token.marketId,
      resolved,
      held: token.outcome,
      shares: h.qty,
      payout: h.qty * payout(token.outcome, resolved),
      costBasis: h.cost,
      ts: now,
    });
  }
  if (settlements.length === 0) return { account, settlements };
  const paid = settlements.reduce((s, x) => s + x.payout, 0);
  const pnl = settlements.reduce((s, x) => s + x.payout - x.costBasis, 0);
  return {
    account: {
      ...account,
      wallet: account.wallet + paid,
      outcomes: left,
      totals: { ...account.totals, realizedPnl: account.totals.realizedPnl + pnl },
      // The record is owed in the same update as the payment: a crash after it cannot lose the settlement's record.
      unrecordedSettlements: [...(account.unrecordedSettlements ?? []), ...settlements],
    },
    settlements,
  };
}

/** What identifies one settlement: an account's holding of one outcome of one market is settled once. */
export function settlementKey(s: Pick<OutcomeSettlement, 'accountId' | 'marketId' | 'held'>): string {
  return `${s.accountId}|${s.marketId}|${s.held}`;
}

/** The account without the unrecorded settlements whose records are now written (`recorded`: their keys). */
export function markSettlementsRecorded(account: PaperAccount, recorded: ReadonlySet<string>): PaperAccount {
  const owed = account.unrecordedSettlements;
  if (!owed) return account;
  const left = owed.filter((s) => !recorded.has(settlementKey(s)));
  if (left.length === owed.length) return account;
  const { unrecordedSettlements: _done, ...rest } = account;
  return left.length > 0 ? { ...rest, unrecordedSettlements: left } : rest;
}

/** One outcome-token holding as a position: shares at the cost paid, marked at the outcome's mid. */
export interface OutcomePositionView {
  readonly symbol: string;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly markPrice: number;
  readonly unrealizedPnl: number;
  readonly leverage: 1;
  readonly liquidationPrice: null;
  /** The collateral paid for the shares. */
  readonly margin: number;
}

/**
 * The account's outcome holdings as positions, each marked at its outcome's mid (`yesMid` for YES, 1 − it for NO;
 * 1 or 0 once resolved; the entry price when the market is unknown).
 */
export function outcomePositions(
  account: PaperAccount,
  marketAt: (marketId: string) => OutcomeMarketAt | null,
  now: number,
): OutcomePositionView[] {
  const out: OutcomePositionView[] = [];
  for (const [symbol, h] of Object.entries(holdingsOf(account)).sort(([a], [b]) => a.localeCompare(b))) {
    if (h.qty <= EPS) continue;
    const token = parseOutcomeSymbol(symbol);
    const entry = h.cost / h.qty;
    const m = token ? marketAt(token.marketId) : null;
    let mark = entry;
    if (m && token) {
      const resolved = statusAt(m.market, now) === 'resolved' ? m.market.outcome : null;
      const yes = resolved ? (resolved === 'YES' ? 1 : 0) : m.yesMid;
      mark = token.outcome === 'YES' ? yes : 1 - yes;
    }
    out.push({
      symbol,
      quantity: h.qty,
      entryPrice: entry,
      markPrice: mark,
      unrealizedPnl: h.qty * (mark - entry),
      leverage: 1,
      liquidationPrice: null,
      margin: h.cost,
    });
  }
  return out;
}
