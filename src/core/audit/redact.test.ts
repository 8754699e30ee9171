import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from './redact.js';

describe('redaction', () => {
  it.each([
    ['api_key'],
    ['apiKey'],
    ['api-key'],
    ['API_SECRET'],
    ['secretKey'],
    ['password'],
    ['passphrase'],
    ['access_token'],
    ['refreshToken'],
    ['Authorization'],
    ['account_number'],
    ['accountNumber'],
    ['account-number'],
    ['private_key'],
  ])('redacts the value of %s', (key) => {
    expect(redact({ [key]: 'value-123456' })).toEqual({ [key]: REDACTED });
  });

  it('masks bearer, sk- and JWT-shaped strings inside other values', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const out = redact({ note: `sent Bearer abcdefgh12345678 with sk-live_abcdefghijkl and ${jwt}` }) as {
      note: string;
    };
    expect(out.note).not.toContain('abcdefgh12345678');
    expect(out.note).not.toContain('sk-live');
    expect(out.note).not.toContain('eyJ');
  });

  it('walks nested arrays and objects and keeps ordinary fields', () => {
    const out = redact({ symbol: 'BTC/USDT', headers: [{ 'X-Api-Key': 'k' }], account_id: 'main' });
    expect(out).toEqual({ symbol: 'BTC/USDT', headers: [{ 'X-Api-Key': REDACTED }], account_id: 'main' });
  });
});
