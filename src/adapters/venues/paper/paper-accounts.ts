import type { PaperAccount } from '../../../core/paper/types.js';
import type { Store } from '../../../ports/store.js';
import { decodeAccount, encodeAccount } from './paper-codec.js';

export type DocStore = Pick<Store, 'getDoc' | 'putDoc' | 'listDocs' | 'updateDoc'>;

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
}

/**
 * Accounts as JSON documents in a store (the venue's default: one durable state that processes share and a
 * restart resumes). Every update decodes what is stored, since another process may have written it; the last
 * document read or written per account is remembered with its decoding, so repeated reads parse nothing.
 */
export class DocumentAccounts implements PaperAccounts {
  private readonly last = new Map<string, { readonly json: string; readonly account: PaperAccount }>();

  constructor(
    private readonly docs: DocStore,
    private readonly ns: string,
  ) {}

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
        box.next = fn(doc === null ? null : decodeAccount(doc, accountId));
        return encodeAccount(box.next);
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
}
