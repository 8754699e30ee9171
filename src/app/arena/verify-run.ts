import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeEd25519Verify, nodeHasher } from '../../adapters/crypto/node-signer.js';
import { type PinnedIssuer, verifyCertificate } from '../../core/cert/verify.js';
import {
  type ChainCheckpoint,
  type ChainProblem,
  type ChainRecord,
  ChainVerifier,
  checkpointSignedBy,
} from '../../core/ledger/chain.js';

export interface RunEvidenceReport {
  readonly ok: boolean;
  readonly key_id: string;
  readonly records: number;
  readonly head: string;
  readonly checkpoints: number;
  /** Verdict certificates that carry a signature of their own (per-verdict signing), each checked. */
  readonly signed_certificates: number;
  readonly problems: readonly ChainProblem[];
}

function lines<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/**
 * Verifies a finished arena run's directory offline against a pinned issuer key: the hash chain of ledger.jsonl,
 * every signed checkpoint of checkpoints.json, that the last checkpoint covers every record (in checkpoint signing
 * the certificates have no signature of their own, so a record no checkpoint covers is not evidence), and the
 * signature of every certificate that has one. Nothing in the run's files says which key to trust.
 */
export async function verifyRunDir(dir: string, issuer: PinnedIssuer): Promise<RunEvidenceReport> {
  const problems: ChainProblem[] = [];
  const ledgerFile = join(dir, 'ledger.jsonl');
  const cpFile = join(dir, 'checkpoints.json');
  if (!existsSync(ledgerFile) || !existsSync(cpFile))
    return {
      ok: false,
      key_id: issuer.keyId,
      records: 0,
      head: '',
      checkpoints: 0,
      signed_certificates: 0,
      problems: [{ seq: null, problem: `${dir} has no ledger.jsonl and checkpoints.json (not a finished arena run)` }],
    };
  const records = lines<ChainRecord>(ledgerFile);
  const checkpoints = JSON.parse(readFileSync(cpFile, 'utf8')) as ChainCheckpoint[];
  const v = new ChainVerifier((s) => nodeHasher.sha256Hex(s), new Set(checkpoints.map((c) => c.count)));
  let signed = 0;
  for (const r of records) {
    v.add(r);
    if (r.kind !== 'verdict') continue;
    let cert: { signature?: unknown; payload?: { issued_at?: string } };
    try {
      cert = JSON.parse(r.body);
    } catch {
      problems.push({ seq: r.seq, problem: 'verdict record body is not JSON' });
      continue;
    }
    if (cert.signature === '') continue; // bound by the checkpoints instead
    signed += 1;
    const res = await verifyCertificate(cert, issuer, nodeEd25519Verify, {
      now: Date.parse(cert.payload?.issued_at ?? '') || 0,
      allowExpired: true,
    });
    if (!res.ok) problems.push({ seq: r.seq, problem: `certificate: ${res.message}` });
  }
  const chain = v.finish(checkpoints, (cp) => checkpointSignedBy(cp, issuer, nodeEd25519Verify));
  const covered = Math.max(0, ...checkpoints.map((c) => c.count));
  const all = [...chain.problems, ...problems];
  if (covered < chain.count)
    all.push({
      seq: covered + 1,
      problem: `records ${covered + 1}-${chain.count} are not covered by a signed checkpoint`,
    });
  return {
    ok: all.length === 0,
    key_id: issuer.keyId,
    records: chain.count,
    head: chain.head,
    checkpoints: checkpoints.length,
    signed_certificates: signed,
    problems: all.slice(0, 100),
  };
}
