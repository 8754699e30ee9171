import { fromBase64url, utf8 } from '../cert/certificate.js';

/**
 * The ledger's hash chain. Each record's hash covers the previous hash and every stored field, so an edit,
 * deletion or reordering anywhere breaks every later link; signed checkpoints (count + head hash) catch a
 * truncated tail.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainFields {
  readonly seq: number;
  readonly ts: number;
  readonly kind: string;
  readonly ref: string;
  readonly body: string;
  readonly prev_hash: string;
}

export interface ChainRecord extends ChainFields {
  readonly hash: string;
}

export function chainPreimage(r: ChainFields): string {
  return `${r.prev_hash}\n${r.seq}\n${r.ts}\n${r.kind}\n${r.ref}\n${r.body}`;
}

export function checkpointMessage(count: number, headHash: string, ts: number): string {
  return `arbiter-ledger-checkpoint\n${count}\n${headHash}\n${ts}`;
}

export interface ChainCheckpoint {
  readonly count: number;
  readonly head_hash: string;
  readonly ts: number;
  readonly key_id: string;
  readonly signature: string;
}

/**
 * Whether a checkpoint is signed by the pinned key: its key id must be the pinned one (the id inside only names a
 * key) and its signature, canonical unpadded base64url, must verify over the checkpoint message.
 */
export function checkpointSignedBy(
  cp: ChainCheckpoint,
  pinned: { readonly keyId: string; readonly publicKey: Uint8Array },
  ed25519Verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean,
): boolean {
  if (cp.key_id !== pinned.keyId) return false;
  try {
    return ed25519Verify(
      pinned.publicKey,
      utf8(checkpointMessage(cp.count, cp.head_hash, cp.ts)),
      fromBase64url(cp.signature),
    );
  } catch {
    return false;
  }
}

export interface ChainProblem {
  readonly seq: number | null;
  readonly problem: string;
}

/**
 * Incremental verifier: feed records in order with `add`, then `finish` with the checkpoints. Memory stays
 * constant except for the hashes at checkpoint counts.
 */
export class ChainVerifier {
  private prev = GENESIS_HASH;
  private expectSeq = 1;
  private count = 0;
  private readonly problems: ChainProblem[] = [];
  private readonly hashAt = new Map<number, string>();

  constructor(
    private readonly sha256Hex: (s: string) => string,
    private readonly wanted: ReadonlySet<number>,
  ) {}

  add(r: ChainRecord): void {
    if (r.seq !== this.expectSeq)
      this.note(r.seq, `sequence gap or reorder: expected ${this.expectSeq}, found ${r.seq}`);
    if (r.prev_hash !== this.prev) this.note(r.seq, 'prev_hash does not match the previous record');
    const h = this.sha256Hex(chainPreimage(r));
    if (h !== r.hash) this.note(r.seq, 'record hash does not match its content (edited)');
    this.prev = r.hash;
    this.expectSeq = r.seq + 1;
    this.count += 1;
    if (this.wanted.has(this.count)) this.hashAt.set(this.count, r.hash);
  }

  finish(
    checkpoints: readonly ChainCheckpoint[],
    checkSignature: (cp: ChainCheckpoint) => boolean,
  ): { ok: boolean; count: number; head: string; problems: readonly ChainProblem[] } {
    for (const cp of checkpoints) {
      if (!checkSignature(cp)) {
        this.note(null, `checkpoint at count ${cp.count} has a bad signature`);
        continue;
      }
      if (cp.count > this.count) {
        this.note(null, `truncated: a signed checkpoint covers ${cp.count} records, only ${this.count} remain`);
        continue;
      }
      // A checkpoint of the empty ledger holds the genesis hash.
      const h = cp.count === 0 ? GENESIS_HASH : this.hashAt.get(cp.count);
      if (h !== cp.head_hash) this.note(null, `checkpoint at count ${cp.count} does not match the chain`);
    }
    return { ok: this.problems.length === 0, count: this.count, head: this.prev, problems: this.problems };
  }

  private note(seq: number | null, problem: string): void {
    if (this.problems.length < 100) this.problems.push({ seq, problem });
  }
}
