import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TOKEN_PREFIX, newToken, tokenHash } from '../../src/transport/http/auth.js';
import { buy, call } from './support/call.js';
import { type Harness, startHarness } from './support/harness.js';

describe('HTTP API: orders and the agent account', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ bars: 6 });
  });
  afterAll(async () => h.close());

  const restingBuy = async (token: string) => {
    const q = await call(h, 'GET', '/v1/market/quote?symbol=BTC/USDT');
    const limit = Math.round(q.body.quote.bid * 0.97);
    const r = await call(h, 'POST', '/v1/orders', {
      token,
      body: buy({ type: 'limit', limit_price: limit, time_in_force: 'GTC' }),
    });
    expect(r.body.decision, JSON.stringify(r.body.reasons)).toBe('ALLOW');
    expect(r.body.order.status).toBe('open');
    return r.body.order as { orderId: string; clientOrderId: string };
  };

  it('places an allowed order, fills it on the paper venue and returns verdict and order together', async () => {
    const r = await call(h, 'POST', '/v1/orders', { token: h.tokens.alice, body: buy() });
    expect(r.status).toBe(200);
    expect(r.body.decision).toBe('ALLOW');
    expect(r.body.order.status).toBe('filled');
    expect(r.body.order_error).toBeNull();
    const positions = await call(h, 'GET', '/v1/positions', { token: h.tokens.alice });
    expect(positions.body.positions.some((p: any) => p.symbol === 'BTC/USDT' && p.quantity > 0)).toBe(true);
  });

  it('returns 200 PENDING_APPROVAL with an approval id above the threshold, and sends nothing', async () => {
    const r = await call(h, 'POST', '/v1/orders', { token: h.tokens.alice, body: buy({ notional: 450 }) });
    expect(r.status).toBe(200);
    expect(r.body.decision).toBe('PENDING_APPROVAL');
    expect(r.body.approval_id).toMatch(/^apr_/);
    expect(r.body.order).toBeNull();
  });

  it('replays the original verdict for a repeated client order id instead of ordering twice', async () => {
    const intent = buy({ client_order_id: 'http-idem-1' });
    const first = await call(h, 'POST', '/v1/orders', { token: h.tokens.alice, body: intent });
    const again = await call(h, 'POST', '/v1/orders', { token: h.tokens.alice, body: intent });
    expect(again.body.replayed).toBe(true);
    expect(again.body.verdict_id).toBe(first.body.verdict_id);
    const all = await call(h, 'GET', '/v1/orders?status=all&limit=50', { token: h.tokens.alice });
    expect(all.body.orders.filter((o: any) => o.clientOrderId === 'http-idem-1')).toHaveLength(1);
  });

  it('lists open orders and cancels one by id; another agent cannot see or cancel it', async () => {
    const order = await restingBuy(h.tokens.alice);
    const open = await call(h, 'GET', '/v1/orders', { token: h.tokens.alice });
    expect(open.body.orders.map((o: any) => o.orderId)).toContain(order.orderId);
    const bobs = await call(h, 'GET', '/v1/orders?status=all', { token: h.tokens.bob });
    expect(bobs.body.orders.map((o: any) => o.orderId)).not.toContain(order.orderId);
    const stolen = await call(h, 'DELETE', `/v1/orders/${order.orderId}`, { token: h.tokens.bob });
    expect(stolen.status).toBe(404);
    expect(stolen.body.error).toBe('ORDER_NOT_FOUND');
    const cancel = await call(h, 'DELETE', `/v1/orders/${order.orderId}`, { token: h.tokens.alice });
    expect(cancel.status).toBe(200);
    expect(cancel.body.order.status).toBe('cancelled');
  });

  it('keeps agents on one shared account apart: orders, client order ids and cancels are each agent’s own', async () => {
    // carol trades on alice's account (a shared account is the default of a multi-agent installation).
    const carol = newToken(AGENT_TOKEN_PREFIX);
    await h.ctx.deps.store.putAgent('carol', tokenHash(carol), 'alice', h.clock.now());
    const q = await call(h, 'GET', '/v1/market/quote?symbol=BTC/USDT');
    const limit = Math.round(q.body.quote.bid * 0.96);
    const alices = await call(h, 'POST', '/v1/orders', {
      token: h.tokens.alice,
      body: buy({ type: 'limit', limit_price: limit, time_in_force: 'GTC', client_order_id: 'shared-z' }),
    });
    expect(alices.body.order.status).toBe('open');
    expect(alices.body.order.clientOrderId, 'alice sees her own client order id').toBe('shared-z');
    const carols = await call(h, 'POST', '/v1/orders', {
      token: carol,
      body: buy({ type: 'limit', limit_price: limit - 1, time_in_force: 'GTC', client_order_id: 'shared-z' }),
    });
    expect(carols.body.replayed, "carol's id is not alice's").toBe(false);
    expect(carols.body.certificate.payload.agent_id).toBe('carol');
    expect(carols.body.verdict_id).not.toBe(alices.body.verdict_id);
    expect(carols.body.order.orderId, 'both orders exist at the venue').not.toBe(alices.body.order.orderId);
    const seen = await call(h, 'GET', '/v1/orders', { token: carol });
    expect(seen.body.orders.map((o: any) => o.orderId)).toEqual([carols.body.order.orderId]);
    for (const id of [alices.body.order.orderId, 'shared-z']) {
      const r = await call(h, 'DELETE', `/v1/orders/${id}`, { token: carol });
      if (id === 'shared-z') {
        expect(r.status, 'carol cancels her own shared-z').toBe(200);
        expect(r.body.order.orderId).toBe(carols.body.order.orderId);
      } else {
        expect(r.status, "carol cannot cancel alice's order").toBe(404);
        expect(r.body.error).toBe('ORDER_NOT_FOUND');
      }
    }
    const still = await call(h, 'GET', '/v1/orders', { token: h.tokens.alice });
    expect(still.body.orders.map((o: any) => o.orderId)).toContain(alices.body.order.orderId);
    expect((await call(h, 'DELETE', '/v1/orders/shared-z', { token: h.tokens.alice })).status).toBe(200);
  });

  it('shows the balance of the token’s own account', async () => {
    const r = await call(h, 'GET', '/v1/balance', { token: h.tokens.bob });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ agent_id: 'bob', account_id: 'bob' });
    expect(r.body.balance.equity).toBeGreaterThan(0);
  });

  it('needs an agent token for every account route', async () => {
    for (const [method, url] of [
      ['POST', '/v1/orders'],
      ['DELETE', '/v1/orders/x'],
      ['GET', '/v1/orders'],
      ['GET', '/v1/positions'],
      ['GET', '/v1/balance'],
    ] as const) {
      const r = await call(h, method, url, method === 'POST' ? { body: buy() } : {});
      expect(r.status, `${method} ${url}`).toBe(401);
    }
  });

  it('names the bad query parameter', async () => {
    const r = await call(h, 'GET', '/v1/orders?status=closed&limit=0', { token: h.tokens.alice });
    expect(r.status).toBe(400);
    expect(r.body.fields).toEqual(['query.status', 'query.limit']);
  });
});

describe('HTTP API in readonly mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ bars: 0, mode: 'readonly' });
  });
  afterAll(async () => h.close());

  it('vets but refuses to place orders', async () => {
    const vet = await call(h, 'POST', '/v1/vet', { token: h.tokens.alice, body: buy() });
    expect(vet.body.decision).toBe('ALLOW');
    const place = await call(h, 'POST', '/v1/orders', { token: h.tokens.alice, body: buy() });
    expect(place.status).toBe(403);
    expect(place.body.error).toBe('READONLY_MODE');
  });
});
