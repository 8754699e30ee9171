import type { PaperAccount, PaperOrder } from '../../../core/paper/types.js';
import type { Store } from '../../../ports/store.js';
import { decodeAccount, decodeOrder, encodeAccount, encodeOrder } from './paper-codec.js';

export type DocStore = Pick<Store, 'getDoc' | 'putDoc' | 'listDocs' | 'updateDoc'>;

/** Finished orders an account document keeps; older ones move to the archive in the same transaction. */
export const PAPER_HISTORY_LIMIT = 100;
const OPEN = new Set(['open', 'partially_filled']);

/** Splits an account into what its document keeps (every open order, the newest finished ones) and the rest. */
export function boundHistory(a: PaperAccount): { kept: PaperAccount; dropped: readonly PaperOrder[] } {
  if (a.orders.length <= PAPER_HISTORY_LIMIT) return { kept: a, dropped: [] };
  const finished = a.orders.filter((o) => !OPEN.has(o.status));
  const excess = finished.length - PAPER_HISTORY_LIMIT;
  if (excess <= 0) return { kept: a, dropped: [] };
  const dropped = finished.slice(0, excess);
  const drop = new Set(dropped.map((o) => o.orderId));
  return { kept: { ...a, orders: a.orders.filter((o) => !drop.has(o.orderId)) }, dropped };
}

/**
 * Where the paper venue keeps its accounts. The engine never mutates an account (every change is a new object),
 * so an implementation may hand out and keep the very objects it is given.
 */
export interface PaperAccounts {
  /** The account as last stored (not caught up to now), or null if the venue has never seen it. */
  get(accountId: string): Promise<PaperAccount | null>;
  /**
   * One read-modify-write under the store's lock: `fn` gets the stored account (or null) and returns the next
   * one, which is stored and returned. When `fn` throws nothing is stored.
   */
  update(accountId: string, fn: (current: PaperAccount | null) => PaperAccount, now: number): Promise<PaperAccount>;
  /** Every stored account id. */
  ids(): Promise<readonly string[]>;
  /**
   * An order of the account that its stored state no longer holds (archived), by client order id, or null. With
   * the account itself this is every order the venue was ever sent: a lookup by client order id always finds it.
   */
  archived(accountId: string, clientOrderId: string): Promise<PaperOrder | null>;
}

/**
 * Accounts as JSON documents in a store (the venue's default: one durable state that processes share and a
 * restart resumes). Every update decodes what is stored, since another process may have written it; the last
 * document read or written per account is remembered with its decoding, so repeated reads parse nothing. A
 * document keeps every open order and the newest finished ones; each older order moves, in the same transaction,
 * to its own document in the archive namespace, so the venue's history is complete and an account stays fast.
 */
export class DocumentAccounts implements PaperAccounts {
  private readonly last = new Map<string, { readonly json: string; readonly account: PaperAccount }>();
  private readonly archiveNs: string;

  constructor(
    private readonly docs: DocStore,
    private readonly ns: string,
  ) {
    this.archiveNs = `${ns}-orders`;
  }

  private archiveKey(accountId: string, clientOrderId: string): string {
    return JSON.stringify([accountId, clientOrderId]);
  }

  async archived(accountId: string, clientOrderId: string): Promise<PaperOrder | null> {
    const key = this.archiveKey(accountId, clientOrderId);
    const json = await this.docs.getDoc(this.archiveNs, key);
    return json === null ? null : decodeOrder(json, key);
  }

  async get(accountId: string): Promise<PaperAccount | null> {
    const json = await this.docs.getDoc(this.ns, accountId);
    if (json === null) return null;
    const hit = this.last.get(accountId);
    if (hit?.json === json) return hit.account;
    const account = decodeAccount(json, accountId);
    this.last.set(accountId, { json, account });
    return account;
  }

  async update(
    accountId: string,
    fn: (current: PaperAccount | null) => PaperAccount,
    now: number,
  ): Promise<PaperAccount> {
    const box: { next?: PaperAccount } = {};
    const json = await this.docs.updateDoc(
      this.ns,
      accountId,
      (doc) => {
        const { kept, dropped } = boundHistory(fn(doc === null ? null : decodeAccount(doc, accountId)));
        box.next = kept;
        const value = encodeAccount(kept);
        if (dropped.length === 0) return value;
        const also = dropped.map((o) => ({
          ns: this.archiveNs,
          key: this.archiveKey(accountId, o.clientOrderId),
          value: encodeOrder(o),
        }));
        return { value, also };
      },
      now,
    );
    const next = box.next;
    if (next === undefined) throw new Error(`paper account ${accountId}: update did not run`);
    this.last.set(accountId, { json, account: next });
    return next;
  }

  async ids(): Promise<readonly string[]> {
    return (await this.docs.listDocs(this.ns)).map((d) => d.key);
  }
}

/** Accounts kept as objects in memory (throw-away simulations and tests): nothing is encoded or decoded. */
export class MemoryAccounts implements PaperAccounts {
  private readonly accounts = new Map<string, PaperAccount>();

  async get(accountId: string): Promise<PaperAccount | null> {
    return this.accounts.get(accountId) ?? null;
  }

  async update(
    accountId: string,
    fn: (current: PaperAccount | null) => PaperAccount,
    _now: number,
  ): Promise<PaperAccount> {
    const next = fn(this.accounts.get(accountId) ?? null);
    this.accounts.set(accountId, next);
    return next;
  }

  async ids(): Promise<readonly string[]> {
    return [...this.accounts.keys()];
  }

  /** Nothing is archived: an account in memory keeps every order. */
  async archived(): Promise<PaperOrder | null> {
    return null;
  }
}
