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
import { startEmulator, type VenueEmulator } from '../emulator/index.js';
import { tempHome } from '../support/cli.js';

const SYMBOL = 'BTC/USDT:USDT';

/** The whole live path against a local emulator of Bybit's v5 API (signatures verified), no internet. */
describe('live mode end to end on the Bybit emulator', () => {
  let emu: VenueEmulator;
  let home: string;
  let app: AppContext;
  let services: Services;
  const env = (extra: Record<string, string> = {}) => ({
    ARBITER_HOME: home,
    ARBITER_VENUE: 'bybit',
    ARBITER_MODE: 'live',
    ARBITER_VENUE_MODE: 'live',
    ARBITER_VENUE_URL: emu.url,
    ARBITER_BYBIT_API_KEY: emu.options.credentials.apiKey,
    ARBITER_BYBIT_API_SECRET: emu.options.credentials.secret,
    ...extra,
  });
  const session = () => ({ agentId: 'live-agent', accountId: 'main', venue: 'bybit', sessionId: 'e2e' });

  async function open(extra: Record<string, string> = {}): Promise<{ app: AppContext; services: Services }> {
    const e = env(extra);
    const saved = { ...process.env };
    Object.assign(process.env, e);
    try {
      const settings = loadSettings(e);
      const adapters = await createAdapters(settings);
      const a = await createContext(settings, { market: adapters.market, venues: adapters.venues });
      return { app: a, services: buildServices(a) };
    } finally {
      for (const k of Object.keys(e)) if (!(k in saved)) delete process.env[k];
    }
  }

  beforeAll(async () => {
    emu = await startEmulator('bybit', { wallet: 10_000 });
    home = tempHome();
    const m = defaultMandate(new Date(Date.now() - 60_000), nodeHasher.sha256Hex('e2e'), 'bybit');
    writeMandate(new RuntimeLayout(home), { ...m, arbiter: { ...m.arbiter, max_account_staleness_ms: 2_000 } });
    ({ app, services } = await open());
  });
  afterAll(async () => {
    await app.close();
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('vets, orders, fills, reconciles, and records ledger and audit', async () => {
    const r = await services.orders.place(session(), {
      symbol: SYMBOL,
      side: 'buy',
      notional: 300,
      client_order_id: 'e2e-1',
    });
    expect(r.certificate.payload.decision, JSON.stringify(r.certificate.payload.reasons)).toBe('ALLOW');
    expect(r.order?.status).toBe('filled');
    const snap = await app.deps.store.accountSnapshot('main', SYMBOL, Date.now(), 0);
    expect(snap.position.qty).toBeGreaterThan(0);
    expect(snap.gross_exposure).toBeGreaterThan(200);
    expect(snap.synced_at).not.toBeNull();
    const report = await app.ledger.verify(app.deps.signer.publicKey, app.deps.signer.keyId, nodeEd25519Verify);
    expect(report.ok).toBe(true);
    const kinds = [];
    for await (const rec of app.ledger.records()) kinds.push(rec.kind);
    expect(kinds).toEqual(expect.arrayContaining(['verdict', 'order_outcome']));
    const audit = readFileSync(new RuntimeLayout(home).audit(), 'utf8');
    expect(audit).toContain('"kind": "order_placed"');
    expect(audit).not.toContain(emu.options.credentials.apiKey);
    expect(audit).not.toContain(emu.options.credentials.secret);
  });

  it('records a venue failure as the outcome, releases the reservation and does not count the trade', async () => {
    const before = await services.limits.status(session());
    const exposureBefore = (await app.deps.store.accountSnapshot('main', null, Date.now(), 0)).gross_exposure;
    emu.inject('insufficient-balance');
    const r = await services.orders.place(session(), {
      symbol: SYMBOL,
      side: 'buy',
      notional: 200,
      client_order_id: 'e2e-2',
    });
    expect(r.certificate.payload.decision).toBe('ALLOW');
    expect(r.orderError?.code).toBe('INSUFFICIENT_BALANCE');
    const after = await services.limits.status(session());
    expect(after.daily_trades.used).toBe(before.daily_trades.used);
    const exposureAfter = (await app.deps.store.accountSnapshot('main', null, Date.now(), 0)).gross_exposure;
    expect(exposureAfter).toBeCloseTo(exposureBefore, 0);
  });

  it.each([
    ['rate-limit', 'RATE_LIMITED'],
    ['exchange-down', 'EXCHANGE_DOWN'],
  ] as const)('maps %s to %s', async (kind, code) => {
    emu.inject(kind, { path: '/v5/order/create' });
    const r = await services.orders.place(session(), {
      symbol: SYMBOL,
      side: 'buy',
      notional: 150,
      client_order_id: `e2e-${kind}`,
    });
    expect(r.orderError?.code).toBe(code);
    // A refusal ends the order; a venue that may have taken it leaves it unknown (reserved, counted) until it answers.
    expect(r.orderState).toBe(code === 'RATE_LIMITED' ? 'rejected_by_venue' : 'unknown');
  });

  it('resolves a timeout by looking the order up, never by sending it twice', async () => {
    emu.inject('timeout', { path: '/v5/order/create' });
    const creates = () => emu.requests.filter((q) => q.path.includes('/v5/order/create')).length;
    const n = creates();
    const r = await services.orders.place(session(), {
      symbol: SYMBOL,
      side: 'buy',
      // Not the content of the order left unknown above (that one still blocks its duplicate window).
      notional: 160,
      client_order_id: 'e2e-timeout',
    });
    expect(creates(), JSON.stringify([r.certificate.payload.reasons, r.orderState, r.orderError])).toBe(n + 1);
    expect(r.order?.clientOrderId).toBe('e2e-timeout');
    expect(r.orderError).toBeNull();
  }, 30_000);

  it('refuses new exposure when the account state cannot be refreshed (fail-closed), but lets a reduction through', async () => {
    const wrong = await open({ ARBITER_BYBIT_API_SECRET: 'not-the-secret' });
    try {
      await new Promise((r) => setTimeout(r, 2_100));
      const add = await wrong.services.firewall.vet({ symbol: SYMBOL, side: 'buy', notional: 150 }, session(), {
        execute: false,
      });
      expect(add.certificate.payload.reasons.map((x) => x.code)).toEqual(['ACCOUNT_STATE_STALE']);
      const reduce = await wrong.services.firewall.vet(
        { symbol: SYMBOL, side: 'sell', quantity: 0.001, reduce_only: true },
        session(),
        { execute: false },
      );
      expect(reduce.certificate.payload.decision).toBe('ALLOW');
    } finally {
      await wrong.app.close();
    }
  }, 30_000);
});
