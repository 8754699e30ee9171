import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Venue, VenueError } from '../../src/ports/venue.js';
import { call } from './support/call.js';
import { type Harness, startHarness } from './support/harness.js';

/**
 * A venue read that fails (the ccxt adapter throws these codes; test/emulator checks that mapping against each
 * exchange's wire format) is the upstream's fault: 503 when retrying later may help, 502 otherwise, with the code.
 */
describe('HTTP API: a venue that fails a read', () => {
  let h: Harness;
  let venue: Venue & { balance: Venue['balance'] };
  let original: Venue['balance'];
  beforeAll(async () => {
    h = await startHarness({ bars: 2 });
    venue = h.ctx.deps.venues.get('paper') as typeof venue;
    original = venue.balance.bind(venue);
  });
  afterAll(async () => {
    venue.balance = original;
    await h.close();
  });

  for (const [code, retryable, status] of [
    ['EXCHANGE_DOWN', true, 503],
    ['RATE_LIMITED', true, 503],
    ['TIMEOUT', false, 503],
    ['AUTH_FAILED', false, 502],
    ['UNKNOWN', false, 502],
  ] as const) {
    it(`answers ${status} ${code} (not 500 INTERNAL_ERROR) when the venue says ${code}`, async () => {
      venue.balance = async () => {
        throw new VenueError(code, 'the venue said no', retryable);
      };
      const r = await call(h, 'GET', '/v1/balance', { token: h.tokens.alice });
      expect(r.status, r.text).toBe(status);
      expect(r.body).toMatchObject({ error: code, venue_error: true });
      expect(r.body.message).toContain('the venue said no');
    });
  }

  it('documents both answers in the OpenAPI document', async () => {
    const doc = (await call(h, 'GET', '/openapi.json')).body;
    for (const path of ['/v1/balance', '/v1/positions'])
      expect(Object.keys(doc.paths[path].get.responses), path).toEqual(expect.arrayContaining(['502', '503']));
  });

  it('still answers 200 once the venue is back', async () => {
    venue.balance = original;
    const r = await call(h, 'GET', '/v1/balance', { token: h.tokens.alice });
    expect(r.status, r.text).toBe(200);
  });
});
