import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditRecord } from '../../core/audit/record.js';
import type { AuditSink } from '../../ports/runtime.js';

/**
 * Appends redacted records to `live/audit.jsonl` (one JSON object per line, Vibe-Trading shape). The file stays
 * open in append mode: each record is one write(2) of a whole line, so concurrent processes never interleave.
 */
export class FileAuditSink implements AuditSink {
  private fd: number | null = null;
  constructor(private readonly path: string) {}

  write(record: AuditRecord): void {
    if (this.fd === null) {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.path, 'a', 0o600);
    }
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
