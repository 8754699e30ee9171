import { readFileSync, rmSync } from 'node:fs';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeEd25519Verify, nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { writeMandate } from '../../src/adapters/runtime/mandate-file.js';
import { type AppContext, createContext } from '../../src/app/context.js';
import { createAdapters } from '../../src/app/market.js';
import { buildServices, type Services } from '../../src/app/services.js';
import { loadSettings } from '../../src/app/settings.js';
import { defaultMandate } from '../../src/core/mandate/schema.js';
import { PM_MARKETS, PolymarketEmulator } from '../emulator/polymarket.js';
import { tempHome } from '../support/cli.js';

const SYMBOL = 'FED-CUT-YES/USDC';

/** ARBITER_VENUE=polymarket, live mode, against the CLOB emulator on Polygon's chain id: firewall → CLOB → ledger. */
describe('live mode end to end on the Polymarket CLOB emulator', () => {
  let emu: PolymarketEmulator;
  let home: string;
  let app: AppContext;
  let services: Services;
  const privateKey = generatePrivateKey();
  const env = () => ({
    ARBITER_HOME: home,
    ARBITER_VENUE: 'polymarket',
    ARBITER_MODE: 'live',
    ARBITER_VENUE_MODE: 'live',
    ARBITER_VENUE_URL: emu.url,
    ARBITER_POLYMARKET_MARKETS: `FED-CUT=${PM_MARKETS[0]!.condition_id}`,
    ARBITER_POLYMARKET_PRIVATE_KEY: privateKey,
  });
  const session = () => ({ agentId: 'pm-agent', accountId: 'main', venue: 'polymarket', sessionId: 'e2e' });

  beforeAll(async () => {
    emu = await PolymarketEmulator.start({ chainId: 137 });
    emu.engine.fund(privateKeyToAccount(privateKey).address, 1_000);
    home = tempHome();
    const m = defaultMandate(new Date(Date.now() - 60_000), nodeHasher.sha256Hex('e2e'), 'polymarket');
    writeMandate(new RuntimeLayout(home), {
      ...m,
      hard_caps: { ...m.hard_caps, allowed_instruments: ['prediction'] },
      universe: { ...m.universe, asset_classes: ['prediction'] },
      arbiter: { ...m.arbiter, market_kinds: ['prediction'], prediction: { min_liquidity_usd: 100 } },
    });
    const e = env();
    const saved = { ...process.env };
    Object.assign(process.env, e);
    try {
      const settings = loadSettings(e);
      const adapters = await createAdapters(settings);
      app = await createContext(settings, { market: adapters.market, venues: adapters.venues });
      services = buildServices(app);
    } finally {
      for (const k of Object.keys(e)) if (!(k in saved)) delete process.env[k];
    }
  });
  afterAll(async () => {
    await app?.close();
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('vets a YES buy, signs it for Polygon, fills it on the CLOB and records ledger and audit without secrets', async () => {
    // The firewall's execute path, which OrderService.place runs once its guard against outcome tokens (no venue
    // traded them before this one) lets a prediction venue's orders through.
    const r = await services.firewall.vet(
      { symbol: SYMBOL, side: 'buy', quantity: 20, client_order_id: 'pm-e2e-1' },
      session(),
      { execute: true, remoteTool: 'place_order' },
    );
    expect(r.certificate.payload.decision, JSON.stringify(r.certificate.payload.reasons)).toBe('ALLOW');
    expect(r.order?.status, JSON.stringify(r.orderError)).toBe('filled');
    expect(emu.engine.tokenBalance(privateKeyToAccount(privateKey).address, PM_MARKETS[0]!.tokens[0]!.token_id)).toBe(
      20,
    );
    const report = await app.ledger.verify(app.deps.signer.publicKey, app.deps.signer.keyId, nodeEd25519Verify);
    expect(report.ok).toBe(true);
    const audit = readFileSync(new RuntimeLayout(home).audit(), 'utf8');
    expect(audit).toContain('"kind": "order_placed"');
    expect(audit).not.toContain(privateKey.slice(2));
    for (const k of emu.keys.values()) {
      expect(audit).not.toContain(k.secret);
      expect(audit).not.toContain(k.passphrase);
    }
  });
});
