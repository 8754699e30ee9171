import type { MandateLoad } from '../core/mandate/types.js';

/** Where mandates come from (the runtime root's `live/<broker>/mandate.json`). */
export interface MandateSource {
  load(venue: string): MandateLoad;
}

/** Halt sentinels in the runtime root. */
export interface RuntimeSentinels {
  fileHalts(venue: string): { global: boolean; venue: boolean };
}

export type OrderLockResult<T> = { readonly locked: true; readonly value: T } | { readonly locked: false };

/**
 * Vibe-Trading's daily trade counter for a broker, and the lock both programs hold around check → submit → count,
 * so that one cap holds across both.
 */
export interface TradeCounter {
  /** Today's count as the counter file has it (0: missing, unreadable or another UTC day). */
  read(broker: string, day: string): number;
  /** Sets today's count. */
  write(broker: string, day: string, count: number): void;
  /**
   * Runs `fn` holding the broker's order-submission lock; `{ locked: false }` (and `fn` not run) when it could not
   * be had in time. Everything from reading the count to writing it back belongs inside.
   */
  withOrderLock<T>(broker: string, fn: () => Promise<T>): Promise<OrderLockResult<T>>;
}

export interface AuditSink {
  /** Writes a redacted audit record, given as its JSON text (the same text the store keeps). */
  write(json: string): void;
}

export type ArbiterEvent =
  | { readonly type: 'verdict'; readonly data: Record<string, unknown> }
  | { readonly type: 'fill'; readonly data: Record<string, unknown> }
  | { readonly type: 'order'; readonly data: Record<string, unknown> }
  | { readonly type: 'approval'; readonly data: Record<string, unknown> }
  | { readonly type: 'halt'; readonly data: Record<string, unknown> }
  | { readonly type: 'leaderboard'; readonly data: Record<string, unknown> };

export interface EventBus {
  publish(event: ArbiterEvent): void;
  subscribe(fn: (event: ArbiterEvent) => void): () => void;
}
