import { setTimeout as delay } from 'node:timers/promises';
import { createAccount } from '../../../core/paper/account.js';
import { DEFAULT_PAPER_CONFIG, type PaperConfig } from '../../../core/paper/config.js';
import { amendOrder, cancelOrder, setLeverage, setTradingStop } from '../../../core/paper/manage.js';
import type { PaperMarketView } from '../../../core/paper/market-view.js';
import { placeOrder } from '../../../core/paper/place.js';
import { advanceAccount } from '../../../core/paper/process.js';
import type { EngineResult, PaperAccount, PaperEvent, PaperOrder } from '../../../core/paper/types.js';
import { type BalanceView, balanceView, positionViews } from '../../../core/paper/views.js';
import {
  markSettlementsRecorded,
  type OutcomeMarketAt,
  type OutcomeSettlement,
  outcomePositions,
  placeOutcomeOrder,
  settlementKey,
  settleOutcomes,
} from '../../../core/prediction/paper-outcomes.js';
import { parseOutcomeSymbol } from '../../../core/prediction/types.js';
import type { MarketData } from '../../../ports/market-data.js';
import {
  type Venue,
  type VenueAccountSnapshot,
  type VenueBalance,
  VenueError,
  type VenueOrder,
  type VenueOrderRequest,
  type VenuePosition,
} from '../../../ports/venue.js';
import { KeyedMutex } from './keyed-mutex.js';
import { type DocStore, DocumentAccounts, type PaperAccounts } from './paper-accounts.js';

export type { DocStore } from './paper-accounts.js';

interface PaperVenueCommon {
  /** The replay the exchange fills against (synthetic or CSV market data). */
  readonly market: MarketData & PaperMarketView;
  /** Starting USDT of an account the exchange has never seen (default 10,000). */
  readonly startingCash?: number | ((accountId: string) => number);
  readonly config?: PaperConfig;
  /** Called with what changed the money (fills, funding, liquidations), after it is stored. */
  readonly onEvents?: (accountId: string, events: readonly PaperEvent[]) => void;
  /**
   * Simulated network round trip of every call, in ms (default 0): half before the exchange acts (the request
   * travelling), half after (the answer travelling), as a remote exchange would. A crash or timeout in the second
   * half leaves an order the exchange has and the caller has not heard of.
   */
  readonly latencyMs?: number;
  /** Prediction markets whose outcome tokens this venue also trades, from the same cash (absent: it refuses them). */
  readonly outcomes?: OutcomeMarkets;
}

/** The prediction markets an outcome-trading paper venue knows, at the clock's time. */
export interface OutcomeMarkets {
  /** Epoch ms: when orders are taken and when resolution is judged. */
  now(): number;
  /** The market's state and YES mid at `now`, or null for a market it does not know. */
  at(marketId: string, now: number): OutcomeMarketAt | null;
  /** Fee rate of the prediction exchange (default 0.02: rate × min(p, 1 − p) per share). */
  readonly feeRate?: number;
  /** Called once per settlement, after the account that was paid is stored (the auditor's record). */
  readonly onSettled?: (settlements: readonly OutcomeSettlement[]) => Promise<void> | void;
}

/** Accounts live as JSON documents in `store` (namespace default 'paper', key = account id), or in `accounts`. */
export type PaperVenueOptions = PaperVenueCommon &
  (
    | { readonly store: DocStore; readonly namespace?: string; readonly accounts?: never }
    | { readonly accounts: PaperAccounts; readonly store?: never; readonly namespace?: never }
  );

export function toVenueOrder(o: PaperOrder): VenueOrder {
  return {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    quantity: o.quantity,
    filledQuantity: o.filledQuantity,
    avgFillPrice: o.avgFillPrice,
    limitPrice: o.limitPrice,
    status: o.status,
    reduceOnly: o.reduceOnly,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    fills: o.fills,
  };
}

/**
 * The paper exchange as a Venue. Each account is one JSON document in the store, brought up to the market's
 * current time (resting orders, stops, funding, liquidation) before every call, so a restart resumes exactly.
 * Calls on one account run one at a time.
 */
export class PaperVenue implements Venue {
  readonly name = 'paper';
  readonly live = false;
  private readonly mutex = new KeyedMutex();
  private readonly cfg: PaperConfig;
  private readonly accounts: PaperAccounts;

  constructor(private readonly opts: PaperVenueOptions) {
    this.cfg = opts.config ?? DEFAULT_PAPER_CONFIG;
    this.accounts = opts.accounts ?? new DocumentAccounts(opts.store, opts.namespace ?? 'paper');
  }

  private startingCash(accountId: string): number {
    const s = this.opts.startingCash ?? 10_000;
    return typeof s === 'function' ? s(accountId) : s;
  }

  private fresh(accountId: string): PaperAccount {
    return createAccount(accountId, this.startingCash(accountId), this.opts.market.marketTime() ?? 0);
  }

