import type { AuditRecord } from '../core/audit/record.js';
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
  /** Writes a redacted record. */
  write(record: AuditRecord): void;
  /**
   * Writes a redacted record given as its JSON text (exactly `JSON.stringify` of the record `write` would get).
   * Optional: the firewall hands the text it already made for the store to a sink that has this.
   */
  writeJson?(json: string): void;
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
