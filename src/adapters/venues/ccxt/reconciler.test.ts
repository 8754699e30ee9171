import { afterEach, describe, expect, it, vi } from 'vitest';
import { order, type Rig, rig } from '../../../../test/emulator/harness.js';
import type { Clock } from '../../../ports/clock.js';
import { type Venue, type VenueBalance, VenueError } from '../../../ports/venue.js';
import { Reconciler } from './reconciler.js';

class ManualClock implements Clock {
  constructor(public t = 1_000_000) {}
  now(): number {
    return this.t;
  }
}

const BALANCE: VenueBalance = { currency: 'USDT', total: 100, free: 100, used: 0, equity: 100 };

/** A typed stand-in: only balance and positions are read by the reconciler. */
function stubVenue(over: Partial<Venue> = {}): Venue {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    name: 'stub',
    live: false,
    placeOrder: unused,
    cancelOrder: unused,
    amendOrder: unused,
    orderByClientId: unused,
    openOrders: unused,
    orderHistory: unused,
    setLeverage: unused,
    setTradingStop: unused,
    balance: async () => BALANCE,
    positions: async () => [],
    accountSnapshot: unused,
    ...over,
  };
}

describe('Reconciler', () => {
  let r: Rig | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });

  it('has no snapshot before the first sync, so callers fail closed', () => {
    const rec = new Reconciler(stubVenue(), 'a');
    expect(rec.snapshot()).toBeNull();
    expect(rec.lastSyncedAt).toBeNull();
    expect(rec.isStale(60_000)).toBe(true);
  });

  it('stamps each sync with the clock and reports the snapshot stale past the limit', async () => {
    const clock = new ManualClock();
    const rec = new Reconciler(stubVenue(), 'a', { clock });
    await rec.sync();
    expect(rec.lastSyncedAt).toBe(1_000_000);
    clock.t += 30_000;
    expect(rec.fresh(30_000)?.balance).toEqual(BALANCE);
    clock.t += 1;
    expect(rec.fresh(30_000), 'older than the limit').toBeNull();
  });

  it('keeps the last good snapshot but records the error when a sync fails', async () => {
    let fail = false;
    const venue = stubVenue({
      balance: async () => {
        if (fail) throw new VenueError('EXCHANGE_DOWN', 'down', true);
        return BALANCE;
      },
    });
    const errors: string[] = [];
    const rec = new Reconciler(venue, 'a', { onError: (e) => errors.push(e.code) });
    const first = await rec.sync();
    fail = true;
    await expect(rec.sync()).rejects.toMatchObject({ code: 'EXCHANGE_DOWN' });
    expect(rec.snapshot()).toBe(first);
    expect(rec.lastError?.code).toBe('EXCHANGE_DOWN');
    expect(errors).toEqual(['EXCHANGE_DOWN']);
  });

  it('shares one read between concurrent syncs', async () => {
    let reads = 0;
    const balance = async () => {
      reads += 1;
      return BALANCE;
    };
    const rec = new Reconciler(stubVenue({ balance }), 'a');
    await Promise.all([rec.sync(), rec.sync(), rec.onFill()]);
    expect(reads).toBe(1);
  });

  it('polls a live venue on its interval and refreshes after a fill', async () => {
    r = await rig('bybit');
    const seen: number[] = [];
    const rec = new Reconciler(r.venue, 'acct-1', { intervalMs: 50, onSync: (s) => seen.push(s.positions.length) });
    rec.start();
    await vi.waitFor(() => expect(seen.length, 'an immediate sync plus interval syncs').toBeGreaterThanOrEqual(3), {
      timeout: 5_000,
    });
    rec.stop();
    await r.venue.placeOrder(order());
    const after = await rec.onFill();
    expect(after.positions).toHaveLength(1);
    expect(after.balance.total).toBeLessThan(10_000);
  });
});