  /**
   * Loads, catches up to now, applies `op` (which may fail with an engine error), stores, returns. The
   * read-modify-write runs inside the store's lock (`PaperAccounts.update`), so several processes sharing one
   * store never lose each other's fills; the in-process mutex keeps one account's calls in order.
   */
  private async withAccount<T>(
    accountId: string,
    op: (acc: PaperAccount) => EngineResult | null,
    pick: (r: PaperAccount, order: PaperOrder | null) => T,
  ): Promise<T> {
    const latency = this.opts.latencyMs ?? 0;
    if (latency <= 0) return this.atExchange(accountId, op, pick);
    await delay(latency / 2);
    try {
      return await this.atExchange(accountId, op, pick);
    } finally {
      await delay(latency / 2);
    }
  }

  private atExchange<T>(
    accountId: string,
    op: (acc: PaperAccount) => EngineResult | null,
    pick: (r: PaperAccount, order: PaperOrder | null) => T,
  ): Promise<T> {
    return this.mutex.run(accountId, async () => {
      type Outcome = {
        account: PaperAccount;
        events: readonly PaperEvent[];
        order: PaperOrder | null;
        error: VenueError | null;
      };
      const box: { out?: Outcome } = {};
      const now = this.opts.market.clockTimeOf(this.opts.market.marketTime() ?? 0);
      await this.accounts.update(
        accountId,
        (stored) => {
          const loaded = stored ?? this.fresh(accountId);
          const advanced = advanceAccount(loaded, this.opts.market, this.cfg);
          // Resolved markets pay out before anything else happens, in the same stored update: exactly once.
          const settled = this.settle(advanced.account);
          const caught = { account: settled.account, events: advanced.events };
          const result = op(caught.account);
          let out: Outcome;
          if (result && !result.ok) {
            const error = new VenueError(result.error.code, result.error.message);
            out = { account: caught.account, events: caught.events, order: null, error };
          } else {
            out = {
              account: result ? result.account : caught.account,
              events: result ? [...caught.events, ...result.events] : caught.events,
              order: result?.ok ? result.order : null,
              error: null,
            };
          }
          box.out = out;
          return out.account;
        },
        now,
      );
      const done = box.out;
      if (!done) throw new VenueError('UNKNOWN', 'paper account update did not run');
      if (done.events.length > 0) this.opts.onEvents?.(accountId, done.events);
      await this.recordSettlements(accountId, done.account);
      if (done.error) throw done.error;
      return pick(done.account, done.order);
    });
  }

  /**
   * The records of the account's settlements still owed (paid in a stored update, this one or one before a crash):
   * handed to `onSettled`, which writes each once, then removed from the account. Should the recorder fail, they
   * stay owed for the account's next call. Without a recorder they are not kept (see `settle`).
   */
  private async recordSettlements(accountId: string, a: PaperAccount): Promise<void> {
    const owed = a.unrecordedSettlements ?? [];
    const record = this.opts.outcomes?.onSettled;
    if (owed.length === 0 || !record) return;
    try {
      await record(owed);
    } catch {
      return; // still owed: written by a later call on the account, once
    }
    const done = new Set(owed.map(settlementKey));
    await this.accounts.update(
      accountId,
      (cur) => {
        if (!cur) throw new VenueError('UNKNOWN', `paper account ${accountId} vanished while recording`);
        return markSettlementsRecorded(cur, done);
      },
      this.opts.market.clockTimeOf(this.opts.market.marketTime() ?? 0),
    );
  }

  private settle(a: PaperAccount): { account: PaperAccount; settlements: readonly OutcomeSettlement[] } {
    const o = this.opts.outcomes;
    if (!o || !a.outcomes || Object.keys(a.outcomes).length === 0) return { account: a, settlements: [] };
    const now = o.now();
    const settled = settleOutcomes(
      a,
      (id) => {
        const m = o.at(id, now);
        return m && m.market.status === 'resolved' ? m.market.outcome : null;
      },
      now,
    );
    // No recorder, no new record owed (what an earlier process with one left owed stays, for the next that has one).
    if (o.onSettled || settled.settlements.length === 0) return settled;
    const { unrecordedSettlements: _new, ...rest } = settled.account;
    const before = a.unrecordedSettlements;
    return { account: before ? { ...rest, unrecordedSettlements: before } : rest, settlements: settled.settlements };
  }

  /** The account's balance with its outcome holdings: at cost in the total, at their marks in the equity. */
  private balanceOf(a: PaperAccount): VenueBalance {
    const b: BalanceView = balanceView(a, this.opts.market, this.cfg);
    const held = this.outcomeViews(a);
    if (held.length === 0) return b;
    const cost = held.reduce((s, p) => s + p.margin, 0);
    const value = held.reduce((s, p) => s + p.quantity * p.markPrice, 0);
    return { ...b, total: b.total + cost, used: b.used + cost, equity: b.equity + value };
  }

  private positionsOf(a: PaperAccount): VenuePosition[] {
    return [
      ...positionViews(a, this.opts.market, this.cfg).map(({ takeProfit: _tp, stopLoss: _sl, ...p }) => p),
      ...this.outcomeViews(a),
    ];
  }

