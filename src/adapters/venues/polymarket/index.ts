import { PolymarketClient } from './client.js';
import { type PolymarketConfigInput, parsePolymarketConfig } from './config.js';
import type { PolymarketCredentials } from './credentials.js';
import { MarketListing } from './listing.js';
import { PolymarketMarketData } from './market-data.js';
import { DurableOrderIndex } from './order-index.js';
import { TokenMap } from './tokens.js';
import { PolymarketVenue } from './venue.js';

export { checkPolymarketCredentials, type PolymarketCheckReport } from './check.js';
export { PolymarketClient } from './client.js';
export {
  AMOY,
  POLYGON,
  POLYMARKET_HOST,
  type PolymarketConfig,
  type PolymarketConfigInput,
  parseMarketList,
  parsePolymarketConfig,
} from './config.js';
export { loadPolymarketCredentials, POLYMARKET_ENV, type PolymarketCredentials } from './credentials.js';
export { toVenueError } from './errors.js';
export { LISTING_TTL_MS, MarketListing, pmStatus, resolutionSource, toListedView } from './listing.js';
export { PolymarketMarketData } from './market-data.js';
export { DurableOrderIndex } from './order-index.js';
export { PolymarketVenue } from './venue.js';

export interface PolymarketAdapters {
  readonly venue: PolymarketVenue;
  readonly marketData: PolymarketMarketData;
}

/** The Polymarket venue and its public market data for a configuration and a wallet, sharing one market listing. */
export function createPolymarketAdapters(
  config: PolymarketConfigInput,
  credentials: PolymarketCredentials | null,
): PolymarketAdapters {
  const parsed = parsePolymarketConfig(config);
  const client = new PolymarketClient(parsed, credentials);
  const tokens = new TokenMap(client, parsed.markets);
  return {
    venue: new PolymarketVenue(client, tokens, new DurableOrderIndex(parsed.orderIndexPath)),
    marketData: new PolymarketMarketData(client, tokens, new MarketListing(client, parsed.markets)),
  };
}

/** The Polymarket venue alone. */
export function createPolymarketVenue(
  config: PolymarketConfigInput,
  credentials: PolymarketCredentials,
): PolymarketVenue {
  return createPolymarketAdapters(config, credentials).venue;
}
