import { describe, expect, it } from 'vitest';
import { checkPolymarketCredentials } from './check.js';

const KEY = `0x${'4f'.repeat(32)}`;

describe('checkPolymarketCredentials before any request', () => {
  it('refuses testnet without an emulator URL, saying what to set', async () => {
    const r = await checkPolymarketCredentials({ ARBITER_POLYMARKET_PRIVATE_KEY: KEY }, undefined, { mode: 'testnet' });
    expect(r).toMatchObject({ authenticated: null, usdc: null, error: 'CONFIG_INVALID' });
    expect(r.message).toContain('ARBITER_VENUE_URL');
  });

  it('reports a malformed wallet key by its variable, never its value', async () => {
    const r = await checkPolymarketCredentials({ ARBITER_POLYMARKET_PRIVATE_KEY: 'not-a-key-s3cr3t' }, undefined, {
      mode: 'live',
    });
    expect(r).toMatchObject({ present: { privateKey: true }, authenticated: null, error: 'CREDENTIALS_INVALID' });
    expect(r.message).toContain('ARBITER_POLYMARKET_PRIVATE_KEY');
    expect(JSON.stringify(r)).not.toContain('not-a-key-s3cr3t');
  });
});
