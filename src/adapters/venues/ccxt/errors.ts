import {
  AuthenticationError,
  BadRequest,
  DDoSProtection,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidOrder,
  NetworkError,
  OrderNotFound,
  RateLimitExceeded,
  RequestTimeout,
} from 'ccxt';
import { VenueError } from '../../../ports/venue.js';
import type { VenueCredentials } from './config.js';

type Code = VenueError['code'];

const REDACTED = '[redacted]';
const MAX_MESSAGE = 400;

/** Header names whose values are credentials or signatures, as the profiled venues spell them. */
const SECRET_HEADERS =
  /((?:apca-api-key-id|apca-api-secret-key|x-bapi-api-key|x-bapi-sign|x-mbx-apikey|ok-access-key|ok-access-sign|ok-access-passphrase|access-key|access-sign|access-passphrase|apikey|api[-_]?key|secret|passphrase|password|signature|sign)["']?\s*[:=]\s*["']?)[^"'\s,&}]+/gi;

/**
 * Removes what must never reach a log or a caller: the credentials themselves (raw and URL-encoded), signatures,
 * query strings (they carry `signature=` / `sign=` on some venues) and echoed pre-sign strings (Bybit's
 * `origin_string[...]` contains the api key).
 */
export function sanitizeMessage(message: string, creds?: Partial<VenueCredentials>): string {
  let out = message
    .replace(/origin_string\[[^\]]*\]/gi, `origin_string[${REDACTED}]`)
    .replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/gi, `$1?${REDACTED}`)
    .replace(SECRET_HEADERS, `$1${REDACTED}`)
    .replace(/\b[0-9a-f]{64}\b/gi, REDACTED)
    .replace(/(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=(?![A-Za-z0-9+/=])/g, REDACTED);
  for (const secret of [creds?.apiKey, creds?.secret, creds?.passphrase]) {
    if (!secret || secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(REDACTED);
  }
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out;
}

/** ccxt error class → port code. Order matters: subclasses first (OrderNotFound is an InvalidOrder, …). */
const TABLE: readonly [new (...args: never[]) => Error, Code, boolean][] = [
  [InsufficientFunds, 'INSUFFICIENT_BALANCE', false],
  [RateLimitExceeded, 'RATE_LIMITED', true],
  [DDoSProtection, 'RATE_LIMITED', true],
  [AuthenticationError, 'AUTH_FAILED', false],
  [RequestTimeout, 'TIMEOUT', false],
  [ExchangeNotAvailable, 'EXCHANGE_DOWN', true],
  [NetworkError, 'EXCHANGE_DOWN', true],
  [OrderNotFound, 'ORDER_NOT_FOUND', false],
  [InvalidOrder, 'INVALID_ORDER', false],
  [BadRequest, 'INVALID_ORDER', false],
];

/**
 * Venue answers ccxt files under a class that misleads: Hyperliquid answers a signature it cannot attribute to the
 * account (wrong key, tampered action, other network) with `User or API Wallet 0x… does not exist.` and a
 * refused nonce with `Invalid nonce: …` (ccxt: InvalidOrder / ExchangeError).
 */
const BY_MESSAGE: readonly [RegExp, Code][] = [
  [/User or API Wallet \S+ does not exist/i, 'AUTH_FAILED'],
  [/\bInvalid nonce: /, 'AUTH_FAILED'],
];

/** Maps any error thrown by ccxt (or by our parsing of its answer) to a VenueError with a sanitised message. */
export function toVenueError(err: unknown, creds?: Partial<VenueCredentials>): VenueError {
  if (err instanceof VenueError) return err;
  const raw = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const message = sanitizeMessage(raw, creds);
  const byMessage = BY_MESSAGE.find(([re]) => re.test(raw));
  if (byMessage) return new VenueError(byMessage[1], message);
  for (const [cls, code, retryable] of TABLE) {
    if (err instanceof cls) return new VenueError(code, message, retryable);
  }
  return new VenueError('UNKNOWN', message);
}
