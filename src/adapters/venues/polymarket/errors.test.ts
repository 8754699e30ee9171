import { ApiError } from '@polymarket/clob-client';
import { describe, expect, it } from 'vitest';
import { VenueError } from '../../../ports/venue.js';
import { toVenueError } from './errors.js';

const CREDS = {
  privateKey: `0x${'5a'.repeat(32)}` as const,
  apiKey: 'key-1234-abcd',
  secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYw==',
  passphrase: 'pass-phrase-9876',
};

describe('Polymarket errors → VenueError codes', () => {
  it.each([
    [new ApiError('Unauthorized/Invalid api key', 401), 'AUTH_FAILED', false],
    [new ApiError('forbidden', 403), 'AUTH_FAILED', false],
    [new ApiError('Too Many Requests', 429), 'RATE_LIMITED', true],
    [new ApiError('order not found', 404), 'ORDER_NOT_FOUND', false],
    [new ApiError('internal error', 500), 'EXCHANGE_DOWN', true],
    [new ApiError('not enough balance / allowance', 400), 'INSUFFICIENT_BALANCE', false],
    [new ApiError('INVALID_ORDER_MIN_TICK_SIZE: price 0.555', 400), 'INVALID_ORDER', false],
    [new ApiError('connect ECONNREFUSED 127.0.0.1:9', undefined), 'EXCHANGE_DOWN', true],
    [new Error('invalid price (1.2), min: 0.01 - max: 0.99'), 'INVALID_ORDER', false],
    [new Error('something else entirely'), 'UNKNOWN', false],
  ] as const)('maps %s to %s', (err, code, retryable) => {
    const v = toVenueError(err, CREDS);
    expect(v).toBeInstanceOf(VenueError);
    expect(v.code).toBe(code);
    expect(v.retryable).toBe(retryable);
  });

  it('never repeats a credential the venue echoed back', () => {
    const echoed = new ApiError(
      `bad request from ${CREDS.privateKey} key=${CREDS.apiKey} secret=${CREDS.secret} passphrase ${CREDS.passphrase}`,
      400,
    );
    const v = toVenueError(echoed, CREDS);
    for (const s of [CREDS.privateKey.slice(2), CREDS.apiKey, CREDS.secret, CREDS.passphrase])
      expect(v.message).not.toContain(s);
  });
});
