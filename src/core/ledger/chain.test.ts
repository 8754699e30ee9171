import { describe, expect, it } from 'vitest';
import { NodeSigner, nodeEd25519Verify, nodeHasher } from '../../adapters/crypto/node-signer.js';
import { base64url, fromBase64url, utf8 } from '../cert/certificate.js';
import {
  type ChainCheckpoint,
  type ChainRecord,
  ChainVerifier,
  chainPreimage,
  checkpointMessage,
  GENESIS_HASH,
} from './chain.js';

const sha = (s: string) => nodeHasher.sha256Hex(s);
const signer = new NodeSigner(NodeSigner.generatePem());

function chain(n: number): ChainRecord[] {
  const out: ChainRecord[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const f = { seq, ts: 1_000 + seq, kind: 'verdict', ref: `vdt_${seq}`, body: `{"n":${seq}}`, prev_hash: prev };
    const hash = sha(chainPreimage(f));
    out.push({ ...f, hash });
    prev = hash;
  }
  return out;
}

function checkpoint(records: readonly ChainRecord[]): ChainCheckpoint {
  const head = records[records.length - 1]!;
  const sig = signer.sign(utf8(checkpointMessage(records.length, head.hash, 5)));
  return { count: records.length, head_hash: head.hash, ts: 5, key_id: signer.keyId, signature: base64url(sig) };
}

function verify(records: readonly ChainRecord[], cps: readonly ChainCheckpoint[]) {
  const v = new ChainVerifier(sha, new Set(cps.map((c) => c.count)));
  for (const r of records) v.add(r);
  return v.finish(cps, (cp) =>
    nodeEd25519Verify(
      signer.publicKey,
      utf8(checkpointMessage(cp.count, cp.head_hash, cp.ts)),
      fromBase64url(cp.signature),
    ),
  );
}

describe('ledger hash chain', () => {
  const good = chain(20);
  const cp = checkpoint(good);

  it('verifies an untouched chain and its checkpoint', () => {
    expect(verify(good, [cp]).ok).toBe(true);
  });

  it('detects an edited record', () => {
    const bad = good.map((r) => (r.seq === 7 ? { ...r, body: '{"n":700}' } : r));
    expect(verify(bad, [cp]).problems[0]?.seq).toBe(7);
  });

  it('detects a deleted record', () => {
    expect(
      verify(
        good.filter((r) => r.seq !== 9),
        [cp],
      ).ok,
    ).toBe(false);
  });

  it('detects reordering', () => {
    const bad = [...good];
    [bad[3], bad[4]] = [bad[4]!, bad[3]!];
    expect(verify(bad, [cp]).ok).toBe(false);
  });

  it('detects a truncated tail through the signed checkpoint', () => {
    const r = verify(good.slice(0, 15), [cp]);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.problem).join()).toContain('truncated');
  });

  it('detects a forged checkpoint', () => {
    expect(verify(good, [{ ...cp, head_hash: good[3]!.hash }]).ok).toBe(false);
  });
});
