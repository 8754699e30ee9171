import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Signer } from '../../ports/signer.js';
import type { NodeSigner } from './node-signer.js';

/**
 * Ed25519 signing on a second thread, so a verdict's signature is computed while the deciding thread goes on
 * with the rest of the transaction (throttle, audit and reservation rows) instead of before it.
 *
 * Requests and signatures pass through shared memory (a ring of slots), and waiting is `Atomics.wait`, so the
 * hand-off costs microseconds and `signSoon` stays synchronous: the returned claim blocks only if the signature
 * is not ready when it is needed. The worker signs with the same key object, so signatures are byte-identical to
 * `NodeSigner.sign` (Ed25519 is deterministic). Whenever the worker is not running yet, a message is too large
 * for a slot, the ring is full, or the worker does not answer in time, signing happens inline — never not at all.
 */
const SLOTS = 64;
const SLOT_BYTES = 16 * 1024;
const SIG_BYTES = 64;
const FREE = 0;
const REQUESTED = 1;
const DONE = 2;
const FAILED = 3;
/** ctl[0]: requests posted (the worker waits on it); ctl[1]: 1 once the worker is ready. */
const WORK = 0;
const READY = 1;

const WORKER_CODE = `
const { workerData } = require('node:worker_threads');
const { sign } = require('node:crypto');
const { key, ctl, state, lens, data, sigs, slots, slotBytes } = workerData;
const ctlA = new Int32Array(ctl), stateA = new Int32Array(state), lensA = new Int32Array(lens);
const dataA = new Uint8Array(data), sigsA = new Uint8Array(sigs);
Atomics.store(ctlA, ${READY}, 1);
let next = 0;
for (;;) {
  const seen = Atomics.load(ctlA, ${WORK});
  let worked = false;
  for (let k = 0; k < slots; k++) {
    const i = (next + k) % slots;
    if (Atomics.load(stateA, i) !== ${REQUESTED}) continue;
    let ok = true;
    try {
      const sig = sign(null, dataA.subarray(i * slotBytes, i * slotBytes + lensA[i]), key);
      sigsA.set(sig, i * ${SIG_BYTES});
    } catch { ok = false; }
    Atomics.store(stateA, i, ok ? ${DONE} : ${FAILED});
    Atomics.notify(stateA, i);
    next = (i + 1) % slots;
    worked = true;
  }
  if (!worked) Atomics.wait(ctlA, ${WORK}, seen, 1000);
}
`;

export interface ThreadedSignerOptions {
  /** Signatures made inline before the worker starts (short-lived processes never start it). */
  readonly startAfter?: number;
  /** How long a claim waits for the worker before signing inline instead (ms). */
  readonly claimTimeoutMs?: number;
}

export class ThreadedSigner implements Signer {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  private worker: Worker | null = null;
  private failed = false;
  private requests = 0;
  private next = 0;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(8));
  private readonly state = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  private readonly lens = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  private readonly data = new Uint8Array(new SharedArrayBuffer(SLOTS * SLOT_BYTES));
  private readonly sigs = new Uint8Array(new SharedArrayBuffer(SLOTS * SIG_BYTES));
  /** Which request owns each slot: a claim whose slot was taken back signs inline. */
  private readonly owner = new Float64Array(SLOTS);
  private serial = 0;

  constructor(
    private readonly inner: NodeSigner,
    private readonly opts: ThreadedSignerOptions = {},
  ) {
    this.keyId = inner.keyId;
    this.publicKey = inner.publicKey;
  }

  sign(message: Uint8Array): Uint8Array {
    return this.inner.sign(message);
  }

  /** Starts signing `message` on the worker; the claim returns the signature (waiting for it if needed). */
  signSoon(message: Uint8Array): () => Uint8Array {
    this.requests += 1;
    if (!this.worker && !this.failed && this.requests > (this.opts.startAfter ?? 50)) this.start();
    if (!this.worker || Atomics.load(this.ctl, READY) !== 1 || message.length > SLOT_BYTES) return this.inline(message);
    const slot = this.next;
    const st = Atomics.load(this.state, slot);
    // A slot still being signed means the ring is full; a finished one nobody claimed is taken back.
    if (st === REQUESTED) return this.inline(message);
    this.next = (slot + 1) % SLOTS;
    const id = ++this.serial;
    this.owner[slot] = id;
    this.data.set(message, slot * SLOT_BYTES);
    this.lens[slot] = message.length;
    Atomics.store(this.state, slot, REQUESTED);
    Atomics.add(this.ctl, WORK, 1);
    Atomics.notify(this.ctl, WORK);
    let result: Uint8Array | null = null;
    return () => {
      if (result) return result;
      result = this.claim(slot, id, message);
      return result;
    };
  }

  private claim(slot: number, id: number, message: Uint8Array): Uint8Array {
    if (this.owner[slot] !== id) return this.inner.sign(message);
    const deadline = performance.now() + (this.opts.claimTimeoutMs ?? 2_000);
    let st = Atomics.load(this.state, slot);
    // A stopped or failed worker will not answer: sign here at once rather than wait out the deadline.
    while (st === REQUESTED && !this.failed && performance.now() < deadline) {
      Atomics.wait(this.state, slot, REQUESTED, 50);
      st = Atomics.load(this.state, slot);
    }
    if (st !== DONE) {
      // The worker failed or stalled: this signature is made here, and the worker is not trusted again.
      if (st === REQUESTED) this.stop();
      Atomics.store(this.state, slot, FREE);
      return this.inner.sign(message);
    }
    const sig = this.sigs.slice(slot * SIG_BYTES, (slot + 1) * SIG_BYTES);
    this.owner[slot] = 0;
    Atomics.store(this.state, slot, FREE);
    return sig;
  }

  private inline(message: Uint8Array): () => Uint8Array {
    const sig = this.inner.sign(message);
    return () => sig;
  }

  private start(): void {
    try {
      const key: KeyObject = this.inner.keyObject;
      this.worker = new Worker(WORKER_CODE, {
        eval: true,
        workerData: {
          key,
          ctl: this.ctl.buffer,
          state: this.state.buffer,
          lens: this.lens.buffer,
          data: this.data.buffer,
          sigs: this.sigs.buffer,
          slots: SLOTS,
          slotBytes: SLOT_BYTES,
        },
      });
      this.worker.unref();
      this.worker.on('error', () => this.stop());
    } catch {
      this.stop();
    }
  }

  /** Whether signatures are being made on the worker thread. */
  get threaded(): boolean {
    return this.worker !== null && Atomics.load(this.ctl, READY) === 1;
  }

  stop(): void {
    this.failed = true;
    Atomics.store(this.ctl, READY, 0);
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
  }
}
