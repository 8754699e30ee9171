import { isWorking } from '../../core/paper/account.js';
import type { PaperAccount, PaperOrder } from '../../core/paper/types.js';
import type { PaperAccounts } from '../venues/paper/paper-accounts.js';

export interface ArenaAccountsOptions {
  /** Finished orders younger than this (clock ms) stay in the account. */
  readonly retainMs: number;
  /** The last this-many orders always stay (an account is trimmed back to this once it holds three times as many). */
  readonly keep?: number;
  /** The market's current time, or null outside the data (the paper venue's `marketTime`). */
  readonly marketTime: () => number | null;
  /** Symbols whose positions pay funding or can be liquidated (perpetuals). */
  readonly isPerp: (symbol: string) => boolean;
}

/**
 * The paper venue's accounts in the arena: the same accounts in the same store (documents in the run's store for
 * a resumable run, objects in memory for a simulation), with two shortcuts that do not change a single number
 * the venue computes.
 *
 * - An account keeps only its working orders, its last `keep` orders and those finished within `retainMs`:
 *   otherwise a busy agent's account (every order ever placed) is re-read and re-written on every call and a
 *   long run turns quadratic. The arena books each fill within a bar; trades.jsonl and the ledger keep them all.
 * - An account in which nothing can happen (no open orders, no stops, no perpetual position) is moved to the
 *   market's now before the venue reads it. The venue would walk every leg of every bar since it last looked
 *   and find nothing; this is exactly the account `advanceAccount` returns then (only `processedTs` moves).
 */
export class ArenaAccounts implements PaperAccounts {
  private readonly keep: number;

  constructor(
    private readonly inner: PaperAccounts,
    private readonly opts: ArenaAccountsOptions,
  ) {
    this.keep = opts.keep ?? 4;
  }

  get(accountId: string): Promise<PaperAccount | null> {
    return this.inner.get(accountId);
  }

  update(accountId: string, fn: (current: PaperAccount | null) => PaperAccount, now: number): Promise<PaperAccount> {
    return this.inner.update(accountId, (cur) => this.trim(fn(cur === null ? null : this.idleToNow(cur)), now), now);
  }

  ids(): Promise<readonly string[]> {
    return this.inner.ids();
  }

  archived(accountId: string, clientOrderId: string): Promise<PaperOrder | null> {
    return this.inner.archived(accountId, clientOrderId);
  }

  private idleToNow(acc: PaperAccount): PaperAccount {
    const t = this.opts.marketTime();
    if (t === null || !(acc.processedTs < t)) return acc; // already at now: nothing to skip
    if (acc.orders.some(isWorking)) return acc;
    for (const p of Object.values(acc.positions)) {
      if (p.takeProfit !== null || p.stopLoss !== null || this.opts.isPerp(p.symbol)) return acc;
    }
    return { ...acc, processedTs: t };
  }

  private trim(acc: PaperAccount, now: number): PaperAccount {
    // Trim in batches (past three times `keep`) so that most updates keep the orders array as it is.
    const n = acc.orders.length;
    if (n <= 3 * this.keep) return acc;
    const cutoff = now - this.opts.retainMs;
    const orders = acc.orders.filter((o, i) => i >= n - this.keep || isWorking(o) || o.updatedAt >= cutoff);
    return orders.length === n ? acc : { ...acc, orders };
  }
}
