export type { Clock, IdGen } from './clock.js';
export type { MarketData, Timeframe } from './market-data.js';
export { TIMEFRAME_MS } from './market-data.js';
export type * from './model.js';
export type { Hasher, Signer } from './signer.js';
export type * from './store.js';
export type * from './venue.js';
export { VenueError } from './venue.js';
