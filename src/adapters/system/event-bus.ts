import type { ArbiterEvent, EventBus } from '../../ports/runtime.js';

/** In-process publish/subscribe; a failing subscriber never affects the publisher. */
export class SimpleEventBus implements EventBus {
  private readonly subs = new Set<(event: ArbiterEvent) => void>();
  publish(event: ArbiterEvent): void {
    for (const s of this.subs) {
      try {
        s(event);
      } catch {
        // A subscriber's failure must never affect a verdict.
      }
    }
  }
  subscribe(fn: (event: ArbiterEvent) => void): () => void {
    this.subs.add(fn);
    return () => this.subs.delete(fn);
  }
}
