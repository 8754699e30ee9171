import { ApiError } from '@polymarket/clob-client';
import { VenueError } from '../../../ports/venue.js';
import { sanitizeMessage } from '../ccxt/errors.js';
import type { PolymarketCredentials } from './credentials.js';

/**
 * Maps what the CLOB client throws to a VenueError with a sanitised message (no key, secret, passphrase, wallet key
 * or signature). The client reports the venue's refusals as ApiError(status, `error` body); local refusals (a price
 * off the tick range, no liquidity for a market order) as plain Errors.
 */
export function toVenueError(err: unknown, creds?: PolymarketCredentials): VenueError {
  if (err instanceof VenueError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  let message = sanitizeMessage(`polymarket: ${raw}`, {
    apiKey: creds?.apiKey,
    secret: creds?.secret,
    passphrase: creds?.passphrase,
  });
  if (creds?.privateKey) message = message.split(creds.privateKey.slice(2)).join('[redacted]');
  const status = err instanceof ApiError ? err.status : undefined;
  if (status === 401 || status === 403) return new VenueError('AUTH_FAILED', message);
  if (status === 429) return new VenueError('RATE_LIMITED', message, true);
  if (status === 404) return new VenueError('ORDER_NOT_FOUND', message);
  if (status !== undefined && status >= 500) return new VenueError('EXCHANGE_DOWN', message, true);
  if (/balance|allowance/i.test(raw)) return new VenueError('INSUFFICIENT_BALANCE', message);
  if (status === 400) return new VenueError('INVALID_ORDER', message);
  if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|socket hang up|Network Error/i.test(raw))
    return new VenueError('EXCHANGE_DOWN', message, true);
  if (/invalid price|no match|tick size|no orderbook/i.test(raw)) return new VenueError('INVALID_ORDER', message);
  return new VenueError('UNKNOWN', message);
}
