import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArbiterClient, ArbiterHttpError, verifyCertificate } from '../../src/client/index.js';
import { freePort } from '../support/mcp.js';
import { type Harness, startHarness } from './support/harness.js';

describe('arbiter/client against a running server', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    h = await startHarness({ bars: 0, port });
    await h.app.listen({ port, host: '127.0.0.1' });
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => h.close());

  it('vets and places orders in five lines, and verifies the certificate offline', async () => {
    const arbiter = new ArbiterClient(base, h.tokens.alice);
    const verdict = await arbiter.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 50 });
    const issuer = await arbiter.pubkey();
    const check = await verifyCertificate(verdict.certificate, issuer, { now: h.clock.now() });
    expect(verdict.decision).toBe('ALLOW');
    expect(check).toMatchObject({ ok: true, status: 'valid', rederived: true });
    const order = await arbiter.placeOrder({ symbol: 'ETH/USDT', side: 'buy', notional: 60 });
    expect(order.order?.status).toBe('filled');
  });

  it('verifies with WebCrypto and with pure-JS noble alike, and both catch a changed byte', async () => {
    const arbiter = new ArbiterClient(base, h.tokens.bob);
    const { certificate } = await arbiter.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 70 });
    const issuer = await arbiter.pubkey();
    const tampered = structuredClone(certificate) as any;
    tampered.payload.effective.notional += 0.01;
    for (const backend of ['webcrypto', 'noble'] as const) {
      const good = await verifyCertificate(certificate, issuer, { backend, allowExpired: true });
      expect(good, backend).toMatchObject({ ok: true, backend });
      const bad = await verifyCertificate(tampered, issuer, { backend, allowExpired: true });
      expect(bad, backend).toMatchObject({ ok: false, status: 'invalid_signature' });
    }
    const other = await verifyCertificate(certificate, { keyId: issuer.key_id, publicKey: new Uint8Array(32).fill(7) });
    expect(other.ok).toBe(false);
  });

  it('throws ArbiterHttpError with the code and fields for a refused request', async () => {
    const arbiter = new ArbiterClient(base, h.tokens.alice);
    const e = await arbiter.vet({ symbol: 'BTC/USDT', side: 'short' as 'buy' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ArbiterHttpError);
    expect(e).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', fields: ['body.side'] });
    const anon = await new ArbiterClient(base).vet({ symbol: 'BTC/USDT', side: 'buy' }).catch((x: unknown) => x);
    expect(anon).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });
});
