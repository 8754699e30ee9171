import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeEd25519Verify, nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { writeMandate } from '../../src/adapters/runtime/mandate-file.js';
import { type AppContext, createContext } from '../../src/app/context.js';
import { createAdapters } from '../../src/app/market.js';
import { buildServices, type Services } from '../../src/app/services.js';
import { loadSettings } from '../../src/app/settings.js';
import { defaultMandate } from '../../src/core/mandate/schema.js';
import { startHyperliquidEmulator } from '../emulator/hyperliquid.js';
import type { VenueEmulator } from '../emulator/server.js';
import { tempHome } from '../support/cli.js';

const SYMBOL = 'BTC/USDC:USDC';

/**
 * The whole path — firewall, certificate, wallet-signed order, reconciliation, ledger — on the Hyperliquid emulator,
 * in both of Arbiter's trading modes: paper mode trades the venue's testnet, live mode its mainnet (and only with
 * ARBITER_VENUE_MODE=live). The emulator accepts only the network it is told to, so a signature made for the
 * other network would be refused.
 */
describe.each([
  ['paper', 'testnet'],
  ['live', 'mainnet'],
] as const)('Hyperliquid end to end in %s mode (%s emulator)', (mode, network) => {
  let emu: VenueEmulator;
  let home: string;
  let app: AppContext;
  let services: Services;
  const session = () => ({ agentId: 'hl-agent', accountId: 'main', venue: 'hyperliquid', sessionId: 'e2e' });

  beforeAll(async () => {
    emu = await startHyperliquidEmulator({ network, wallet: 10_000 });
    home = tempHome();
    const m = defaultMandate(new Date(Date.now() - 60_000), nodeHasher.sha256Hex('hl'), 'hyperliquid');
    writeMandate(new RuntimeLayout(home), m);
    const env = {
      ARBITER_HOME: home,
      ARBITER_VENUE: 'hyperliquid',
      ARBITER_MODE: mode,
      ARBITER_VENUE_MODE: mode === 'live' ? 'live' : 'testnet',
      ARBITER_VENUE_URL: emu.url,
      ARBITER_HYPERLIQUID_WALLET_ADDRESS: emu.options.credentials.apiKey,
      ARBITER_HYPERLIQUID_PRIVATE_KEY: emu.options.credentials.secret,
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const settings = loadSettings(env);
      const adapters = await createAdapters(settings);
      app = await createContext(settings, { market: adapters.market, venues: adapters.venues });
      services = buildServices(app);
    } finally {
      for (const k of Object.keys(env)) if (!(k in saved)) delete process.env[k];
    }
  });
  afterAll(async () => {
    await app?.close();
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('vets, signs, fills, reconciles and records, with the key in no record', async () => {
    const r = await services.orders.place(session(), {
      symbol: SYMBOL,
      side: 'buy',
      notional: 300,
      client_order_id: `hl-${mode}-1`,
    });
    expect(r.certificate.payload.decision, JSON.stringify(r.certificate.payload.reasons)).toBe('ALLOW');
    expect(r.order?.status, JSON.stringify(r.orderError)).toBe('filled');
    expect(emu.engine.positions()[0]?.qty).toBeGreaterThan(0);
    expect(emu.requests.filter((q) => q.path === '/exchange' && q.authFailed)).toEqual([]);
    const snap = await app.deps.store.accountSnapshot('main', SYMBOL, Date.now(), 0);
    expect(snap.position.qty).toBeGreaterThan(0);
    const report = await app.ledger.verify(app.deps.signer.publicKey, app.deps.signer.keyId, nodeEd25519Verify);
    expect(report.ok).toBe(true);
    const audit = readFileSync(new RuntimeLayout(home).audit(), 'utf8');
    expect(audit).toContain('"kind": "order_placed"');
    expect(audit).not.toContain(emu.options.credentials.secret.slice(2));
  });
});

describe('Hyperliquid mainnet needs live mode', () => {
  it('refuses ARBITER_MODE=live on testnet endpoints, as for every venue', () => {
    expect(() =>
      loadSettings({
        ARBITER_HOME: tempHome(),
        ARBITER_VENUE: 'hyperliquid',
        ARBITER_MODE: 'live',
        ARBITER_VENUE_MODE: 'testnet',
      }),
    ).toThrow(/ARBITER_VENUE_MODE=live/);
  });
});
