import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { writeMandate } from '../../src/adapters/runtime/mandate-file.js';
import { type AppContext, createContext } from '../../src/app/context.js';
import { createAdapters } from '../../src/app/market.js';
import { buildServices, type Services } from '../../src/app/services.js';
import { loadSettings } from '../../src/app/settings.js';
import { defaultMandate } from '../../src/core/mandate/schema.js';
import { AlpacaEmulator } from '../emulator/alpaca.js';
import { TestClock } from '../emulator/alpaca-rig.js';
import { tempHome } from '../support/cli.js';

const AAPL = 'AAPL/USD';
/** Saturday 10 January 2026, noon in New York; the NYSE reopens Monday 9:30 New York (14:30 UTC). */
const SATURDAY_NOON_NY = Date.UTC(2026, 0, 10, 17, 0);
const MONDAY_OPEN = '2026-01-12T14:30:00.000Z';
/** Wednesday 7 January 2026: 10:00 (regular session) and 7:00 (pre-market) in New York. */
const WEDNESDAY_10AM_NY = Date.UTC(2026, 0, 7, 15, 0);
const WEDNESDAY_7AM_NY = Date.UTC(2026, 0, 7, 12, 0);
/** Friday 27 November 2026, the day after Thanksgiving, 13:30 in New York: the NYSE closed early, at 13:00. */
const BLACK_FRIDAY_1330_NY = Date.UTC(2026, 10, 27, 18, 30);

interface Live {
  readonly emu: AlpacaEmulator;
  readonly services: Services;
  readonly close: () => Promise<void>;
}

/**
 * Arbiter in live mode on Alpaca's live endpoint (pointed at the emulator), with the live-mode confirmations
 * (ARBITER_MODE=live and ARBITER_VENUE_MODE=live), the keys in ARBITER_ALPACA_API_KEY / _API_SECRET, and one clock
 * for Arbiter and the emulator.
 */
