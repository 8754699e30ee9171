import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buy, call } from './support/call.js';
import { type Harness, startHarness } from './support/harness.js';

describe('HTTP API: vet, verify, pubkey, verdicts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ bars: 6 });
  });
  afterAll(async () => h.close());

  it('vets an intent for the agent its token names and returns the signed verdict', async () => {
    const r = await call(h, 'POST', '/v1/vet', { token: h.tokens.alice, body: buy() });
    expect(r.status).toBe(200);
    expect(r.body.decision).toBe('ALLOW');
    expect(r.body.certificate.payload.agent_id).toBe('alice');
    expect(r.body.gates).toHaveLength(14);
    expect(r.body.order, 'a dry run sends nothing').toBeNull();
  });

  it('answers a denial with 200 and the verdict: a REJECT is data, with reasons and a certificate', async () => {
    const r = await call(h, 'POST', '/v1/vet', { token: h.tokens.alice, body: buy({ notional: -5 }) });
    expect(r.status).toBe(200);
    expect(r.body.decision).toBe('REJECT');
    expect(r.body.reasons).toContain('INTENT_MALFORMED');
    expect(r.body.certificate.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
  });

  it('refuses a request without a token (401) and an admin token acting as an agent (403)', async () => {
    const none = await call(h, 'POST', '/v1/vet', { body: buy() });
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('UNAUTHENTICATED');
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const wrong = await call(h, 'POST', '/v1/vet', { token: 'arb_agent_not-a-real-token', body: buy() });
    expect(wrong.status).toBe(401);
    const admin = await call(h, 'POST', '/v1/vet', { token: h.adminToken, body: buy() });
    expect(admin.status).toBe(403);
    expect(admin.body.message).toMatch(/admin token cannot act as an agent/);
  });

  it('names every malformed field in a 400, and refuses a smuggled agent_id', async () => {
    const r = await call(h, 'POST', '/v1/vet', {
      token: h.tokens.alice,
      body: { symbol: 'BTC/USDT', side: 'long', notional: '100', agent_id: 'bob' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('VALIDATION_ERROR');
    expect(r.body.fields).toEqual(['body.side', 'body.notional', 'body.agent_id']);
    expect(r.body.message).toContain('body.side');
    expect(r.body.message).toContain('body.notional');
    expect(r.body.message).not.toMatch(/at .*\.ts|node_modules/);
  });

  it('answers invalid JSON with a 400 and no stack trace', async () => {
    const r = await h.app.inject({
      method: 'POST',
      url: '/v1/vet',
      headers: { host: 'localhost', authorization: `Bearer ${h.tokens.alice}`, 'content-type': 'application/json' },
      payload: '{"symbol": ',
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).not.toMatch(/\n\s+at /);
  });

  it("verifies a certificate against this server's key, re-deriving the verdict", async () => {
    const v = await call(h, 'POST', '/v1/vet', { token: h.tokens.alice, body: buy() });
    const r = await call(h, 'POST', '/v1/verify', { body: v.body.certificate });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, status: 'valid', rederived: true, decision: 'ALLOW' });
  });

  it('reports a tampered certificate as invalid_signature and a non-certificate as malformed (both data)', async () => {
    const v = await call(h, 'POST', '/v1/vet', { token: h.tokens.alice, body: buy() });
    const cert = structuredClone(v.body.certificate);
    cert.payload.effective.notional += 1;
    const bad = await call(h, 'POST', '/v1/verify', { body: cert });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ ok: false, status: 'invalid_signature' });
    const junk = await call(h, 'POST', '/v1/verify', { body: { hello: 'world' } });
    expect(junk.body).toMatchObject({ ok: false, status: 'malformed' });
    const q = await call(h, 'POST', '/v1/verify?allow_expired=maybe', { body: v.body.certificate });
    expect(q.status).toBe(400);
    expect(q.body.fields).toEqual(['query.allow_expired']);
  });

  it('publishes the issuer key as base64url and hex with its key id', async () => {
    const r = await call(h, 'GET', '/v1/pubkey');
    expect(r.status).toBe(200);
    expect(r.body.alg).toBe('Ed25519');
    expect(r.body.key_id).toBe(h.services.firewall.issuer.keyId);
    expect(r.body.public_key_hex).toBe(Buffer.from(h.services.firewall.issuer.publicKey).toString('hex'));
    expect(Buffer.from(r.body.public_key, 'base64url').toString('hex')).toBe(r.body.public_key_hex);
  });

  it("returns an order's stored verdict byte for byte, and 404 for a dry run's or an unknown id", async () => {
    const v = await call(h, 'POST', '/v1/orders', { token: h.tokens.alice, body: buy({ notional: 31 }) });
    const r = await call(h, 'GET', `/v1/verdicts/${v.body.verdict_id}`, { token: h.adminToken });
    expect(r.status).toBe(200);
    expect(r.text).toBe(JSON.stringify(v.body.certificate));
    const dry = await call(h, 'POST', '/v1/vet', { token: h.tokens.alice, body: buy({ notional: 32 }) });
    expect(dry.body.dry_run, 'the vet says it is a dry run').toBe(true);
    expect(dry.body.certificate.payload.dry_run, 'and its certificate says so').toBe(true);
    const unrecorded = await call(h, 'GET', `/v1/verdicts/${dry.body.verdict_id}`, { token: h.adminToken });
    expect(unrecorded.status, 'a dry run is not recorded').toBe(404);
    const missing = await call(h, 'GET', '/v1/verdicts/vdt_nope', { token: h.adminToken });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('VERDICT_NOT_FOUND');
  });
});
