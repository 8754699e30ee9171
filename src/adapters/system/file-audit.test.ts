import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeHasher } from '../crypto/node-signer.js';
import { FileAuditSink } from './file-audit.js';

const rec = (i: number) => JSON.stringify({ audit_id: `a${i}`, n: i });

describe('FileAuditSink', () => {
  it('keeps every line, whole and in order, across writes in flight and a close in the middle of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-audit-'));
    const path = join(dir, 'live', 'audit.jsonl');
    try {
      const sink = new FileAuditSink(path, nodeHasher.sha256Hex);
      for (let i = 0; i < 2_000; i++) {
        sink.write(rec(i));
        if (i % 97 === 0) await new Promise((r) => setImmediate(r));
      }
      sink.close();
      await sink.flushed();
      const lines = readFileSync(path, 'utf8').split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((l) => JSON.parse(l).n)).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
      // Reopened on the next write, appending.
      const again = new FileAuditSink(path, nodeHasher.sha256Hex);
      again.write(rec(2_000));
      again.close();
      await again.flushed();
      expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2_001);
      const chain = readFileSync(join(dir, 'live', 'audit_chain.jsonl'), 'utf8')
        .trim()
        .split('\n');
      expect(
        chain.map((l) => JSON.parse(l).seq),
        'every record is chained once, in order, across the reopen',
      ).toEqual(Array.from({ length: 2_001 }, (_, i) => i + 1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
