import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { VenueError } from '../../src/ports/venue.js';
import { failure, order } from './harness.js';
import { randomWallet, startHyperliquidEmulator } from './hyperliquid.js';
import { HL_BTC, type HyperliquidRig, hyperliquidRig } from './hyperliquid-harness.js';
import type { WalletSignature } from './hyperliquid-signing.js';
import type { VenueEmulator } from './server.js';

/** A market-priced buy of 0.01 BTC as ccxt builds it: asset 0, IOC limit at a bound. */
const ORDER = {
  type: 'order',
  orders: [{ a: 0, b: true, p: '63000', s: '0.01', r: false, t: { limit: { tif: 'Ioc' } } }],
  grouping: 'na',
};

/** Signs an L1 action with ccxt's own signer, as a client of the venue would. */
function sign(privateKey: string, action: unknown, nonce: number, testnet = true): WalletSignature {
  const ex = new ccxt.hyperliquid({ privateKey, walletAddress: '0x0000000000000000000000000000000000000000' });
  ex.setSandboxMode(testnet);
  return (ex as unknown as { signL1Action(a: unknown, n: number): WalletSignature }).signL1Action(action, nonce);
}

async function post(emu: VenueEmulator, body: unknown): Promise<{ status: string; response: unknown }> {
  const res = await fetch(`${emu.url}/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string; response: unknown };
}

describe('Hyperliquid emulator: every /exchange request is checked as the venue checks it', () => {
  let emu: VenueEmulator;
  afterEach(async () => emu.close());

  it('executes an action signed by the account wallet with a fresh nonce', async () => {
    emu = await startHyperliquidEmulator();
    const nonce = Date.now();
    const r = await post(emu, { action: ORDER, nonce, signature: sign(emu.options.credentials.secret, ORDER, nonce) });
    expect(r.status).toBe('ok');
    expect(emu.engine.positions()[0]?.qty).toBeCloseTo(0.01, 12);
  });

  it('attributes a tampered action to another address and refuses it', async () => {
    emu = await startHyperliquidEmulator();
    const nonce = Date.now();
    const signature = sign(emu.options.credentials.secret, ORDER, nonce);
    const bigger = { ...ORDER, orders: [{ ...ORDER.orders[0]!, s: '0.1' }] };
    const r = await post(emu, { action: bigger, nonce, signature });
    expect(r.status).toBe('err');
    expect(String(r.response)).toMatch(/^User or API Wallet 0x[0-9a-f]{40} does not exist\.$/);
    expect(String(r.response)).not.toContain(emu.options.credentials.apiKey);
    expect(emu.engine.allOrders()).toEqual([]);
  });

  it('refuses a wallet that is not the account and not one of its API wallets', async () => {
    emu = await startHyperliquidEmulator();
    const stranger = randomWallet();
    const nonce = Date.now();
    const r = await post(emu, { action: ORDER, nonce, signature: sign(stranger.secret, ORDER, nonce) });
    expect(r).toEqual({ status: 'err', response: `User or API Wallet ${stranger.apiKey} does not exist.` });
    expect(emu.engine.allOrders()).toEqual([]);
  });

  it('refuses a mainnet signature on testnet and a testnet signature on mainnet', async () => {
    emu = await startHyperliquidEmulator();
    const nonce = Date.now();
    const mainnetSig = sign(emu.options.credentials.secret, ORDER, nonce, false);
    expect((await post(emu, { action: ORDER, nonce, signature: mainnetSig })).status).toBe('err');
    await emu.close();
    emu = await startHyperliquidEmulator({ network: 'mainnet' });
    const testnetSig = sign(emu.options.credentials.secret, ORDER, nonce, true);
    expect((await post(emu, { action: ORDER, nonce, signature: testnetSig })).status).toBe('err');
    const ok = await post(emu, {
      action: ORDER,
      nonce,
      signature: sign(emu.options.credentials.secret, ORDER, nonce, false),
    });
    expect(ok.status, 'the same action signed for mainnet is accepted there').toBe('ok');
  });

  it('refuses a replayed request (same nonce) and trades once', async () => {
    emu = await startHyperliquidEmulator();
    const nonce = Date.now();
    const body = { action: ORDER, nonce, signature: sign(emu.options.credentials.secret, ORDER, nonce) };
    expect((await post(emu, body)).status).toBe('ok');
    const again = await post(emu, body);
    expect(again).toEqual({ status: 'err', response: `Invalid nonce: duplicate nonce ${nonce}` });
    expect(emu.engine.allOrders()).toHaveLength(1);
    expect(emu.engine.positions()[0]?.qty).toBeCloseTo(0.01, 12);
  });

  it('refuses a nonce older than two days or more than a day ahead', async () => {
    emu = await startHyperliquidEmulator();
    const key = emu.options.credentials.secret;
    for (const nonce of [Date.now() - 3 * 86_400_000, Date.now() + 2 * 86_400_000]) {
      const r = await post(emu, { action: ORDER, nonce, signature: sign(key, ORDER, nonce) });
      expect(r.status).toBe('err');
      expect(String(r.response)).toMatch(/^Invalid nonce/);
    }
    expect(emu.engine.allOrders()).toEqual([]);
  });

  it('accepts an approved API wallet signing for the account, with its own nonces', async () => {
    const agent = randomWallet();
    emu = await startHyperliquidEmulator({ agents: [agent.apiKey] });
    const nonce = Date.now();
    const r = await post(emu, { action: ORDER, nonce, signature: sign(agent.secret, ORDER, nonce) });
    expect(r.status).toBe('ok');
    const mine = await post(emu, {
      action: ORDER,
      nonce,
      signature: sign(emu.options.credentials.secret, ORDER, nonce),
    });
    expect(mine.status, 'nonces are kept per signer').toBe('ok');
    expect(emu.engine.positions()[0]?.qty).toBeCloseTo(0.02, 12);
  });
});

describe('Hyperliquid adapter: the venue’s refusals reach the caller as VenueError codes, without the key', () => {
  let r: HyperliquidRig;
  afterEach(async () => r.close());

  async function refused(p: Promise<unknown>, code: VenueError['code']): Promise<VenueError> {
    const err = await failure(p);
    expect(err).toBeInstanceOf(VenueError);
    expect((err as VenueError).code).toBe(code);
    return err as VenueError;
  }

  it('a key that is not the account’s gets AUTH_FAILED and places nothing', async () => {
    const stranger = randomWallet();
    r = await hyperliquidRig({ clientCredentials: { apiKey: randomWallet().apiKey, secret: stranger.secret } });
    const err = await refused(r.venue.placeOrder(order({ symbol: HL_BTC })), 'AUTH_FAILED');
    expect(err.message).not.toContain(stranger.secret.slice(2));
    expect(r.emu.engine.allOrders()).toEqual([]);
    expect(r.emu.requests.filter((q) => q.authFailed).length).toBeGreaterThan(0);
  });

  it('a mainnet-mode adapter pointed at the testnet venue gets AUTH_FAILED (its signatures name the other network)', async () => {
    r = await hyperliquidRig({ mode: 'live' });
    await refused(r.venue.placeOrder(order({ symbol: HL_BTC })), 'AUTH_FAILED');
    expect(r.emu.engine.allOrders()).toEqual([]);
  });

  it('an API wallet key with the main wallet address trades for the account', async () => {
    const agent = randomWallet();
    const main = randomWallet();
    r = await hyperliquidRig({
      credentials: main,
      agents: [agent.apiKey],
      clientCredentials: { apiKey: main.apiKey, secret: agent.secret },
    });
    const o = await r.venue.placeOrder(order({ symbol: HL_BTC }));
    expect(o.status).toBe('filled');
    expect((await r.venue.positions('acct-1'))[0]?.quantity).toBeCloseTo(0.01, 12);
  });

  it('malformed credentials are refused naming the field, never echoing the value', async () => {
    r = await hyperliquidRig();
    const { hyperliquidWallet } = await import('../../src/adapters/venues/ccxt/hyperliquid.js');
    const secret = 'not-a-key-but-secret-text';
    const bad = () => hyperliquidWallet({ apiKey: r.emu.options.credentials.apiKey, secret });
    expect(bad).toThrow(/private key .* must be 64 hex digits/);
    const message = (() => {
      try {
        bad();
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).not.toContain(secret);
    expect(() => hyperliquidWallet({ apiKey: 'wallet', secret: r.emu.options.credentials.secret })).toThrow(
      /wallet address .* must be 0x followed by 40 hex digits/,
    );
  });
});

describe('Hyperliquid emulator endpoints the adapter does not call itself', () => {
  let emu: VenueEmulator;
  afterEach(async () => emu.close());

  async function info(body: unknown): Promise<unknown> {
    const res = await fetch(`${emu.url}/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return res.json();
  }

  it('answers meta and allMids in the venue’s shapes', async () => {
    emu = await startHyperliquidEmulator();
    expect(await info({ type: 'meta' })).toEqual({
      universe: [
        { name: 'BTC', szDecimals: 5, maxLeverage: 40, onlyIsolated: false },
        { name: 'ETH', szDecimals: 4, maxLeverage: 25, onlyIsolated: false },
      ],
    });
    expect(await info({ type: 'allMids' })).toEqual({ BTC: '60000', ETH: '3000' });
  });

  it('cancels by client order id (cancelByCloid), and answers an unknown one per order', async () => {
    emu = await startHyperliquidEmulator();
    const key = emu.options.credentials.secret;
    const cloid = `0x${'1f'.repeat(16)}`;
    const resting = {
      type: 'order',
      orders: [{ a: 0, b: true, p: '50000', s: '0.01', r: false, t: { limit: { tif: 'Gtc' } }, c: cloid }],
      grouping: 'na',
    };
    let nonce = Date.now();
    const placed = await post(emu, { action: resting, nonce, signature: sign(key, resting, nonce) });
    expect(placed).toMatchObject({ status: 'ok', response: { data: { statuses: [{ resting: { cloid } }] } } });
    const cancel = { type: 'cancelByCloid', cancels: [{ asset: 0, cloid }] };
    nonce += 1;
    const done = await post(emu, { action: cancel, nonce, signature: sign(key, cancel, nonce) });
    expect(done).toEqual({ status: 'ok', response: { type: 'cancel', data: { statuses: ['success'] } } });
    expect(emu.engine.orderByClientId(cloid)?.status).toBe('cancelled');
    nonce += 1;
    const again = await post(emu, { action: cancel, nonce, signature: sign(key, cancel, nonce) });
    expect(again).toEqual({
      status: 'ok',
      response: {
        type: 'cancel',
        data: { statuses: [{ error: 'Order was never placed, already canceled, or filled.' }] },
      },
    });
  });
});
