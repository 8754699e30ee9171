import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buy, call } from './support/call.js';
import { type Harness, startHarness } from './support/harness.js';

describe('HTTP API: approvals and the kill switch', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ bars: 0 });
  });
  afterAll(async () => h.close());

  let size = 400;
  const pending = async () => {
    size += 1;
    const r = await call(h, 'POST', '/v1/orders', { token: h.tokens.alice, body: buy({ notional: size }) });
    expect(r.body.decision).toBe('PENDING_APPROVAL');
    return r.body.approval_id as string;
  };

  it('lists pending approvals with the intent they are for', async () => {
    const id = await pending();
    const r = await call(h, 'GET', '/v1/approvals?status=pending', { token: h.adminToken });
    const a = r.body.approvals.find((x: any) => x.approval_id === id);
    expect(a).toMatchObject({ agent_id: 'alice', status: 'pending', intent: { side: 'buy', symbol: 'BTC/USDT' } });
    expect((await call(h, 'GET', '/v1/approvals?status=maybe', { token: h.adminToken })).body.fields).toEqual([
      'query.status',
    ]);
  });

  it('approves with the admin token: the order is re-vetted, executed and filled', async () => {
    const id = await pending();
    const r = await call(h, 'POST', `/v1/approvals/${id}/approve`, { token: h.adminToken });
    expect(r.status).toBe(200);
    expect(r.body.approval).toMatchObject({ approval_id: id, status: 'executed', decided_by: 'http:admin' });
    expect(r.body.result.decision).toBe('ALLOW');
    expect(r.body.result.order.status).toBe('filled');
    const twice = await call(h, 'POST', `/v1/approvals/${id}/approve`, { token: h.adminToken });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe('APPROVAL_NOT_PENDING');
  });

  it('rejects with the admin token; the order never executes', async () => {
    const id = await pending();
    const r = await call(h, 'POST', `/v1/approvals/${id}/reject`, { token: h.adminToken });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ approval: { status: 'rejected' }, result: null });
  });

  it('keeps approvals out of agents’ reach: 401 without a token, 403 with an agent token, 404 unknown', async () => {
    const id = await pending();
    expect((await call(h, 'POST', `/v1/approvals/${id}/approve`)).status).toBe(401);
    const agent = await call(h, 'POST', `/v1/approvals/${id}/approve`, { token: h.tokens.alice });
    expect(agent.status).toBe(403);
    expect(agent.body.message).toMatch(/admin token/);
    expect((await call(h, 'POST', `/v1/approvals/${id}/approve`, { token: 'wrong-admin-token' })).status).toBe(401);
    const unknown = await call(h, 'POST', '/v1/approvals/apr_nope/approve', { token: h.adminToken });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('APPROVAL_NOT_FOUND');
  });

  it('halts: the next order is refused with a signed HALTED_GLOBAL verdict; resume lifts it', async () => {
    expect((await call(h, 'POST', '/v1/halt', { token: h.tokens.alice, body: {} })).status).toBe(403);
    const halt = await call(h, 'POST', '/v1/halt', { token: h.adminToken, body: { reason: 'test halt' } });
    expect(halt.status).toBe(200);
    expect(halt.body).toMatchObject({ halted: true, scope: { kind: 'global' }, reason: 'test halt' });
    const state = await call(h, 'GET', '/v1/halts', { token: h.adminToken });
    expect(state.body.halted).toBe(true);
    expect(state.body.scopes.map((s: any) => s.scope)).toContain('global');
    const refused = await call(h, 'POST', '/v1/orders', { token: h.tokens.alice, body: buy() });
    expect(refused.status).toBe(200);
    expect(refused.body.decision).toBe('REJECT');
    expect(refused.body.reasons).toContain('HALTED_GLOBAL');
    expect(refused.body.order).toBeNull();
    const resume = await call(h, 'POST', '/v1/resume', { token: h.adminToken, body: {} });
    expect(resume.body).toMatchObject({ resumed: true, was_halted: true });
    expect((await call(h, 'GET', '/v1/halts', { token: h.adminToken })).body.halted).toBe(false);
    const after = await call(h, 'POST', '/v1/orders', { token: h.tokens.alice, body: buy() });
    expect(after.body.decision).toBe('ALLOW');
  });

  it('halts one agent only, and names a missing agent in a 400', async () => {
    const missing = await call(h, 'POST', '/v1/halt', { token: h.adminToken, body: { scope: 'agent' } });
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toEqual(['body.agent']);
    const bad = await call(h, 'POST', '/v1/halt', { token: h.adminToken, body: { scope: 'planet', why: 1 } });
    expect(bad.body.fields).toEqual(['body.scope', 'body.why']);
    await call(h, 'POST', '/v1/halt', { token: h.adminToken, body: { scope: 'agent', agent: 'bob' } });
    const bob = await call(h, 'POST', '/v1/vet', { token: h.tokens.bob, body: buy() });
    expect(bob.body.reasons).toContain('HALTED_AGENT');
    const alice = await call(h, 'POST', '/v1/vet', { token: h.tokens.alice, body: buy() });
    expect(alice.body.decision).toBe('ALLOW');
    await call(h, 'POST', '/v1/resume', { token: h.adminToken, body: { scope: 'agent', agent: 'bob' } });
  });
});

describe('HTTP API with no admin token configured', () => {
  it('disables every admin endpoint', async () => {
    const h = await startHarness({ bars: 0, adminToken: null });
    try {
      const r = await call(h, 'POST', '/v1/halt', { token: 'anything-at-all', body: {} });
      expect(r.status).toBe(403);
      expect(r.body.error).toBe('ADMIN_DISABLED');
    } finally {
      await h.close();
    }
  });
});
