import { isWorking } from '../../core/paper/account.js';
import type { PaperAccount } from '../../core/paper/types.js';
import type { DocStore } from '../venues/paper/paper-venue.js';

export interface ArenaDocStoreOptions {
  /** Finished orders younger than this (clock ms) stay in the account document. */
  readonly retainMs: number;
  /** The last this-many orders always stay (a document is trimmed back to this once it holds three times as many). */
  readonly keep?: number;
  /** The market's current time, or null outside the data (the paper venue's `marketTime`). */
  readonly marketTime: () => number | null;
  /** Symbols whose positions pay funding or can be liquidated (perpetuals). */
  readonly isPerp: (symbol: string) => boolean;
}

const PROCESSED_TS = /"processedTs":(-?\d+)/;

/** Occurrences of `needle` in `text`. */
function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n += 1;
  return n;
}

/**
 * The paper venue's document store in the arena: the same documents in the same store, with two shortcuts that
 * do not change a single number the venue computes.
 *
 * - An account keeps only its working orders, its last `keep` orders and those finished within `retainMs`:
 *   otherwise a busy agent's document (every order ever placed) is re-read and re-written on every call and a
 *   long run turns quadratic. The arena books each fill within a bar; trades.jsonl and the ledger keep them all.
 * - An account in which nothing can happen (no open orders, no stops, no perpetual position) is moved to the
 *   market's now before the venue reads it. The venue would walk every leg of every bar since it last looked
 *   and find nothing; this is exactly the account `advanceAccount` returns then (only `processedTs` moves).
 */
export class ArenaDocStore implements DocStore {
  private readonly keep: number;

  constructor(
    private readonly inner: DocStore,
    private readonly opts: ArenaDocStoreOptions,
  ) {
    this.keep = opts.keep ?? 4;
  }

  getDoc(ns: string, key: string): Promise<string | null> {
    return this.inner.getDoc(ns, key);
  }

  putDoc(ns: string, key: string, value: string, now: number): Promise<void> {
    return this.inner.putDoc(ns, key, this.trim(value, now), now);
  }

  updateDoc(ns: string, key: string, fn: (current: string | null) => string, now: number): Promise<string> {
    return this.inner.updateDoc(ns, key, (cur) => this.trim(fn(cur === null ? null : this.idleToNow(cur)), now), now);
  }

  listDocs(ns: string): Promise<readonly { key: string; value: string }[]> {
    return this.inner.listDocs(ns);
  }

  private idleToNow(json: string): string {
    const t = this.opts.marketTime();
    const seen = PROCESSED_TS.exec(json);
    if (t === null || (seen && Number(seen[1]) >= t)) return json; // already at now: nothing to skip
    const acc = JSON.parse(json) as PaperAccount;
    if (t === null || !(acc.processedTs < t)) return json;
    if (acc.orders.some(isWorking)) return json;
    for (const p of Object.values(acc.positions)) {
      if (p.takeProfit !== null || p.stopLoss !== null || this.opts.isPerp(p.symbol)) return json;
    }
    return json.replace(PROCESSED_TS, `"processedTs":${t}`);
  }

  private trim(json: string, now: number): string {
    // Trim in batches (past three times `keep`) so that most writes need no parse at all.
    if (countOf(json, '"clientOrderId"') <= 3 * this.keep) return json;
    const acc = JSON.parse(json) as PaperAccount;
    if (!Array.isArray(acc.orders)) return json;
    const n = acc.orders.length;
    const cutoff = now - this.opts.retainMs;
    const orders = acc.orders.filter((o, i) => i >= n - this.keep || isWorking(o) || o.updatedAt >= cutoff);
    return orders.length === n ? json : JSON.stringify({ ...acc, orders });
  }
}
