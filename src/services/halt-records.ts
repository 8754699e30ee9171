import type { SwitchRecord } from '../core/halt/switch.js';
import type { ServiceDeps } from './deps.js';

/** A scope's switch record as the store keeps it, with what the switch did when it was pulled. */
export type StoredSwitch = SwitchRecord & {
  readonly sweep?: { readonly cancelled: number; readonly flattened: number; readonly approvals_rejected: number };
};

/** The store's namespace for switch records (one document per scope key). */
const NS = 'halt';

class Unchanged extends Error {}

/**
 * The kill switch's records in the store. A scope's record says whether it is halted (and which runtime roots
 * carried its HALT file); the `halts` rows the firewall reads in its decision transaction follow the records;
 * the ledger keeps the history (every halt, resume and sweep).
 */
export class HaltRecords {
  constructor(private readonly deps: Pick<ServiceDeps, 'store' | 'clock'>) {}

  async get(key: string): Promise<StoredSwitch | null> {
    const text = await this.deps.store.getDoc(NS, key);
    return text ? (JSON.parse(text) as StoredSwitch) : null;
  }

  /**
   * Changes one scope's record under the store's document lock (so concurrent instances never both make the same
   * move). `fn` sees the record as stored at that moment and returns the new one, or null for "no change".
   */
  async change(
    key: string,
    fn: (cur: StoredSwitch | null) => StoredSwitch | null,
  ): Promise<{ changed: boolean; record: StoredSwitch | null }> {
    let changed = false;
    try {
      const text = await this.deps.store.updateDoc(
        NS,
        key,
        (cur) => {
          const next = fn(cur ? (JSON.parse(cur) as StoredSwitch) : null);
          if (next === null) throw new Unchanged();
          changed = true;
          return JSON.stringify(next);
        },
        this.deps.clock.now(),
      );
      return { changed, record: JSON.parse(text) as StoredSwitch };
    } catch (e) {
      if (e instanceof Unchanged) return { changed: false, record: await this.get(key) };
      throw e;
    }
  }

  /** Every record and every row, read once. */
  async snapshot(): Promise<{
    records: ReadonlyMap<string, StoredSwitch>;
    rows: readonly { scope: string; reason: string; ts: number }[];
  }> {
    const rows = await this.deps.store.halts();
    const records = new Map<string, StoredSwitch>();
    for (const d of await this.deps.store.listDocs(NS)) records.set(d.key, JSON.parse(d.value) as StoredSwitch);
    return { rows, records };
  }

  /** Makes the firewall's row for a scope say what the record says. */
  async setRow(key: string, reason: string | null): Promise<void> {
    await this.deps.store.setHalt(key, reason, this.deps.clock.now());
  }

  async ledger(kind: string, ref: string, body: Record<string, unknown>): Promise<void> {
    await this.deps.store.ledgerAppend(kind, ref, JSON.stringify(body), this.deps.clock.now());
  }
}
