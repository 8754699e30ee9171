import {
  AuthenticationError,
  BadRequest,
  DDoSProtection,
  DuplicateOrderId,
  ExchangeError,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidNonce,
  InvalidOrder,
  NetworkError,
  OnMaintenance,
  OrderNotFound,
  PermissionDenied,
  RateLimitExceeded,
  RequestTimeout,
} from 'ccxt';
import { describe, expect, it } from 'vitest';
import { VenueError } from '../../../ports/venue.js';
import { sanitizeMessage, toVenueError } from './errors.js';

const creds = { apiKey: 'AKIAkey0123456789', secret: 's3cr3t/with+chars=', passphrase: 'pass-phrase-1' };

describe('sanitizeMessage', () => {
  it.each([
    ['the api key', `bybit {"retMsg":"API key ${creds.apiKey} is invalid"}`, creds.apiKey],
    ['the secret, URL-encoded too', `echo ${encodeURIComponent(creds.secret)} and ${creds.secret}`, creds.secret],
    ['the passphrase', `OK-ACCESS-PASSPHRASE: ${creds.passphrase}`, creds.passphrase],
    [
      'a query-string signature',
      'binance GET https://fapi.binance.com/fapi/v3/account?timestamp=1&signature=abc123 503',
      'abc123',
    ],
    ['a header signature', '{"X-BAPI-SIGN":"deadbeefcafe","X-BAPI-API-KEY":"k-123"}', 'deadbeefcafe'],
    ['an Alpaca secret key header', '{"APCA-API-KEY-ID":"PKZZ1","APCA-API-SECRET-KEY":"zz-secret-9"}', 'zz-secret-9'],
    ['an Alpaca key id header', '{"APCA-API-KEY-ID":"PKZZ1","APCA-API-SECRET-KEY":"zz-secret-9"}', 'PKZZ1'],
    ['an echoed pre-sign string', 'error sign! origin_string[1700000000000k-9999sEcReT5000category=linear]', 'k-9999'],
    ['a bare hex HMAC', `sig ${'ab'.repeat(32)} rejected`, 'ab'.repeat(32)],
    [
      'a bare base64 HMAC',
      'sign Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXg= rejected',
      'Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXg=',
    ],
  ])('strips %s', (_what, message, secret) => {
    const out = sanitizeMessage(message, creds);
    expect(out.includes(secret), `still contains the secret: ${out}`).toBe(false);
    expect(out).toContain('[redacted]');
  });

  it('keeps the useful part of a venue error and caps its length', () => {
    expect(sanitizeMessage('okx {"code":"51008","msg":"Insufficient margin"}', creds)).toBe(
      'okx {"code":"51008","msg":"Insufficient margin"}',
    );
    expect(sanitizeMessage('x'.repeat(2_000)).length).toBeLessThanOrEqual(401);
  });
});

describe('toVenueError', () => {
  it.each([
    [new InsufficientFunds('x'), 'INSUFFICIENT_BALANCE', false],
    [new RateLimitExceeded('x'), 'RATE_LIMITED', true],
    [new DDoSProtection('x'), 'RATE_LIMITED', true],
    [new AuthenticationError('x'), 'AUTH_FAILED', false],
    [new PermissionDenied('x'), 'AUTH_FAILED', false],
    [new ExchangeNotAvailable('x'), 'EXCHANGE_DOWN', true],
    [new OnMaintenance('x'), 'EXCHANGE_DOWN', true],
    [new NetworkError('x'), 'EXCHANGE_DOWN', true],
    [new InvalidNonce('x'), 'EXCHANGE_DOWN', true],
    [new RequestTimeout('x'), 'TIMEOUT', false],
    [new OrderNotFound('x'), 'ORDER_NOT_FOUND', false],
    [new InvalidOrder('x'), 'INVALID_ORDER', false],
    [new DuplicateOrderId('x'), 'INVALID_ORDER', false],
    [new BadRequest('x'), 'INVALID_ORDER', false],
    [new ExchangeError('x'), 'UNKNOWN', false],
    [new TypeError('x'), 'UNKNOWN', false],
  ] as const)('maps %o to %s (retryable %s)', (err, code, retryable) => {
    const v = toVenueError(err);
    expect(v).toBeInstanceOf(VenueError);
    expect(v.code).toBe(code);
    expect(v.retryable).toBe(retryable);
  });

  it('never lets a timeout be retried by re-sending', () => {
    expect(toVenueError(new RequestTimeout('bybit POST /v5/order/create timed out')).retryable).toBe(false);
  });

  it('sanitises the message it carries', () => {
    const v = toVenueError(new AuthenticationError(`bybit invalid key ${creds.apiKey}`), creds);
    expect(v.message).not.toContain(creds.apiKey);
    expect(v.message).toMatch(/^AUTH_FAILED: AuthenticationError: /);
  });

  it('passes a VenueError through unchanged', () => {
    const v = new VenueError('INVALID_ORDER', 'no market');
    expect(toVenueError(v)).toBe(v);
  });
});
