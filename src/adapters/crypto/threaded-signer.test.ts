import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeSigner, nodeEd25519Verify } from './node-signer.js';
import { ThreadedSigner } from './threaded-signer.js';

const inner = new NodeSigner(NodeSigner.generatePem());
const signers: ThreadedSigner[] = [];
function threaded(opts = {}) {
  const s = new ThreadedSigner(inner, { startAfter: 0, ...opts });
  signers.push(s);
  return s;
}
afterEach(() => {
  for (const s of signers.splice(0)) s.stop();
});

/** Waits until the worker is up (it starts on the first request). */
async function warm(s: ThreadedSigner) {
  s.signSoon(new Uint8Array([1]))();
  for (let i = 0; i < 200 && !s.threaded; i++) await new Promise((r) => setTimeout(r, 10));
  expect(s.threaded, 'the signing thread started').toBe(true);
}

describe('ThreadedSigner', () => {
  it('gives the same bytes as signing inline, for any messages claimed in any order', async () => {
    const s = threaded();
    await warm(s);
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 4_000 }), { minLength: 1, maxLength: 150 }),
        fc.boolean(),
        (messages, reverse) => {
          const claims = messages.map((m) => s.signSoon(m));
          const order = messages.map((_, i) => i);
          if (reverse) order.reverse();
          for (const i of order) {
            const sig = claims[i]!();
            expect(Buffer.from(sig).equals(Buffer.from(inner.sign(messages[i]!)))).toBe(true);
            expect(nodeEd25519Verify(inner.publicKey, messages[i]!, sig)).toBe(true);
            expect(claims[i]!(), 'a claim is stable').toBe(sig);
          }
        },
      ),
      { numRuns: 40 },
    );
    expect(s.threaded).toBe(true);
  });

  it('signs inline what does not fit a slot, and survives requests nobody claims', async () => {
    const s = threaded();
    await warm(s);
    const big = new Uint8Array(64 * 1024).fill(7);
    expect(nodeEd25519Verify(inner.publicKey, big, s.signSoon(big)())).toBe(true);
    // Abandoned claims: their slots are taken back; later claims still get their own signatures.
    for (let i = 0; i < 500; i++) s.signSoon(new Uint8Array([i & 255, 1]));
    const m = new Uint8Array([9, 9, 9]);
    expect(Buffer.from(s.signSoon(m)()).equals(Buffer.from(inner.sign(m)))).toBe(true);
  });

  it('answers claims already handed to a worker that is then stopped, without waiting for it', async () => {
    const s = threaded({ claimTimeoutMs: 10_000 });
    await warm(s);
    const messages = Array.from({ length: 50 }, (_, i) => new Uint8Array(3_000).fill(i));
    const claims = messages.map((m) => s.signSoon(m));
    s.stop();
    const t0 = performance.now();
    claims.forEach((claim, i) => {
      expect(Buffer.from(claim()).equals(Buffer.from(inner.sign(messages[i]!)))).toBe(true);
    });
    expect(performance.now() - t0, 'no claim waited for the deadline').toBeLessThan(5_000);
  });

  it('falls back to inline signing once stopped, and before the worker starts', () => {
    const late = threaded({ startAfter: 1_000 });
    const m = new Uint8Array([1, 2, 3]);
    expect(late.threaded).toBe(false);
    expect(Buffer.from(late.signSoon(m)()).equals(Buffer.from(inner.sign(m)))).toBe(true);
    const s = threaded();
    s.stop();
    expect(Buffer.from(s.signSoon(m)()).equals(Buffer.from(inner.sign(m)))).toBe(true);
    expect(s.threaded).toBe(false);
  });
});
