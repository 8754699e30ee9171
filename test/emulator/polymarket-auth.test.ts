import { ApiError, type ApiKeyCreds, ClobClient, createL2Headers, OrderType, Side } from '@polymarket/clob-client';
import { createWalletClient, custom } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PM_MARKETS, PolymarketEmulator } from './polymarket.js';

// What an attacker (or a broken client) could send, with Polymarket's own client: the emulator must refuse it as the
// venue does, with its status and `{ error }` body, and trade nothing.

const TOKEN = PM_MARKETS[0]!.tokens[0]!.token_id;

function wallet(pk = generatePrivateKey()) {
  return createWalletClient({
    account: privateKeyToAccount(pk),
    transport: custom({
      request: async () => {
        throw new Error('no RPC');
      },
    }),
  });
}

function clob(emu: PolymarketEmulator, w: ReturnType<typeof wallet>, creds?: ApiKeyCreds, chainId = emu.chainId) {
  return new ClobClient(
    emu.url,
    chainId,
    w,
    creds,
    undefined,
    undefined,
    undefined,
    false,
    undefined,
    undefined,
    false,
    undefined,
    true,
  );
}

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the venue to refuse').toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('Polymarket emulator authentication', () => {
  let emu: PolymarketEmulator;
  let alice: ReturnType<typeof wallet>;
  let creds: ApiKeyCreds;

  beforeEach(async () => {
    emu = await PolymarketEmulator.start();
    alice = wallet();
    emu.engine.fund(alice.account.address, 1_000);
    creds = await clob(emu, alice).createOrDeriveApiKey();
  });
  afterEach(() => emu.close());

  it('issues an API key to a wallet-signed (L1) request and derives the same key again', async () => {
    expect(creds.key).toMatch(/^[0-9a-f-]{36}$/);
    const again = await clob(emu, alice).deriveApiKey();
    expect(again).toEqual(creds);
  });

  it('refuses an L1 request whose signature is another wallet’s with 401', async () => {
    const mallory = wallet();
    // Mallory signs, but her client names Alice's address in POLY_ADDRESS (and in the signed ClobAuth message).
    const liar = { ...mallory, account: { ...mallory.account, address: alice.account.address } };
    const err = await refusal(clob(emu, liar as typeof mallory).deriveApiKey());
    expect(err.status).toBe(401);
    expect(err.data).toMatchObject({ error: 'Invalid L1 Request headers' });
  });

  it('accepts an order signed by the key’s wallet and fills it', async () => {
    const c = clob(emu, alice, creds);
    const order = await c.createOrder({ tokenID: TOKEN, side: Side.BUY, price: 0.55, size: 10 });
    const r = await c.postOrder(order, OrderType.GTC);
    expect(r).toMatchObject({ success: true, status: 'matched' });
    expect(emu.engine.tokenBalance(alice.account.address, TOKEN)).toBe(10);
  });

  it('refuses an order whose signed fields were changed after signing (400 invalid signature), trading nothing', async () => {
    const c = clob(emu, alice, creds);
    const order = await c.createOrder({ tokenID: TOKEN, side: Side.BUY, price: 0.55, size: 10 });
    // The signature covered 5.5 USDC for 10 shares; now it claims 20 shares for the same money.
    const tampered = { ...order, takerAmount: String(Number(order.takerAmount) * 2) };
    const err = await refusal(c.postOrder(tampered, OrderType.GTC));
    expect(err.status).toBe(400);
    expect(err.data).toMatchObject({ error: 'invalid signature' });
    expect(emu.engine.orders.size).toBe(0);
    expect(emu.engine.usdc(alice.account.address)).toBe(1_000);
  });

  it('refuses an order signed for another chain (Polygon mainnet against this Amoy venue)', async () => {
    const onPolygon = clob(emu, alice, creds, 137);
    const order = await onPolygon.createOrder({ tokenID: TOKEN, side: Side.BUY, price: 0.55, size: 10 });
    const err = await refusal(clob(emu, alice, creds).postOrder(order, OrderType.GTC));
    expect(err.status).toBe(400);
    expect(err.data).toMatchObject({ error: 'invalid signature' });
  });

  it('refuses an L2 request signed with the wrong secret with 401', async () => {
    const wrong = { ...creds, secret: Buffer.from('not the secret, 32 bytes long!!!').toString('base64') };
    const err = await refusal(clob(emu, alice, wrong).getOpenOrders());
    expect(err.status).toBe(401);
    expect(err.data).toMatchObject({ error: 'Unauthorized/Invalid api key' });
  });

  it('refuses a body changed after its L2 HMAC was computed', async () => {
    const c = clob(emu, alice, creds);
    const order = await c.createOrder({ tokenID: TOKEN, side: Side.BUY, price: 0.55, size: 10 });
    const signedBody = JSON.stringify({ orderID: 'x' });
    const headers = await createL2Headers(alice, creds, { method: 'POST', requestPath: '/order', body: signedBody });
    const res = await fetch(`${emu.url}/order`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ order, owner: creds.key, orderType: 'GTC' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Unauthorized/Invalid api key' });
    expect(emu.engine.orders.size).toBe(0);
  });

  it('refuses one wallet’s API key presented for another wallet (401), and its orders signed by another (400)', async () => {
    const bob = wallet();
    emu.engine.fund(bob.account.address, 1_000);
    // Bob's headers with Alice's key: POLY_ADDRESS does not own the key.
    const err = await refusal(clob(emu, bob, creds).getOpenOrders());
    expect(err.status).toBe(401);
    // An order Bob signed, posted under Alice's key by Alice's client.
    const bobsOrder = await clob(emu, bob, creds).createOrder({
      tokenID: TOKEN,
      side: Side.BUY,
      price: 0.55,
      size: 10,
    });
    const err2 = await refusal(clob(emu, alice, creds).postOrder(bobsOrder, OrderType.GTC));
    expect(err2.status).toBe(400);
    expect(err2.data).toMatchObject({ error: 'the order signer address has to be the address of the API KEY' });
  });

  it('refuses an expired GTD order and a GTC order with an expiration', async () => {
    const c = clob(emu, alice, creds);
    const now = Math.floor(Date.now() / 1000);
    const gtd = await c.createOrder({ tokenID: TOKEN, side: Side.BUY, price: 0.4, size: 10, expiration: now - 10 });
    const err = await refusal(c.postOrder(gtd, OrderType.GTD));
    expect(err.status).toBe(400);
    expect(String((err.data as { error: string }).error)).toMatch(/^INVALID_ORDER_EXPIRATION/);
    const gtc = await c.createOrder({ tokenID: TOKEN, side: Side.BUY, price: 0.4, size: 10, expiration: now + 3600 });
    expect((await refusal(c.postOrder(gtc, OrderType.GTC))).status).toBe(400);
    const live = await c.createOrder({ tokenID: TOKEN, side: Side.BUY, price: 0.4, size: 10, expiration: now + 3600 });
    expect(await c.postOrder(live, OrderType.GTD)).toMatchObject({ success: true, status: 'live' });
  });

  it('refuses to sell tokens the wallet does not hold: no shorting', async () => {
    const c = clob(emu, alice, creds);
    const sell = await c.createOrder({ tokenID: TOKEN, side: Side.SELL, price: 0.45, size: 10 });
    const err = await refusal(c.postOrder(sell, OrderType.GTC));
    expect(err.status).toBe(400);
    expect(err.data).toMatchObject({ error: 'not enough balance / allowance' });
  });
});
