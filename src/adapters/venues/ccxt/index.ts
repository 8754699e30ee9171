import { CcxtClient } from './client.js';
import { type CcxtVenueConfigInput, parseVenueConfig, type VenueCredentials } from './config.js';
import { CcxtMarketData } from './market-data.js';
import { CcxtVenue } from './venue.js';

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
  readonly venue: CcxtVenue;
  readonly marketData: CcxtMarketData;
}

/** A venue and its public market data sharing one ccxt instance (one market cache, one rate limiter). */
export function createCcxtAdapters(config: CcxtVenueConfigInput, credentials?: VenueCredentials | null): CcxtAdapters {
  const client = new CcxtClient(parseVenueConfig(config), credentials ?? undefined);
  return { venue: new CcxtVenue(client), marketData: new CcxtMarketData(client) };
}
