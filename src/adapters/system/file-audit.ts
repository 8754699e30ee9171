import type { AuditRecord } from '../../core/audit/record.js';
import type { AuditSink } from '../../ports/runtime.js';
import { appendLine } from '../runtime/files.js';

/** Appends redacted records to `live/audit.jsonl` (one JSON object per line, Vibe-Trading shape). */
export class FileAuditSink implements AuditSink {
  constructor(private readonly path: string) {}
  write(record: AuditRecord): void {
    appendLine(this.path, JSON.stringify(record));
  }
}
