import { describe, expect, it } from 'vitest';
import { parseVenueConfig } from './config.js';
import { createExchange } from './exchange.js';

const api = (urls: unknown) => (urls as { api: Record<string, unknown> }).api;

describe('createExchange', () => {
  it('refuses an exchange id ccxt does not know', () => {
    expect(() => createExchange(parseVenueConfig({ exchangeId: 'nosuchvenue' }))).toThrow(/unknown ccxt exchange id/);
  });

  it('switches to the sandbox URLs in testnet mode and stays on the live ones in live mode', () => {
    expect(String(api(createExchange(parseVenueConfig({ exchangeId: 'bybit' })).urls).private)).toContain('testnet');
    const live = createExchange(parseVenueConfig({ exchangeId: 'bybit', mode: 'live' }));
    expect(String(api(live.urls).private)).not.toContain('testnet');
  });

  it('uses the venue demo-trading URLs in demo mode', () => {
    const ex = createExchange(parseVenueConfig({ exchangeId: 'bybit', mode: 'demo' }));
    expect(String(api(ex.urls).private)).toContain('api-demo');
  });

  it('points every REST URL at an override origin, keeping each path prefix', () => {
    const ex = createExchange(parseVenueConfig({ exchangeId: 'binance', baseUrl: 'http://127.0.0.1:9999' }));
    const urls = api(ex.urls);
    expect(urls.fapiPrivate).toBe('http://127.0.0.1:9999/fapi/v1');
    expect(Object.values(urls).every((u) => typeof u !== 'string' || u.startsWith('http://127.0.0.1:9999'))).toBe(true);
  });

  it('loads markets from public endpoints only and passes credentials to ccxt', () => {
    const ex = createExchange(parseVenueConfig({ exchangeId: 'okx', mode: 'live' }), {
      apiKey: 'k',
      secret: 's',
      passphrase: 'p',
    });
    expect(ex.has.fetchCurrencies).toBe(false);
    expect([ex.apiKey, ex.secret, ex.password]).toEqual(['k', 's', 'p']);
    expect((ex.options as Record<string, unknown>).defaultType).toBe('swap');
  });

  it('rejects unknown config keys', () => {
    expect(() => parseVenueConfig({ exchangeId: 'bybit', apiSecret: 'x' } as never)).toThrow();
  });
});
