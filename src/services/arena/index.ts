export { ArenaService, type ArenaServiceOptions, type SubmitReceipt } from './arena-service.js';
export { AccountBooks } from './books.js';
export { ArenaEngine } from './engine.js';
export { ExternalAgent } from './external-agent.js';
export { ARENA_NS, type ArenaState, ArenaStateStore } from './persistence.js';
export { ScopedIdGen } from './scoped-ids.js';
export { type ObservationSnapshot, snapshotOf } from './snapshot.js';
export { type SubmitOutcome, Submitter } from './submit.js';
export type * from './types.js';