  private outcomeViews(a: PaperAccount): VenuePosition[] {
    const o = this.opts.outcomes;
    if (!o || !a.outcomes) return [];
    const now = o.now();
    return outcomePositions(a, (id) => o.at(id, now), now);
  }

  /** Catches an account up to now and hands its state to `read` (no other change). */
  private read<T>(accountId: string, read: (a: PaperAccount) => T): Promise<T> {
    return this.withAccount(accountId, () => null, read);
  }

  /** Processes resting orders, stops, funding and liquidation of every stored account up to the market's now. */
  async tick(): Promise<void> {
    for (const id of await this.accounts.ids()) await this.read(id, () => undefined);
  }

  /** The raw engine state of an account (for inspection and tests). */
  account(accountId: string): Promise<PaperAccount> {
    return this.read(accountId, (a) => a);
  }

  /** A client order id the venue has seen returns that order, unchanged (the archived ones too). */
  async placeOrder(req: VenueOrderRequest): Promise<VenueOrder> {
    const old = await this.accounts.archived(req.accountId, req.clientOrderId);
    if (old) return toVenueOrder(old);
    const o = this.opts.outcomes;
    if (o && parseOutcomeSymbol(req.symbol)) {
      return this.withAccount(
        req.accountId,
        (a) => {
          const now = o.now();
          const token = parseOutcomeSymbol(req.symbol)!;
          const free = balanceView(a, this.opts.market, this.cfg).free;
          const r = placeOutcomeOrder(a, req, o.at(token.marketId, now), now, free, o.feeRate ?? 0.02);
          return r.ok ? { ok: true, account: r.account, events: [], order: r.order } : r;
        },
        (_, x) => toVenueOrder(x!),
      );
    }
    const request = { ...req, leverage: req.leverage ?? null };
    return this.withAccount(
      req.accountId,
      (a) => placeOrder(a, request, this.opts.market, this.cfg),
      (_, o) => toVenueOrder(o!),
    );
  }

  cancelOrder(accountId: string, orderId: string): Promise<VenueOrder> {
    return this.withAccount(
      accountId,
      (a) => cancelOrder(a, orderId, this.opts.market),
      (_, o) => toVenueOrder(o!),
    );
  }

  amendOrder(
    accountId: string,
    orderId: string,
    changes: { readonly quantity?: number; readonly limitPrice?: number },
  ) {
    return this.withAccount(
      accountId,
      (a) => amendOrder(a, orderId, changes, this.opts.market, this.cfg),
      (_, o) => toVenueOrder(o!),
    );
  }

  /** Every order the venue was sent is found: the account's recent ones, then the archive. */
  async orderByClientId(accountId: string, clientOrderId: string): Promise<VenueOrder | null> {
    const recent = await this.read(accountId, (a) => a.orders.find((x) => x.clientOrderId === clientOrderId) ?? null);
    if (recent) return toVenueOrder(recent);
    const old = await this.accounts.archived(accountId, clientOrderId);
    return old ? toVenueOrder(old) : null;
  }

  /** Balance, positions and the given orders from one read of the account (one consistent state). */
  async accountSnapshot(accountId: string, clientOrderIds: readonly string[]): Promise<VenueAccountSnapshot> {
    const wanted = new Set(clientOrderIds);
    return this.read(accountId, (a) => ({
      balance: this.balanceOf(a),
      positions: this.positionsOf(a),
      orders: a.orders.filter((o) => wanted.has(o.clientOrderId)).map(toVenueOrder),
    }));
  }

  openOrders(accountId: string, symbol?: string): Promise<readonly VenueOrder[]> {
    return this.read(accountId, (a) =>
      a.orders
        .filter((o) => (o.status === 'open' || o.status === 'partially_filled') && (!symbol || o.symbol === symbol))
        .map(toVenueOrder),
    );
  }

  /** Most recent first. */
  orderHistory(accountId: string, limit: number): Promise<readonly VenueOrder[]> {
    return this.read(accountId, (a) =>
      a.orders
        .slice(-Math.max(0, limit) || a.orders.length)
        .reverse()
        .map(toVenueOrder),
    );
  }

  positions(accountId: string): Promise<readonly VenuePosition[]> {
    return this.read(accountId, (a) => this.positionsOf(a));
  }

  balance(accountId: string): Promise<VenueBalance> {
    return this.read(accountId, (a) => this.balanceOf(a));
  }

  async setLeverage(accountId: string, symbol: string, leverage: number): Promise<void> {
    await this.withAccount(
      accountId,
      (a) => setLeverage(a, symbol, leverage, this.opts.market, this.cfg),
      () => undefined,
    );
  }

  async setTradingStop(
    accountId: string,
    symbol: string,
    stops: { readonly takeProfit?: number | null; readonly stopLoss?: number | null },
  ): Promise<void> {
    await this.withAccount(
      accountId,
      (a) => setTradingStop(a, symbol, stops, this.opts.market),
      () => undefined,
    );
  }
}
