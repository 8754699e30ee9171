import { afterEach, describe, expect, it } from 'vitest';
import { VenueError } from '../../src/ports/venue.js';
import { BTC_PERP, CREATE_PATH, failure, order, type Rig, rig, VENUES } from './harness.js';
import type { VenueEmulator } from './server.js';

/** Every header value and query/body `sign`/`signature` the adapter sent: none may appear in an error. */
function sentSignatures(emu: VenueEmulator): string[] {
  const out: string[] = [];
  for (const q of emu.requests) {
    for (const [k, v] of Object.entries(q.headers)) if (/sign/i.test(k) && typeof v === 'string') out.push(v);
    const m = /signature=([0-9a-f]+)/.exec(q.raw);
    if (m) out.push(m[1]!);
  }
  return out;
}

function expectClean(err: Error, emu: VenueEmulator, extra: readonly string[] = []): void {
  const { apiKey, secret, passphrase } = emu.options.credentials;
  for (const s of [apiKey, secret, ...(passphrase ? [passphrase] : []), ...extra, ...sentSignatures(emu)]) {
    expect(err.message.includes(s), `error message leaks ${s.slice(0, 6)}…: ${err.message}`).toBe(false);
  }
  expect(err.message).not.toMatch(/signature=|[?&]sign=/);
}

describe.each(VENUES)('ccxt error mapping through the %s emulator', (name) => {
  let r: Rig | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });

  it('maps an insufficient-balance rejection to INSUFFICIENT_BALANCE and places nothing', async () => {
    r = await rig(name);
    r.emu.inject('insufficient-balance');
    const err = await failure(r.venue.placeOrder(order()));
    expect(err).toMatchObject({ code: 'INSUFFICIENT_BALANCE', retryable: false });
    expect(r.emu.engine.allOrders()).toEqual([]);
  });

  it('maps a real margin shortfall to INSUFFICIENT_BALANCE', async () => {
    r = await rig(name, { wallet: 100 });
    const err = await failure(r.venue.placeOrder(order({ type: 'limit', limitPrice: 59_000, quantity: 1 })));
    expect(err).toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
  });

  it('maps rate limiting to a retryable RATE_LIMITED', async () => {
    r = await rig(name);
    await r.venue.balance('acct-1');
    r.emu.inject('rate-limit');
    expect(await failure(r.venue.balance('acct-1'))).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
  });

  it('maps an unavailable exchange to a retryable EXCHANGE_DOWN without leaking signatures', async () => {
    r = await rig(name);
    await r.venue.positions('acct-1');
    r.emu.inject('exchange-down');
    const err = await failure(r.venue.balance('acct-1'));
    expect(err).toMatchObject({ code: 'EXCHANGE_DOWN', retryable: true });
    expectClean(err, r.emu);
  });

  it('surfaces a timed-out placement as TIMEOUT without resending; the order is then found by client id', async () => {
    r = await rig(name, { timeoutMs: 400, hangMs: 1_500 });
    await r.venue.balance('acct-1');
    r.emu.inject('timeout', { path: CREATE_PATH[name] });
    const req = order();
    const err = await failure(r.venue.placeOrder(req));
    expect(err).toMatchObject({ code: 'TIMEOUT', retryable: false });
    expect(
      r.emu.requests.filter((q) => q.path === CREATE_PATH[name]),
      'sent exactly once',
    ).toHaveLength(1);
    const found = await r.venue.orderByClientId('acct-1', req.clientOrderId);
    expect(found).toMatchObject({ clientOrderId: req.clientOrderId, status: 'filled' });
    expect(r.emu.engine.allOrders()).toHaveLength(1);
  });

  it('maps an unknown order to ORDER_NOT_FOUND and an invalid size to INVALID_ORDER', async () => {
    r = await rig(name);
    expect(await failure(r.venue.cancelOrder('acct-1', '123456789'))).toMatchObject({ code: 'ORDER_NOT_FOUND' });
    expect(await failure(r.venue.placeOrder(order({ quantity: 0.0001 })))).toMatchObject({ code: 'INVALID_ORDER' });
    expect(await failure(r.venue.placeOrder(order({ symbol: 'NOPE/USDT:USDT' })))).toMatchObject({
      code: 'INVALID_ORDER',
    });
  });

  it('answers a wrong secret with AUTH_FAILED, and the message carries no key, secret or signature', async () => {
    r = await rig(name);
    const real = r.emu.options.credentials;
    await r.close();
    const wrongSecret = `${real.secret.slice(0, -4)}beef`;
    r = await rig(name, { credentials: real, clientCredentials: { ...real, secret: wrongSecret } });
    const err = await failure(r.venue.balance('acct-1'));
    expect(err).toBeInstanceOf(VenueError);
    expect(err).toMatchObject({ code: 'AUTH_FAILED', retryable: false });
    expectClean(err, r.emu, [wrongSecret]);
    expect(r.emu.requests.at(-1)!.authFailed, 'the emulator checked the signature and refused it').toBe(true);
  });

  it.runIf(name === 'okx' || name === 'bitget')('answers a wrong passphrase with AUTH_FAILED', async () => {
    r = await rig(name);
    const real = r.emu.options.credentials;
    await r.close();
    r = await rig(name, { credentials: real, clientCredentials: { ...real, passphrase: 'not-it' } });
    const err = await failure(r.venue.placeOrder(order()));
    expect(err).toMatchObject({ code: 'AUTH_FAILED' });
    expectClean(err, r.emu, ['not-it']);
    expect(r.emu.engine.position(BTC_PERP).qty).toBe(0);
  });
});
