import type { Venue } from '../../../ports/venue.js';
import { AlpacaMarketData } from './alpaca/market-data.js';
import { AlpacaVenue } from './alpaca/venue.js';
import { CcxtClient } from './client.js';
import { type CcxtVenueConfigInput, parseVenueConfig, type VenueCredentials } from './config.js';
import { CcxtMarketData } from './market-data.js';
import { CcxtVenue } from './venue.js';

export { AlpacaMarketData } from './alpaca/market-data.js';
export { AlpacaVenue } from './alpaca/venue.js';
export { CcxtClient } from './client.js';
export {
  type CcxtVenueConfig,
  type CcxtVenueConfigInput,
  PROFILED_VENUES,
  parseVenueConfig,
  type VenueCredentials,
} from './config.js';
export {
  type CredentialPresence,
  CredentialsError,
  loadVenueCredentials,
  readSecretsFile,
  resolveCredentials,
} from './credentials.js';
export { type CheckOptions, checkVenueCredentials, type VenueCredentialReport } from './credentials-check.js';
export { sanitizeMessage, toVenueError } from './errors.js';
export { CcxtMarketData } from './market-data.js';
export { profileOf } from './profiles.js';
export { Reconciler, type ReconcilerOptions, type ReconcileSnapshot } from './reconciler.js';
export { CcxtVenue } from './venue.js';

export interface CcxtAdapters {
  readonly venue: Venue & Pick<CcxtVenue, 'cancelAllOrders' | 'closePosition'>;
  readonly marketData: CcxtMarketData | AlpacaMarketData;
}

/**
 * A venue and its market data sharing one ccxt instance (one market cache, one rate limiter). Alpaca trades US
 * stocks in USD cash (spot) with its own venue and stock market data; `now` is the clock its session rules read.
 */
export function createCcxtAdapters(
  config: CcxtVenueConfigInput,
  credentials?: VenueCredentials | null,
  now: () => number = Date.now,
): CcxtAdapters {
  if (config.exchangeId === 'alpaca') {
    const client = new CcxtClient(
      parseVenueConfig({ ...config, marketType: 'spot', settleCurrency: 'USD', symbols: [] }),
      credentials ?? undefined,
    );
    return { venue: new AlpacaVenue(client, now), marketData: new AlpacaMarketData(client, now) };
  }
  const client = new CcxtClient(parseVenueConfig(config), credentials ?? undefined);
  return { venue: new CcxtVenue(client), marketData: new CcxtMarketData(client) };
}
