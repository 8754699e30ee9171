import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buy, ctx } from '../../../test/fixtures/context.js';
import { nodeHasher } from '../../adapters/crypto/node-signer.js';
import { holdsSecret } from '../audit/redact.js';
import { evaluate } from '../firewall/engine.js';
import { parseIntent } from '../firewall/intent.js';
import { buildPayload, canonicalJson } from './certificate.js';
import { rederive } from './verify.js';

const secret = fc.constantFrom(
  'sk-proj-AbCdEfGhIjKlMnOp1234',
  'AKIAIOSFODNN7EXAMPLE',
  'ghp_0123456789abcdefghijABCDEFGHIJ',
  'eyJhbGciOiJI.eyJzdWIiOiJh.c2lnbmF0dXJl',
  'arb_agent_0123456789abcdefghij',
);
const field = fc.constantFrom(
  'client_order_id',
  'symbol',
  'side',
  'type',
  'time_in_force',
  'quantity',
  'note',
  'api_key',
);

function payloadOf(raw: unknown) {
  const c = ctx();
  return buildPayload({ id: 'vdt_s', keyId: 'k', raw, ctx: c, evaluation: evaluate(raw, c) }, (s) =>
    nodeHasher.sha256Hex(s),
  );
}

describe('a secret in an intent never reaches a certificate', () => {
  it('refuses the intent, signs no secret anywhere in the payload, and the masked copy re-derives the same (property)', () => {
    fc.assert(
      fc.property(secret, field, (s, f) => {
        const raw = { ...buy(), [f]: s };
        expect(parseIntent(raw).ok, `${f}=${s} is refused`).toBe(false);
        const p = payloadOf(raw);
        expect(p.decision).toBe('REJECT');
        expect(p.reasons.map((r) => r.code)).toEqual(['INTENT_MALFORMED']);
        const text = canonicalJson(p);
        expect(text.includes(s), `the signed payload holds ${s}`).toBe(false);
        expect(holdsSecret(p.intent)).toBe(false);
        expect(rederive(p).same, rederive(p).detail).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves an ordinary intent exactly as received', () => {
    const raw = buy({ client_order_id: 'my-order.1:a_b' });
    expect(payloadOf(raw).intent).toEqual(raw);
  });
});
