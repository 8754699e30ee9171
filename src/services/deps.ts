export type {
  ArbiterEvent,
  AuditSink,
  EventBus,
  MandateSource,
  RuntimeSentinels,
  TradeCounter,
} from '../ports/runtime.js';

import type { Clock, IdGen } from '../ports/clock.js';
import type { MarketData } from '../ports/market-data.js';
import type { AuditSink, EventBus, MandateSource, RuntimeSentinels, TradeCounter } from '../ports/runtime.js';
import type { Hasher, Signer } from '../ports/signer.js';
import type { Store } from '../ports/store.js';
import type { Venue } from '../ports/venue.js';

export interface ServiceDeps {
  readonly store: Store;
  readonly signer: Signer;
  readonly hasher: Hasher;
  readonly clock: Clock;
  readonly ids: IdGen;
  readonly mandates: MandateSource;
  readonly sentinels: RuntimeSentinels;
  /** Vibe-Trading's daily trade counter and order-submission lock. */
  readonly counter: TradeCounter;
  readonly market: MarketData;
  readonly venues: ReadonlyMap<string, Venue>;
  readonly audit: AuditSink;
  readonly events: EventBus;
  /** A fresh signed checkpoint every this many ledger records (0: only on demand). */
  readonly checkpointEvery: number;
}
