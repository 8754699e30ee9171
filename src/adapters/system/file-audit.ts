import { closeSync, write as fsWrite, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditSink } from '../../ports/runtime.js';

/**
 * Appends redacted records to `live/audit.jsonl` (one JSON object per line, Vibe-Trading shape). The file stays
 * open in append mode. Lines are handed to the OS off the deciding thread: records written while a write is in
 * flight are joined and go out next, in order, each write(2) whole lines only, so concurrent processes never
 * interleave inside a line. This file is a mirror: the store holds every record in its decision's transaction.
 * `close()` writes whatever is still queued before it returns.
 */
export class FileAuditSink implements AuditSink {
  private fd: number | null = null;
  private queued: string[] = [];
  private writing = false;
  private closing = false;
  private drained: (() => void)[] = [];
  constructor(private readonly path: string) {}

  write(json: string): void {
    if (this.fd === null) {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.path, 'a', 0o600);
    }
    this.queued.push(`${json}\n`);
    if (!this.writing) this.pump();
  }

  private pump(): void {
    const fd = this.fd;
    if (fd === null) return;
    if (this.queued.length === 0) {
      this.writing = false;
      if (this.closing) {
        this.fd = null;
        closeSync(fd);
      }
      for (const done of this.drained.splice(0)) done();
      return;
    }
    this.writing = true;
    const chunk = Buffer.from(this.queued.join(''));
    this.queued = [];
    writeAll(fd, chunk, () => this.pump());
  }

  /** Resolves once every record written so far has reached the OS. */
  flushed(): Promise<void> {
    if (!this.writing) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /**
   * Closes the file after everything queued is written. With nothing in flight that happens now, synchronously;
   * otherwise right after the write in flight (await `flushed()` to know when), so lines keep their order.
   */
  close(): void {
    const fd = this.fd;
    if (fd === null || this.closing) return;
    if (this.writing) {
      this.closing = true;
      return;
    }
    if (this.queued.length) writeSync(fd, this.queued.join(''));
    this.queued = [];
    this.fd = null;
    closeSync(fd);
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
