import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type VenueEmulator } from '../../../../test/emulator/index.js';
import { CredentialsError, loadVenueCredentials, readSecretsFile, resolveCredentials } from './credentials.js';
import { checkVenueCredentials } from './credentials-check.js';

const dir = mkdtempSync(join(tmpdir(), 'arbiter-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretsFile(name: string, content: unknown, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  chmodSync(path, mode);
  return path;
}

describe('venue credentials', () => {
  it('reads ARBITER_<VENUE>_API_KEY / _API_SECRET / _PASSPHRASE from the environment', () => {
    const env = { ARBITER_OKX_API_KEY: 'k', ARBITER_OKX_API_SECRET: 's', ARBITER_OKX_PASSPHRASE: 'p' };
    expect(loadVenueCredentials('okx', env)).toEqual({ apiKey: 'k', secret: 's', passphrase: 'p' });
    expect(loadVenueCredentials('bybit', env), 'nothing set for bybit').toBeNull();
  });

  it('treats OKX / Bitget credentials without a passphrase as incomplete', () => {
    const env = { ARBITER_BITGET_API_KEY: 'k', ARBITER_BITGET_API_SECRET: 's' };
    const r = resolveCredentials('bitget', env);
    expect(r.credentials).toBeNull();
    expect(r.presence).toMatchObject({ apiKey: true, secret: true, passphrase: false, passphraseRequired: true });
  });

  it('reads a 0600 secrets file and prefers the environment over it', () => {
    const path = secretsFile('ok.json', { bybit: { apiKey: 'fk', secret: 'fs' } }, 0o600);
    expect(loadVenueCredentials('bybit', {}, path)).toEqual({ apiKey: 'fk', secret: 'fs' });
    const env = { ARBITER_BYBIT_API_KEY: 'ek', ARBITER_BYBIT_API_SECRET: 'es' };
    expect(loadVenueCredentials('bybit', env, path)).toEqual({ apiKey: 'ek', secret: 'es' });
  });

  it('refuses a secrets file others can read, without printing what is in it', () => {
    const path = secretsFile('open.json', { bybit: { apiKey: 'leaky-key', secret: 'leaky-secret' } }, 0o644);
    const err = (() => {
      try {
        readSecretsFile(path);
      } catch (e) {
        return e as CredentialsError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(CredentialsError);
    expect(err!.code).toBe('SECRETS_FILE_PERMISSIONS');
    expect(err!.message).toContain('0644');
    expect(err!.message).not.toMatch(/leaky/);
  });

  it('leaves the model keys section (`models`) to the model providers', () => {
    const path = secretsFile(
      'models.json',
      { bybit: { apiKey: 'fk', secret: 'fs' }, models: { OPENAI_API_KEY: 'x' } },
      0o600,
    );
    expect(loadVenueCredentials('bybit', {}, path)).toEqual({ apiKey: 'fk', secret: 'fs' });
  });

  it('refuses a secrets file with unknown fields, naming the path but not the values', () => {
    const path = secretsFile('bad.json', { bybit: { apiKey: 'k', secret: 's', token: 'tok-value' } }, 0o600);
    expect(() => readSecretsFile(path)).toThrow(/SECRETS_FILE_INVALID: .*bybit/);
    expect(() => readSecretsFile(path)).not.toThrow(/tok-value/);
  });
});

describe('checkVenueCredentials', () => {
  let bybit: VenueEmulator;
  let okx: VenueEmulator;
  let bitget: VenueEmulator;
  beforeAll(async () => {
    [bybit, okx, bitget] = await Promise.all([startEmulator('bybit'), startEmulator('okx'), startEmulator('bitget')]);
  });
  afterAll(async () => {
    await Promise.all([bybit.close(), okx.close(), bitget.close()]);
  });

  it('reports presence and what the keys allow, as booleans and codes only', async () => {
    const env = {
      ARBITER_BYBIT_API_KEY: bybit.options.credentials.apiKey,
      ARBITER_BYBIT_API_SECRET: bybit.options.credentials.secret,
      ARBITER_OKX_API_KEY: okx.options.credentials.apiKey,
      ARBITER_OKX_API_SECRET: 'not-the-secret',
      ARBITER_OKX_PASSPHRASE: okx.options.credentials.passphrase,
      ARBITER_BINANCE_API_KEY: 'only-a-key',
    };
    const path = secretsFile('check.json', { bitget: bitget.options.credentials }, 0o600);
    const report = await checkVenueCredentials(env, path, {
      baseUrls: { bybit: bybit.url, okx: okx.url, bitget: bitget.url },
      timeoutMs: 2_000,
    });
    const by = Object.fromEntries(report.map((r) => [r.venue, r]));
    expect(by.bybit).toMatchObject({ read: true, trade: true, error: null, present: { source: 'env' } });
    expect(by.okx).toMatchObject({ read: false, trade: false, error: 'AUTH_FAILED' });
    expect(by.binance).toMatchObject({ read: null, trade: null, present: { apiKey: true, secret: false } });
    expect(by.bitget).toMatchObject({ read: true, trade: null, present: { source: 'file', passphrase: true } });
    const printed = JSON.stringify(report);
    for (const c of [bybit, okx, bitget].map((e) => e.options.credentials)) {
      for (const s of [c.apiKey, c.secret, c.passphrase].filter((x) => x !== undefined)) {
        expect(printed).not.toContain(s);
      }
    }
    expect(printed).not.toContain('only-a-key');
  });
});
