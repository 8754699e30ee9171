import type { ServiceDeps } from './deps.js';

export type HaltScope =
  | { readonly kind: 'global' }
  | { readonly kind: 'venue'; readonly venue: string }
  | { readonly kind: 'agent'; readonly agent: string };

export interface HaltFiles {
  /** Path of the sentinel file for a scope, or null when the scope has no sentinel (agents). */
  sentinelPath(scope: HaltScope): string | null;
  write(path: string, reason: string, now: number): void;
  remove(path: string): boolean;
}

export function scopeKey(scope: HaltScope): string {
  return scope.kind === 'global' ? 'global' : scope.kind === 'venue' ? `venue:${scope.venue}` : `agent:${scope.agent}`;
}

/**
 * The kill switch. A halt is written to the store (shared by every instance) and, for global and venue scopes,
 * as the runtime-root sentinel file (which halts by its existence alone). Both are recorded in the ledger.
 */
export class HaltService {
  constructor(
    private readonly deps: Pick<ServiceDeps, 'store' | 'clock' | 'events'>,
    private readonly files: HaltFiles,
  ) {}

  async halt(scope: HaltScope, reason: string, by: string): Promise<void> {
    const now = this.deps.clock.now();
    const key = scopeKey(scope);
    await this.deps.store.setHalt(key, reason, now);
    const path = this.files.sentinelPath(scope);
    if (path) this.files.write(path, reason, now);
    await this.deps.store.ledgerAppend('halt', key, JSON.stringify({ scope: key, reason, by, ts: now }), now);
    this.deps.events.publish({ type: 'halt', data: { scope: key, halted: true, reason, by, ts: now } });
  }

  async resume(scope: HaltScope, by: string): Promise<boolean> {
    const now = this.deps.clock.now();
    const key = scopeKey(scope);
    const before = (await this.deps.store.halts()).some((h) => h.scope === key);
    await this.deps.store.setHalt(key, null, now);
    const path = this.files.sentinelPath(scope);
    const removed = path ? this.files.remove(path) : false;
    await this.deps.store.ledgerAppend('resume', key, JSON.stringify({ scope: key, by, ts: now }), now);
    this.deps.events.publish({ type: 'halt', data: { scope: key, halted: false, by, ts: now } });
    return before || removed;
  }

  /** A human clears the fleet-wide crash breaker. */
  async resetBreaker(by: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.resetBreaker(now);
    await this.deps.store.ledgerAppend('breaker_reset', 'fleet', JSON.stringify({ by, ts: now }), now);
  }
}
