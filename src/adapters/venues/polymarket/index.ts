import { PolymarketClient } from './client.js';
import { type PolymarketConfigInput, parsePolymarketConfig } from './config.js';
import type { PolymarketCredentials } from './credentials.js';
import { DurableOrderIndex } from './order-index.js';
import { TokenMap } from './tokens.js';
import { PolymarketVenue } from './venue.js';

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
export { DurableOrderIndex } from './order-index.js';
export { PolymarketVenue } from './venue.js';

/** The Polymarket venue for a configuration and a wallet. */
export function createPolymarketVenue(
  config: PolymarketConfigInput,
  credentials: PolymarketCredentials,
): PolymarketVenue {
  const parsed = parsePolymarketConfig(config);
  const client = new PolymarketClient(parsed, credentials);
  return new PolymarketVenue(
    client,
    new TokenMap(client, parsed.markets),
    new DurableOrderIndex(parsed.orderIndexPath),
  );
}
