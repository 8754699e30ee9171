import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkVenueCredentials, loadVenueCredentials } from '../../src/adapters/venues/ccxt/index.js';
import { cliAsync, tempHome } from '../support/cli.js';
import { randomWallet, startHyperliquidEmulator } from './hyperliquid.js';
import type { VenueEmulator } from './server.js';

describe('Hyperliquid credentials: a wallet address and the key that signs for it', () => {
  const agent = randomWallet();
  let emu: VenueEmulator;
  beforeAll(async () => {
    emu = await startHyperliquidEmulator({ agents: [agent.apiKey] });
  });
  afterAll(async () => emu.close());

  const check = (env: Record<string, string>) =>
    checkVenueCredentials(env, undefined, {
      venues: ['hyperliquid'],
      baseUrls: { hyperliquid: emu.url },
      timeoutMs: 2_000,
    });

  it('reads ARBITER_HYPERLIQUID_WALLET_ADDRESS / _PRIVATE_KEY, or walletAddress / privateKey in the secrets file', () => {
    const { apiKey, secret } = emu.options.credentials;
    const env = { ARBITER_HYPERLIQUID_WALLET_ADDRESS: apiKey, ARBITER_HYPERLIQUID_PRIVATE_KEY: secret };
    expect(loadVenueCredentials('hyperliquid', env)).toEqual({ apiKey, secret });
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-hl-'));
    const path = join(dir, 'secrets.json');
    writeFileSync(path, JSON.stringify({ hyperliquid: { walletAddress: apiKey, privateKey: secret } }));
    chmodSync(path, 0o600);
    expect(loadVenueCredentials('hyperliquid', {}, path)).toEqual({ apiKey, secret });
    expect(loadVenueCredentials('bybit', { ARBITER_BYBIT_WALLET_ADDRESS: apiKey })).toBeNull();
  });

  it('`venues check` says the wallet’s own key and an approved API wallet may trade, another key may not — without printing either', async () => {
    const main = emu.options.credentials;
    const stranger = randomWallet();
    const own = await check({
      ARBITER_HYPERLIQUID_WALLET_ADDRESS: main.apiKey,
      ARBITER_HYPERLIQUID_PRIVATE_KEY: main.secret,
    });
    const viaAgent = await check({
      ARBITER_HYPERLIQUID_API_KEY: main.apiKey,
      ARBITER_HYPERLIQUID_API_SECRET: agent.secret,
    });
    const other = await check({
      ARBITER_HYPERLIQUID_API_KEY: main.apiKey,
      ARBITER_HYPERLIQUID_API_SECRET: stranger.secret,
    });
    expect(own[0]).toMatchObject({ venue: 'hyperliquid', read: true, trade: true, error: null });
    expect(viaAgent[0]).toMatchObject({ read: true, trade: true });
    expect(other[0], 'reads are public at Hyperliquid; trading is what the key decides').toMatchObject({
      read: true,
      trade: false,
    });
    const printed = JSON.stringify([own, viaAgent, other]);
    for (const s of [main.secret, agent.secret, stranger.secret]) {
      expect(printed).not.toContain(s);
      expect(printed).not.toContain(s.slice(2));
    }
  });

  it('the built CLI `arbiter venues check --venue hyperliquid` prints presence and permissions, never the key', async () => {
    const home = tempHome('arbiter-hl-check-');
    try {
      const main = emu.options.credentials;
      const r = await cliAsync(home, ['venues', 'check', '--venue', 'hyperliquid'], {
        ARBITER_VENUE_URL: emu.url,
        ARBITER_HYPERLIQUID_WALLET_ADDRESS: main.apiKey,
        ARBITER_HYPERLIQUID_PRIVATE_KEY: main.secret,
      });
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).venues).toEqual([
        {
          venue: 'hyperliquid',
          mode: 'testnet',
          present: { apiKey: true, secret: true, passphrase: false, passphraseRequired: false, source: 'env' },
          read: true,
          trade: true,
          error: null,
        },
      ]);
      expect(r.out + r.err).not.toContain(main.secret.slice(2));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it('`venues check` reports a malformed key as AUTH_FAILED, not the value', async () => {
    const r = await check({
      ARBITER_HYPERLIQUID_API_KEY: emu.options.credentials.apiKey,
      ARBITER_HYPERLIQUID_API_SECRET: 'oops-key',
    });
    expect(r[0]).toMatchObject({ read: false, trade: false, error: 'AUTH_FAILED' });
    expect(JSON.stringify(r)).not.toContain('oops-key');
  });
});
