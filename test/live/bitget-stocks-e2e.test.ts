import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { writeMandate } from '../../src/adapters/runtime/mandate-file.js';
import { type AppContext, createContext } from '../../src/app/context.js';
import { createAdapters } from '../../src/app/market.js';
import { buildServices, type Services } from '../../src/app/services.js';
import { loadSettings } from '../../src/app/settings.js';
import { defaultMandate } from '../../src/core/mandate/schema.js';
import { startEmulator, type VenueEmulator } from '../emulator/index.js';
import { tempHome } from '../support/cli.js';

const AAPL = 'AAPL/USDT:USDT';
/** Saturday 10 January 2026, noon in New York; the venue reopens Monday 00:00 New York (05:00 UTC). */
const SATURDAY_NOON_NY = Date.UTC(2026, 0, 10, 17, 0);
const MONDAY_OPEN = '2026-01-12T05:00:00.000Z';

/** Live mode on the Bitget emulator: a tokenized stock's venue calendar reaches the firewall through ccxt. */
describe('a tokenized stock on Bitget at the weekend (live mode, Bitget emulator)', () => {
  let emu: VenueEmulator;
  let home: string;
  let app: AppContext;
  let services: Services;
  const session = () => ({ agentId: 'stock-agent', accountId: 'main', venue: 'bitget', sessionId: 'stocks' });

  beforeAll(async () => {
    emu = await startEmulator('bitget', { wallet: 10_000 });
    home = tempHome();
    const m = defaultMandate(new Date(SATURDAY_NOON_NY - 60_000), 'f'.repeat(64), 'bitget');
    writeMandate(new RuntimeLayout(home), {
      ...m,
      hard_caps: { ...m.hard_caps, allowed_instruments: ['crypto', 'equity'] },
      universe: { ...m.universe, asset_classes: ['crypto', 'us_equity'] },
    });
    const env = {
      ARBITER_HOME: home,
      ARBITER_VENUE: 'bitget',
      ARBITER_MODE: 'live',
      ARBITER_VENUE_MODE: 'live',
      ARBITER_VENUE_URL: emu.url,
      ARBITER_BITGET_API_KEY: emu.options.credentials.apiKey,
      ARBITER_BITGET_API_SECRET: emu.options.credentials.secret,
      ARBITER_BITGET_PASSPHRASE: emu.options.credentials.passphrase ?? '',
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const settings = loadSettings(env);
      const adapters = await createAdapters(settings);
      app = await createContext(settings, {
        market: adapters.market,
        venues: adapters.venues,
        clock: { now: () => SATURDAY_NOON_NY },
      });
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

  it('refuses an AAPL order with MARKET_CLOSED naming the next open, and sends nothing to the venue', async () => {
    const r = await services.orders.place(session(), {
      symbol: AAPL,
      side: 'buy',
      notional: 300,
      client_order_id: 'stock-weekend-1',
    });
    expect(r.certificate.payload.decision).toBe('REJECT');
    const reason = r.certificate.payload.reasons[0]!;
    expect(reason.code, JSON.stringify(r.certificate.payload.reasons)).toBe('MARKET_CLOSED');
    expect(JSON.stringify(reason)).toContain('session=closed');
    expect(JSON.stringify(reason)).toContain('date=2026-01-10');
    expect(JSON.stringify(reason)).toContain(`next_open=${MONDAY_OPEN}`);
    expect(
      r.certificate.payload.context.instrument?.calendar,
      'the venue calendar is bound in the certificate',
    ).toEqual({
      kind: 'venue',
      tz: 'America/New_York',
      days: [1, 2, 3, 4, 5],
      open: '00:00',
      close: '24:00',
    });
    expect(r.order).toBeNull();
    expect(emu.requests.filter((q) => q.path === '/api/v2/mix/order/place-order')).toHaveLength(0);
  });
});
