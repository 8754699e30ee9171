export { MemoryDocStore } from './memory-doc-store.js';
export { DocumentAccounts, MemoryAccounts, type PaperAccounts } from './paper-accounts.js';
export { type DocStore, PaperVenue, type PaperVenueOptions, toVenueOrder } from './paper-venue.js';
