import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buy, ctx } from '../../../test/fixtures/context.js';
import { NodeSigner, nodeEd25519Verify, nodeHasher } from '../../adapters/crypto/node-signer.js';
import { evaluate } from '../firewall/engine.js';
import { base64url, buildPayload, type Certificate, canonicalJson, utf8 } from './certificate.js';
import { ISSUE_SKEW_MS, MAX_CERTIFICATE_TTL_SECONDS } from './lifetime.js';
import { verifyCertificate } from './verify.js';

const signer = new NodeSigner(NodeSigner.generatePem());
const pinned = { keyId: signer.keyId, publicKey: signer.publicKey };
const base = (() => {
  const c = ctx();
  return buildPayload(
    { id: 'vdt_times', keyId: signer.keyId, raw: buy(), ctx: c, evaluation: evaluate(buy(), c) },
    (s) => nodeHasher.sha256Hex(s),
  );
})();
const mandateTtl = (base.mandate as { arbiter: { certificate_ttl_seconds: number } }).arbiter.certificate_ttl_seconds;

function signed(issuedAt: number, expiresAt: number): Certificate {
  const payload = {
    ...base,
    issued_at: new Date(issuedAt).toISOString(),
    expires_at: new Date(expiresAt).toISOString(),
  };
  return { alg: 'Ed25519', payload, signature: base64url(signer.sign(utf8(canonicalJson(payload)))) };
}

const status = async (c: Certificate, now: number) =>
  (await verifyCertificate(c, pinned, nodeEd25519Verify, { now, allowExpired: true })).status;

describe('verify: impossible times', () => {
  it('the bound mandate allows a shorter lifetime than the schema maximum (the fixture is meaningful)', () => {
    expect(mandateTtl).toBeLessThan(MAX_CERTIFICATE_TTL_SECONDS);
  });

  it('refuses exactly what no honest issuer writes, whatever the times (property)', async () => {
    const now = 1_750_000_000_000;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -86_400_000, max: 3_600_000 }),
        fc.integer({ min: -3_600_000, max: 2 * MAX_CERTIFICATE_TTL_SECONDS * 1000 }),
        async (issuedOffset, lifetimeMs) => {
          const issued = now + issuedOffset;
          const got = await status(signed(issued, issued + lifetimeMs), now);
          const want =
            issued > now + ISSUE_SKEW_MS
              ? 'issued_in_future'
              : lifetimeMs < 0
                ? 'issued_after_expiry'
                : lifetimeMs > mandateTtl * 1000
                  ? 'lifetime_too_long'
                  : 'valid';
          expect(got, `issued ${issuedOffset} ms from now, lifetime ${lifetimeMs} ms`).toBe(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes the boundaries as allowed: the skew itself, a zero lifetime, the mandate TTL itself', async () => {
    const now = 1_750_000_000_000;
    expect(await status(signed(now + ISSUE_SKEW_MS, now + ISSUE_SKEW_MS + 1_000), now)).toBe('valid');
    expect(await status(signed(now + ISSUE_SKEW_MS + 1, now + ISSUE_SKEW_MS + 1_000), now)).toBe('issued_in_future');
    expect(await status(signed(now, now), now)).toBe('valid');
    expect(await status(signed(now, now + mandateTtl * 1000), now)).toBe('valid');
    expect(await status(signed(now, now + mandateTtl * 1000 + 1), now)).toBe('lifetime_too_long');
  });

  it('says an unparseable time is malformed rather than guessing', async () => {
    const payload = { ...base, issued_at: 'yesterday' };
    const c = { alg: 'Ed25519' as const, payload, signature: base64url(signer.sign(utf8(canonicalJson(payload)))) };
    expect(await status(c, Date.now())).toBe('malformed');
  });
});
