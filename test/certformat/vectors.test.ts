import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { buildVectors, VECTORS_DIR } from '../../scripts/make-vectors.js';
import { keyIdOf, nodeEd25519Verify, nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { verifyRunDir } from '../../src/app/arena/verify-run.js';
import { verifyVerdictText } from '../../src/app/verify-file.js';
import { canonicalJson } from '../../src/core/cert/certificate.js';
import { verifyCertificate } from '../../src/core/cert/verify.js';
import {
  type ChainCheckpoint,
  type ChainRecord,
  ChainVerifier,
  checkpointSignedBy,
} from '../../src/core/ledger/chain.js';
import { type LedgerVector, problemCode, readVectors, type Vectors } from './vectors.js';

const v: Vectors = readVectors();
const raw = Buffer.from(v.key.public_key, 'base64');
const pinned = { keyId: v.key.key_id, publicKey: new Uint8Array(raw) };
const sha = (s: string) => nodeHasher.sha256Hex(s);

/** Arbiter's ledger check, as `arbiter ledger verify` runs it (LedgerService.verify) on records already read. */
function verifyLedger(records: readonly ChainRecord[], checkpoints: readonly ChainCheckpoint[]) {
  const verifier = new ChainVerifier(sha, new Set(checkpoints.map((c) => c.count)));
  for (const r of records) verifier.add(r);
  return verifier.finish(checkpoints, (cp) => checkpointSignedBy(cp, pinned, nodeEd25519Verify));
}

const codes = (problems: readonly { seq: number | null; problem: string }[]) =>
  problems.map((p) => ({ seq: p.seq, code: problemCode(p.problem) }));

describe('certificate-format test vectors (docs/vectors)', () => {
  it('are exactly what scripts/make-vectors.ts generates (run `npx tsx scripts/make-vectors.ts` after a format change)', () => {
    const fresh = buildVectors();
    expect(readdirSync(VECTORS_DIR).sort()).toEqual(Object.keys(fresh).sort());
    for (const [file, text] of Object.entries(fresh)) {
      expect(readFileSync(join(VECTORS_DIR, file), 'utf8'), `docs/vectors/${file} is out of date`).toBe(text);
    }
  });

  it('pin a key whose id is ed25519: and the first 16 hex digits of SHA-256 of the raw 32-byte key', () => {
    expect(raw).toHaveLength(32);
    expect(v.key.public_key).toMatch(/=$/); // standard, padded base64, as `arbiter pubkey` prints it
    expect(keyIdOf(pinned.publicKey)).toBe(v.key.key_id);
    expect(v.key.key_id).toBe(`ed25519:${nodeHasher.sha256Hex(raw).slice(0, 16)}`);
    expect(Buffer.from(v.key.public_key_hex, 'hex')).toEqual(raw);
  });

  it('canonicalise as Arbiter does and as the canonicalize package (RFC 8785) does', () => {
    expect(v.canonicalisation.cases.length).toBeGreaterThan(3);
    for (const c of v.canonicalisation.cases) {
      expect(canonicalJson(JSON.parse(c.input)), c.input).toBe(c.canonical);
      expect(canonicalize(JSON.parse(c.input)), c.input).toBe(c.canonical);
    }
  });

  for (const c of [...v.certificates.valid, ...v.certificates.tampered]) {
    it(`certificate "${c.name}": Arbiter's verifier says ${c.expect.status}`, async () => {
      const r = await verifyCertificate(c.certificate, pinned, nodeEd25519Verify, { now: Date.parse(c.verify_at) });
      expect(r.status, r.message).toBe(c.expect.status);
    });
  }

  it('valid certificates: the signed text is the canonical payload, the hashes are as documented, and each re-derives', async () => {
    for (const c of v.certificates.valid) {
      const p = c.certificate.payload as Record<string, unknown>;
      expect(canonicalJson(p), c.name).toBe(c.signed_text);
      expect(p.intent_hash, c.name).toBe(`sha256:${sha(canonicalJson(p.intent))}`);
      const mandate = p.mandate as Record<string, unknown>;
      expect(p.mandate_hash, c.name).toBe('error' in mandate ? null : `sha256:${sha(canonicalJson(mandate))}`);
      const r = await verifyCertificate(c.certificate, pinned, nodeEd25519Verify, {
        now: Date.parse(c.verify_at),
        rederive: true,
      });
      expect(r.status, `${c.name}: ${r.message}`).toBe('valid');
    }
  });

  it('show the JSON-safe encoding of intents as documented (placeholders and limits)', () => {
    const intent = (name: string) =>
      (v.certificates.valid.find((c) => c.name === name)!.certificate.payload as { intent: Record<string, any> })
        .intent;
    expect(intent('nonfinite-placeholders')).toMatchObject({
      quantity: { $nonfinite: 'NaN' },
      notional: { $nonfinite: 'Infinity' },
      limit_price: { $nonfinite: '-Infinity' },
    });
    const t = intent('truncated-placeholders');
    expect(t.note).toBe(`${'x'.repeat(1_024)}…[truncated]`);
    expect(t.nested.a.b.c.d.e).toEqual({ $truncated: 'depth' });
    const l = intent('json-safe-limits');
    expect(l.items).toEqual(Array.from({ length: 64 }, (_, i) => i));
    expect(l['k'.repeat(128)]).toBe('a key of 130 characters');
    expect(l.lone).toBe('lone \ufffd surrogate');
    expect(l.big).toEqual({ $bigint: '10' });
    expect(l.fn).toEqual({ $type: 'function' });
    expect('gone' in l).toBe(false);
    expect(Object.is(l.minus_zero, 0)).toBe(true);
  });

  it('show the documented example key in docs/certificate-format.md', () => {
    const doc = readFileSync(join(VECTORS_DIR, '..', 'certificate-format.md'), 'utf8');
    const example = JSON.parse(doc.match(/\{ "alg": "Ed25519", "key_id": [^\n]+\}/)![0]);
    expect(example).toEqual({ alg: 'Ed25519', key_id: v.key.key_id, public_key: v.key.public_key });
  });

  it('tampered certificates each say what was changed', () => {
    for (const c of v.certificates.tampered) expect(c.description.length, c.name).toBeGreaterThan(10);
  });

  for (const s of [...v.verdicts.valid, ...v.verdicts.tampered]) {
    it(`saved verdict "${s.name}": arbiter verify says ${s.expect.status}`, async () => {
      const r = await verifyVerdictText(s.text, pinned, { now: Date.parse(s.verify_at) });
      expect(r.status, r.message).toBe(s.expect.status);
    });
  }

  it('ledger: the documented preimage and checkpoint message are the ones Arbiter hashes and signs', () => {
    const first = v.ledger.vectors[0]!.records[0]!;
    expect(v.ledger.preimage_of_record_1).toBe(
      `${first.prev_hash}\n${first.seq}\n${first.ts}\n${first.kind}\n${first.ref}\n${first.body}`,
    );
    expect(sha(v.ledger.preimage_of_record_1)).toBe(first.hash);
    expect(first.body).toBe(canonicalJson(JSON.parse(first.body)));
    const cp = v.ledger.vectors[0]!.checkpoints[1]!;
    expect(v.ledger.checkpoint_message_of_count_6).toBe(
      `arbiter-ledger-checkpoint\n${cp.count}\n${cp.head_hash}\n${cp.ts}`,
    );
  });

  for (const l of v.ledger.vectors) {
    it(`ledger "${l.name}": Arbiter's chain verifier finds ${l.expect.ok ? 'no problem' : l.expect.problems.map((p) => p.code).join(', ')}`, () => {
      const r = verifyLedger(l.records, l.checkpoints);
      expect({ ok: r.ok, count: r.count, head: r.head, problems: codes(r.problems) }).toEqual(l.expect);
    });
  }

  for (const a of v.arena.vectors) {
    it(`arena "${a.name}": arbiter arena verify finds ${a.expect.ok ? 'no problem' : a.expect.problems.map((p) => p.code).join(', ')}`, async () => {
      const dir = writeRunDir(a);
      try {
        const r = await verifyRunDir(dir, pinned);
        expect({ ok: r.ok, count: r.records, head: r.head, problems: codes(r.problems) }).toEqual(a.expect);
        expect(r.signed_certificates).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

/** An arena run's evidence files as `arena run` writes them. */
function writeRunDir(a: LedgerVector): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-vectors-'));
  writeFileSync(join(dir, 'ledger.jsonl'), a.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  writeFileSync(join(dir, 'checkpoints.json'), JSON.stringify(a.checkpoints));
  return dir;
}