async function live(at: number, extendedHours: boolean): Promise<Live> {
  const clock = new TestClock(at);
  const emu = await AlpacaEmulator.start({ cash: 10_000, now: clock.now });
  const home = tempHome();
  const m = defaultMandate(new Date(at - 60_000), 'f'.repeat(64), 'alpaca');
  writeMandate(new RuntimeLayout(home), {
    ...m,
    hard_caps: { ...m.hard_caps, allowed_instruments: ['equity'] },
    universe: { ...m.universe, asset_classes: ['us_equity'] },
    arbiter: { ...m.arbiter, extended_hours: extendedHours },
  });
  const env = {
    ARBITER_HOME: home,
    ARBITER_VENUE: 'alpaca',
    ARBITER_MODE: 'live',
    ARBITER_VENUE_MODE: 'live',
    ARBITER_VENUE_URL: emu.url,
    ARBITER_ALPACA_API_KEY: emu.keys.apiKey,
    ARBITER_ALPACA_API_SECRET: emu.keys.secret,
  };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let app: AppContext;
  try {
    const settings = loadSettings(env);
    const adapters = await createAdapters(settings, clock);
    app = await createContext(settings, { market: adapters.market, venues: adapters.venues, clock });
  } finally {
    for (const k of Object.keys(env)) if (!(k in saved)) delete process.env[k];
  }
  return {
    emu,
    services: buildServices(app),
    close: async () => {
      await app.close();
      await emu.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

const session = () => ({ agentId: 'stock-agent', accountId: 'main', venue: 'alpaca', sessionId: 'stocks' });
const orderPosts = (emu: AlpacaEmulator) => emu.requests.filter((q) => q.method === 'POST' && q.path === '/v2/orders');

describe('US stocks on Alpaca in live mode (Alpaca emulator)', () => {
  let l: Live | undefined;
  afterEach(async () => {
    await l?.close();
    l = undefined;
  });

  it('refuses a Saturday order with MARKET_CLOSED naming Monday’s open, and sends nothing to Alpaca', async () => {
    l = await live(SATURDAY_NOON_NY, true);
    const r = await l.services.orders.place(session(), {
      symbol: AAPL,
      side: 'buy',
      notional: 300,
      client_order_id: 'alpaca-weekend-1',
    });
    expect(r.certificate.payload.decision).toBe('REJECT');
    const reason = r.certificate.payload.reasons[0]!;
    expect(reason.code, JSON.stringify(r.certificate.payload.reasons)).toBe('MARKET_CLOSED');
    expect(JSON.stringify(reason)).toContain('session=closed');
    expect(JSON.stringify(reason)).toContain('date=2026-01-10');
    expect(JSON.stringify(reason)).toContain(`next_open=${MONDAY_OPEN}`);
    expect(r.certificate.payload.context.instrument?.calendar, 'the NYSE calendar is bound').toEqual({
      kind: 'us_equity',
    });
    expect(r.order).toBeNull();
    expect(orderPosts(l.emu)).toHaveLength(0);
  });

  it('in the regular session sizes a notional order on Alpaca’s quote and fills it at the venue', async () => {
    l = await live(WEDNESDAY_10AM_NY, false);
    const r = await l.services.orders.place(session(), {
      symbol: AAPL,
      side: 'buy',
      notional: 300,
      client_order_id: 'alpaca-wed-1',
    });
    expect(r.certificate.payload.decision, JSON.stringify(r.certificate.payload.reasons)).toBe('ALLOW');
    expect(r.order).toMatchObject({ symbol: AAPL, status: 'filled', avgFillPrice: 230.01 });
    expect(r.order!.filledQuantity * 230.01).toBeLessThanOrEqual(300);
    expect(r.order!.filledQuantity * 230.01).toBeGreaterThan(299);
    expect(orderPosts(l.emu)).toHaveLength(1);
    expect(orderPosts(l.emu)[0]?.params).toMatchObject({ symbol: 'AAPL', time_in_force: 'day' });
    expect(l.emu.engine.orders.map((o) => o.id)).toEqual([r.order!.orderId]);
  });

  it('after an early close (13:00 the day after Thanksgiving) refuses with MARKET_CLOSED and sends nothing', async () => {
    l = await live(BLACK_FRIDAY_1330_NY, false);
    const r = await l.services.orders.place(session(), {
      symbol: AAPL,
      side: 'buy',
      notional: 300,
      client_order_id: 'alpaca-early-close-1',
    });
    expect(r.certificate.payload.reasons[0]?.code).toBe('MARKET_CLOSED');
    expect(JSON.stringify(r.certificate.payload.reasons[0])).toContain('session=extended');
    expect(JSON.stringify(r.certificate.payload.reasons[0])).toContain('date=2026-11-27');
    expect(orderPosts(l.emu)).toHaveLength(0);
  });

  it('in the pre-market refuses a limit order with MARKET_CLOSED when the mandate has no extended_hours', async () => {
    l = await live(WEDNESDAY_7AM_NY, false);
    const shut = await l.services.orders.place(session(), {
      symbol: AAPL,
      side: 'buy',
      quantity: 1,
      limit_price: 230.5,
      client_order_id: 'alpaca-pre-1',
    });
    expect(shut.certificate.payload.reasons[0]?.code).toBe('MARKET_CLOSED');
    expect(JSON.stringify(shut.certificate.payload.reasons[0])).toContain('session=extended');
    expect(orderPosts(l.emu)).toHaveLength(0);
  });

  it('in the pre-market, with the mandate’s extended_hours, sends a limit DAY order flagged extended_hours', async () => {
    l = await live(WEDNESDAY_7AM_NY, true);
    const open = await l.services.orders.place(session(), {
      symbol: AAPL,
      side: 'buy',
      quantity: 1,
      limit_price: 230.5,
      client_order_id: 'alpaca-pre-2',
    });
    expect(open.certificate.payload.decision, JSON.stringify(open.certificate.payload.reasons)).toBe('ALLOW');
    expect(open.order).toMatchObject({ status: 'filled', filledQuantity: 1 });
    expect(orderPosts(l.emu).at(-1)?.params).toMatchObject({ time_in_force: 'day', extended_hours: true });
  });
});
