import type { MandateLoad } from '../core/mandate/types.js';

/** Where mandates come from (the runtime root's `live/<broker>/mandate.json`). */
export interface MandateSource {
  load(venue: string): MandateLoad;
}

/** Halt sentinels and the Vibe-Trading trade counter mirror in the runtime root. */
export interface RuntimeSentinels {
  fileHalts(venue: string): { global: boolean; venue: boolean };
  readTradeCounter(venue: string, day: string): number;
  writeTradeCounter(venue: string, day: string, count: number): void;
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
