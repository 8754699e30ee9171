import { base64url, utf8 } from '../core/cert/certificate.js';
import { type ChainCheckpoint, ChainVerifier, checkpointMessage, checkpointSignedBy } from '../core/ledger/chain.js';
import type { Checkpoint, LedgerRecord } from '../ports/store.js';
import type { ServiceDeps } from './deps.js';

export interface LedgerReport {
  readonly ok: boolean;
  readonly count: number;
  readonly head: string;
  readonly checkpoints: number;
  readonly problems: readonly { seq: number | null; problem: string }[];
}

export type Ed25519VerifySync = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

const PAGE = 5_000;

/** Signed checkpoints over the hash-chained ledger, whole-chain verification and JSONL export. */
export class LedgerService {
  constructor(
    private readonly deps: Pick<ServiceDeps, 'store' | 'signer' | 'hasher' | 'clock'>,
    /** Called with each checkpoint once stored (the runtime root's mirror file, written in the background). */
    private readonly onCheckpoint?: (cp: Checkpoint) => void,
  ) {}

  /** Signs the current head (record count + head hash) and stores the checkpoint. */
  async checkpoint(): Promise<Checkpoint> {
    const { store, signer, clock } = this.deps;
    const head = await store.ledgerHead();
    const ts = clock.now();
    const sig = signer.sign(utf8(checkpointMessage(head.count, head.head_hash, ts)));
    const cp: Checkpoint = {
      count: head.count,
      head_hash: head.head_hash,
      ts,
      key_id: signer.keyId,
      signature: base64url(sig),
    };
    await store.addCheckpoint(cp);
    this.onCheckpoint?.(cp);
    return cp;
  }

  async *records(): AsyncGenerator<LedgerRecord> {
    let from = 1;
    for (;;) {
      const page = await this.deps.store.ledgerRange(from, PAGE);
      for (const r of page) yield r;
      if (page.length < PAGE) return;
      from = page[page.length - 1]!.seq + 1;
    }
  }

  /**
   * Walks the whole chain. `extra` are checkpoints kept outside the database (the runtime root's mirror),
   * which catch a truncation that also removed the in-database checkpoints.
   */
  async verify(
    publicKey: Uint8Array,
    keyId: string,
    verifySig: Ed25519VerifySync,
    extra: readonly ChainCheckpoint[] = [],
  ): Promise<LedgerReport> {
    const cps = [...(await this.deps.store.checkpoints()), ...extra];
    const v = new ChainVerifier((s) => this.deps.hasher.sha256Hex(s), new Set(cps.map((c) => c.count)));
    for await (const r of this.records()) v.add(r);
    const result = v.finish(cps, (cp) => checkpointSignedBy(cp, { keyId, publicKey }, verifySig));
    return {
      ok: result.ok,
      count: result.count,
      head: result.head,
      checkpoints: cps.length,
      problems: result.problems,
    };
  }
}
