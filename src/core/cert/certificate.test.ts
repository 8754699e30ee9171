import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buy, ctx } from '../../../test/fixtures/context.js';
import { NodeSigner, nodeEd25519Verify, nodeHasher } from '../../adapters/crypto/node-signer.js';
import { evaluate } from '../firewall/engine.js';
import { base64url, buildPayload, type Certificate, canonicalJson, fromBase64url, utf8 } from './certificate.js';
import { fromJsonSafe, toJsonSafe } from './json-safe.js';
import { verifyCertificate } from './verify.js';

const signer = new NodeSigner(NodeSigner.generatePem());
const pinned = { keyId: signer.keyId, publicKey: signer.publicKey };
const sha = (s: string) => nodeHasher.sha256Hex(s);

function certify(raw: unknown, c = ctx()): Certificate {
  const payload = buildPayload({ id: 'vdt_test', keyId: signer.keyId, raw, ctx: c, evaluation: evaluate(raw, c) }, sha);
  return { alg: 'Ed25519', payload, signature: base64url(signer.sign(utf8(canonicalJson(payload)))) };
}

const verify = (cert: unknown, opts: { now?: number; rederive?: boolean } = {}) =>
  verifyCertificate(cert, pinned, nodeEd25519Verify, { now: opts.now ?? ctx().now, rederive: opts.rederive ?? false });

describe('certificates', () => {
  it('verifies a fresh certificate against the pinned key and re-derives the same verdict', async () => {
    const r = await verify(certify(buy()), { rederive: true });
    expect(r.status, r.message).toBe('valid');
  });

  it('detects a changed decision', async () => {
    const c = certify(buy({ notional: 5_000 }));
    const r = await verify({ ...c, payload: { ...c.payload, decision: 'ALLOW' } });
    expect(r.status).toBe('invalid_signature');
  });

  it('refuses a certificate from another issuer even when its own signature is good', async () => {
    const other = new NodeSigner(NodeSigner.generatePem());
    const c = certify(buy());
    const payload = { ...c.payload, issuer: { key_id: other.keyId } };
    const forged = { ...c, payload, signature: base64url(other.sign(utf8(canonicalJson(payload)))) };
    expect((await verify(forged)).status).toBe('untrusted_issuer');
  });

  it('reports expiry', async () => {
    expect((await verify(certify(buy()), { now: ctx().now + 3_600_000 })).status).toBe('expired');
  });

  it('catches a re-signed certificate whose bound context does not give its decision', async () => {
    const c = certify(buy({ notional: 5_000 }));
    const payload = { ...c.payload, decision: 'ALLOW' as const, reasons: [] };
    const resigned = { ...c, payload, signature: base64url(signer.sign(utf8(canonicalJson(payload)))) };
    expect((await verify(resigned, { rederive: true })).status).toBe('rederive_mismatch');
  });

  it('re-derives verdicts of malformed intents carrying NaN and Infinity', async () => {
    const c = certify({ symbol: 'BTC/USDT', side: 'buy', quantity: Number.NaN, notional: Number.POSITIVE_INFINITY });
    expect((await verify(c, { rederive: true })).status).toBe('valid');
  });

  it('flags every single-character change to the signed payload (property)', async () => {
    const c = certify(buy());
    const text = canonicalJson(c.payload);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: text.length - 1 }), fc.integer({ min: 33, max: 126 }), async (i, code) => {
        const ch = String.fromCharCode(code);
        fc.pre(text[i] !== ch);
        let mutated: unknown;
        try {
          mutated = JSON.parse(text.slice(0, i) + ch + text.slice(i + 1));
        } catch {
          return; // no longer JSON: refused before any signature check
        }
        const r = await verify({ ...c, payload: mutated });
        let same = false;
        try {
          same = canonicalJson(mutated) === text;
        } catch {
          same = false; // e.g. a number grown to Infinity: it has no canonical form
        }
        if (!same) expect(r.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips non-JSON numbers through the JSON-safe encoding', () => {
    const v = { a: Number.NaN, b: Number.NEGATIVE_INFINITY, c: [1, Number.POSITIVE_INFINITY], d: 10n };
    const back = fromJsonSafe(toJsonSafe(v)) as typeof v;
    expect(back.a).toBeNaN();
    expect(back.b).toBe(Number.NEGATIVE_INFINITY);
    expect(back.c[1]).toBe(Number.POSITIVE_INFINITY);
    expect(back.d).toBe(10n);
  });
});

describe('base64url', () => {
  it('matches the RFC 4648 §5 encoding (Node Buffer) and round-trips, for any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = base64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64url(text)).toEqual(bytes);
      }),
      { numRuns: 2_000 },
    );
  });
});
