import type { DocWrite } from '../../../ports/store.js';
import { docWriteParts } from '../../store/rows.js';
import type { DocStore } from './paper-accounts.js';

/** A Map-backed document store (tests, demos, throw-away simulations). */
export class MemoryDocStore implements DocStore {
  private readonly docs = new Map<string, Map<string, string>>();

  async getDoc(ns: string, key: string): Promise<string | null> {
    return this.docs.get(ns)?.get(key) ?? null;
  }

  async putDoc(ns: string, key: string, value: string, _now: number): Promise<void> {
    let m = this.docs.get(ns);
    if (!m) {
      m = new Map();
      this.docs.set(ns, m);
    }
    m.set(key, value);
  }

  async updateDoc(
    ns: string,
    key: string,
    fn: (current: string | null) => string | DocWrite,
    now: number,
  ): Promise<string> {
    const next = docWriteParts(fn(this.docs.get(ns)?.get(key) ?? null));
    for (const d of [{ ns, key, value: next.value }, ...next.also]) await this.putDoc(d.ns, d.key, d.value, now);
    return next.value;
  }

  async listDocs(ns: string): Promise<readonly { key: string; value: string }[]> {
    return [...(this.docs.get(ns) ?? new Map<string, string>())].map(([key, value]) => ({ key, value }));
  }
}
