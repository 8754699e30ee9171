import { describe, expect, it } from 'vitest';
import { nodeEd25519Verify } from '../../src/adapters/crypto/node-signer.js';
import { fromSpecs } from '../../src/app/arena/roster.js';
import { selectSpecs } from '../../src/core/arena/index.js';
import type { Certificate } from '../../src/core/cert/certificate.js';
import { verifyCertificate } from '../../src/core/cert/verify.js';
import { arena } from './support/fixtures.js';

async function firstCertificate(signing: 'per-verdict' | 'checkpoint') {
  const a = await arena(
    fromSpecs(selectSpecs('buy-hold,momentum-20')).map((r) => r.agent),
    { signing, bars: 60 },
  );
  await a.engine.run();
  const records = await a.store.ledgerRange(1, 10_000);
  const cert = JSON.parse(records.find((r) => r.kind === 'verdict')!.body) as Certificate;
  const issuer = { keyId: a.signer.keyId, publicKey: a.signer.publicKey };
  const verdict = await verifyCertificate(cert, issuer, nodeEd25519Verify, {
    now: Date.parse(cert.payload.issued_at),
    rederive: true,
  });
  const chain = await a.parts.ledger.verify(a.signer.publicKey, a.signer.keyId, nodeEd25519Verify);
  await a.close();
  return { cert, verdict, chain };
}

describe('arena signing', () => {
  it('per-verdict: every certificate verifies on its own and re-derives the same verdict', async () => {
    const { verdict, chain } = await firstCertificate('per-verdict');
    expect(verdict.ok, verdict.message).toBe(true);
    expect(chain.ok).toBe(true);
  });

  it('checkpoint: certificates carry no signature of their own; the signed ledger checkpoints bind them', async () => {
    const { cert, verdict, chain } = await firstCertificate('checkpoint');
    expect(cert.signature).toBe('');
    expect(verdict.ok).toBe(false);
    expect(chain.ok, JSON.stringify(chain.problems)).toBe(true);
    expect(chain.checkpoints).toBeGreaterThan(0);
  });
});
