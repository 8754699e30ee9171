import {
  closeSync,
  fstatSync,
  write as fsWrite,
  fsync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { flock } from 'fs-ext';
import { CHAIN_GENESIS, chainRecordHash, pythonDumps } from '../../core/audit/python-json.js';
import type { AuditSink } from '../../ports/runtime.js';

/**
 * Appends audit records to `live/audit.jsonl` and to Vibe-Trading's tamper-evident `live/audit_chain.jsonl`, each
 * line as Vibe-Trading writes it (`json.dumps(record, ensure_ascii=False)`), so either program's records, and its
 * chain verifier, accept the other's. Records are handed to the OS off the deciding thread: records written while
 * a batch is in flight are joined and go out next, in order; `audit.jsonl` gets whole lines per write(2) (O_APPEND),
 * then the batch is chained.
 *
 * The chain is Vibe-Trading's (governance/ledger.py): `seq` from 1, `prev_record_hash` (`sha256:genesis` first),
 * `record_hash` = sha256 of the canonical `{seq, prev_record_hash, payload}`. An append holds an exclusive flock on
 * the chain file across reading its tail and writing, as Vibe-Trading's `append_record` does, and is fsynced. A
 * chain found broken is not extended (the records stay in `audit.jsonl` and in the store; the gap is what Vibe-
 * Trading's `verify_chain` then reports). Vibe-Trading re-verifies the whole file before every append; Arbiter
 * verifies it whole the first time and then only what others appended since its own last append.
 *
 * This file is a mirror: the store holds every record in its decision's transaction. `close()` writes whatever is
 * still queued before `flushed()` resolves.
 */
export class FileAuditSink implements AuditSink {
  private fd: number | null = null;
  private queued: string[] = [];
  private writing = false;
  private closing = false;
  private drained: (() => void)[] = [];
  private readonly chain: AuditChain;

  constructor(
    private readonly path: string,
    sha256Hex: (text: string) => string,
    chainPath: string = join(dirname(path), 'audit_chain.jsonl'),
  ) {
    this.chain = new AuditChain(chainPath, sha256Hex);
  }

  write(json: string): void {
    if (this.closing) return;
    if (this.fd === null) {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.path, 'a', 0o600);
    }
    this.queued.push(json);
    if (!this.writing) this.pump();
  }

  private pump(): void {
    const fd = this.fd;
    if (fd === null) return;
    if (this.queued.length === 0) {
      this.writing = false;
      if (this.closing) {
        this.closing = false;
        this.fd = null;
        closeSync(fd);
        this.chain.close();
      }
      for (const done of this.drained.splice(0)) done();
      return;
    }
    this.writing = true;
    const records = this.queued.map((j) => JSON.parse(j) as Record<string, unknown>);
    this.queued = [];
    const chunk = Buffer.from(records.map((r) => `${pythonDumps(r)}\n`).join(''));
    writeAll(fd, chunk, () => this.chain.append(records, () => this.pump()));
  }

  /** Resolves once every record written so far has reached both files. */
  flushed(): Promise<void> {
    if (!this.writing) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /** Closes the files after everything queued is written (await `flushed()` to know when). */
  close(): void {
    if (this.fd === null || this.closing) return;
    this.closing = true;
    if (!this.writing) this.pump();
  }
}

/** One write(2) per chunk in the normal case; a short write continues where it stopped. */
function writeAll(fd: number, chunk: Buffer, done: () => void): void {
  fsWrite(fd, chunk, 0, chunk.length, null, (err, written) => {
    if (err || written >= chunk.length)
      done(); // a failed mirror write must not stop the firewall
    else writeAll(fd, chunk.subarray(written), done);
  });
}

interface Tail {
  readonly ino: number;
  readonly size: number;
  readonly seq: number;
  readonly hash: string;
}

const CHAIN_KEYS = new Set(['seq', 'prev_record_hash', 'record_hash']);

/** Vibe-Trading's hash-chained audit ledger, appended to under its lock. */
class AuditChain {
  private fd: number | null = null;
  private tail: Tail | null = null;
  private warned = false;

  constructor(
    private readonly path: string,
    private readonly sha256Hex: (text: string) => string,
  ) {}

  append(records: readonly Record<string, unknown>[], done: () => void): void {
    let fd: number;
    try {
      if (this.fd === null) {
        mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
        this.fd = openSync(this.path, 'a+', 0o600);
      }
      fd = this.fd;
    } catch (e) {
      this.warn(e);
      done();
      return;
    }
    // The blocking flock waits on libuv's thread pool, not on the event loop.
    flock(fd, 'ex', (err) => {
      if (err) {
        this.warn(err);
        done();
        return;
      }
      try {
        this.appendLocked(fd, records, () => {
          flock(fd, 'un', () => done());
        });
      } catch (e) {
        this.warn(e);
        flock(fd, 'un', () => done());
      }
    });
  }

  private appendLocked(fd: number, records: readonly Record<string, unknown>[], done: () => void): void {
    const st = fstatSync(fd);
    let tail = this.tail;
    if (tail === null || tail.ino !== st.ino || st.size < tail.size) tail = this.verify(fd, 0, st.size, null);
    else if (st.size > tail.size) tail = this.verify(fd, tail.size, st.size, tail);
    if (tail === null) {
      this.tail = null;
      throw new Error(`audit chain ${this.path} is broken: not extended (Vibe-Trading's verify_chain reports where)`);
    }
    let { seq, hash } = tail;
    let text = '';
    for (const record of records) {
      const payload = Object.fromEntries(Object.entries(record).filter(([k]) => !CHAIN_KEYS.has(k)));
      seq += 1;
      const recordHash = chainRecordHash(seq, hash, payload, this.sha256Hex);
      text += `${pythonDumps({ ...payload, seq, prev_record_hash: hash, record_hash: recordHash })}\n`;
      hash = recordHash;
    }
    const chunk = Buffer.from(text);
    writeAll(fd, chunk, () => {
      fsync(fd, () => {
        this.tail = { ino: st.ino, size: st.size + chunk.length, seq, hash };
        done();
      });
    });
  }

  /** Walks the chain's lines in [from, to) from `start` (genesis when null); the tail reached, or null if broken. */
  private verify(fd: number, from: number, to: number, start: Tail | null): Tail | null {
    const buf = Buffer.alloc(to - from);
    let read = 0;
    while (read < buf.length) {
      const n = readSync(fd, buf, read, buf.length - read, from + read);
      if (n <= 0) break;
      read += n;
    }
    const from0 = start ?? (from === 0 ? this.sealedTail() : null);
    let seq = from0?.seq ?? 0;
    let hash = from0?.hash ?? CHAIN_GENESIS;
    for (const line of buf.subarray(0, read).toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return null;
      }
      if (rec.seq !== seq + 1 || rec.prev_record_hash !== hash) return null;
      const payload = Object.fromEntries(Object.entries(rec).filter(([k]) => !CHAIN_KEYS.has(k)));
      if (chainRecordHash(seq + 1, hash, payload, this.sha256Hex) !== rec.record_hash) return null;
      seq += 1;
      hash = rec.record_hash as string;
    }
    return { ino: fstatSync(fd).ino, size: from + read, seq, hash };
  }

  /**
   * Where a rotated chain continues: Vibe-Trading seals a full ledger as `audit_chain.0001.jsonl`, … and the
   * active file goes on from the newest segment's last record.
   */
  private sealedTail(): Tail | null {
    const dir = dirname(this.path);
    const stem = basename(this.path, '.jsonl');
    const segments = readdirSync(dir)
      .filter((f) => f.startsWith(`${stem}.`) && /^\.\d{4}\.jsonl$/.test(f.slice(stem.length)))
      .sort();
    const last = segments.at(-1);
    if (last === undefined) return null;
    const lines = readFileSync(join(dir, last), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    try {
      const rec = JSON.parse(lines.at(-1) ?? 'null') as { seq: number; record_hash: string } | null;
      return rec ? { ino: 0, size: 0, seq: rec.seq, hash: rec.record_hash } : null;
    } catch {
      return null;
    }
  }

  private warn(e: unknown): void {
    if (this.warned) return;
    this.warned = true;
    process.stderr.write(`arbiter: audit chain not appended (${(e as Error).message})\n`);
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}
