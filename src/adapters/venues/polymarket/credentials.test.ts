import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolymarketCredentials } from './credentials.js';

const KEY = `0x${'1f'.repeat(32)}`;

describe('Polymarket credentials', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'arbiter-pm-creds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function secrets(content: unknown, mode = 0o600): string {
    const path = join(dir, 'secrets.json');
    writeFileSync(path, JSON.stringify(content));
    chmodSync(path, mode);
    return path;
  }

  it('reads the wallet and optional L2 key from the environment first', () => {
    const c = loadPolymarketCredentials({
      ARBITER_POLYMARKET_PRIVATE_KEY: KEY.slice(2),
      ARBITER_POLYMARKET_API_KEY: 'k',
      ARBITER_POLYMARKET_API_SECRET: 's',
      ARBITER_POLYMARKET_PASSPHRASE: 'p',
      ARBITER_POLYMARKET_FUNDER: `0x${'ab'.repeat(20)}`,
      ARBITER_POLYMARKET_SIGNATURE_TYPE: '2',
    });
    expect(c).toEqual({
      privateKey: KEY,
      apiKey: 'k',
      secret: 's',
      passphrase: 'p',
      funder: `0x${'ab'.repeat(20)}`,
      signatureType: 2,
    });
  });

  it('reads the secrets file’s polymarket entry, and answers null when there is no wallet anywhere', () => {
    const path = secrets({ bybit: { apiKey: 'a', secret: 'b' }, polymarket: { privateKey: KEY } });
    expect(loadPolymarketCredentials({}, path)).toEqual({ privateKey: KEY });
    expect(loadPolymarketCredentials({}, secrets({ bybit: { apiKey: 'a', secret: 'b' } }))).toBeNull();
    expect(loadPolymarketCredentials({})).toBeNull();
  });

  it('refuses a secrets file others can read', () => {
    const path = secrets({ polymarket: { privateKey: KEY } }, 0o644);
    expect(() => loadPolymarketCredentials({}, path)).toThrow(/SECRETS_FILE_PERMISSIONS/);
  });

  it('names what is wrong and never the value: a bad key, a half-given L2 key, a bad signature type', () => {
    const bad = () => loadPolymarketCredentials({ ARBITER_POLYMARKET_PRIVATE_KEY: '0xdeadbeefcafe' });
    expect(bad).toThrow(/ARBITER_POLYMARKET_PRIVATE_KEY \(a 32-byte hex private key\)/);
    expect(bad).not.toThrow(/deadbeefcafe/);
    expect(() =>
      loadPolymarketCredentials({ ARBITER_POLYMARKET_PRIVATE_KEY: KEY, ARBITER_POLYMARKET_API_KEY: 'only-the-key' }),
    ).toThrow(/API key, secret and passphrase together, or none/);
    expect(() =>
      loadPolymarketCredentials({ ARBITER_POLYMARKET_PRIVATE_KEY: KEY, ARBITER_POLYMARKET_SIGNATURE_TYPE: '7' }),
    ).toThrow(/ARBITER_POLYMARKET_SIGNATURE_TYPE/);
    const file = secrets({ polymarket: { privateKey: KEY, extra: 'x' } });
    expect(() => loadPolymarketCredentials({}, file)).toThrow(/"polymarket" entry .*: entry/);
  });
});
