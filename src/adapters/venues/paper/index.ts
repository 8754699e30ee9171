export { MemoryDocStore } from './memory-doc-store.js';
export { type DocStore, PaperVenue, type PaperVenueOptions, toVenueOrder } from './paper-venue.js';
