import type { IdGen } from '../../ports/clock.js';

/**
 * Ids scoped to one (agent, bar) decision: `vdt_<agent>.<bar>`, `aud_<agent>.<bar>`, … (a second id with the
 * same prefix in the same scope gets `.2`). An id depends only on its scope and prefix, never on how many ids
 * were drawn before, so a decision redone after a crash gets exactly the ids the uninterrupted run gave it.
 */
export class ScopedIdGen implements IdGen {
  private scopeKey = 'run';
  private counts = new Map<string, number>();

  scope(key: string): void {
    this.scopeKey = key;
    this.counts = new Map();
  }

  /** The id `next(prefix)` would return first in the current scope. */
  first(prefix: string): string {
    return `${prefix}_${this.scopeKey}`;
  }

  next(prefix: string): string {
    const n = (this.counts.get(prefix) ?? 0) + 1;
    this.counts.set(prefix, n);
    return n === 1 ? this.first(prefix) : `${prefix}_${this.scopeKey}.${n}`;
  }
}
