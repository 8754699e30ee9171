import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileOnce, writeFileAtomic, writeFileAtomicAsync } from './files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'files-'));
  dirs.push(d);
  return d;
};

describe('atomic file writes', () => {
  it('write the whole content with the mode asked for, creating the folder, and leave no temporary file', async () => {
    const d = dir();
    const a = join(d, 'sub', 'a.json');
    writeFileAtomic(a, 'one\n', 0o600);
    await writeFileAtomicAsync(join(d, 'sub', 'b.json'), 'two\n', 0o600);
    expect(readFileSync(a, 'utf8')).toBe('one\n');
    expect(readFileSync(join(d, 'sub', 'b.json'), 'utf8')).toBe('two\n');
    expect(statSync(join(d, 'sub', 'b.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(d, 'sub')).sort()).toEqual(['a.json', 'b.json']);
  });

  it('many writes of one file in flight at once each land whole (no shared temporary name)', async () => {
    const d = dir();
    const path = join(d, 'cp.json');
    const bodies = Array.from({ length: 50 }, (_, i) => `${JSON.stringify({ count: i, pad: 'x'.repeat(i * 100) })}\n`);
    await Promise.all(bodies.map((b) => writeFileAtomicAsync(path, b)));
    expect(bodies).toContain(readFileSync(path, 'utf8'));
    expect(readdirSync(d)).toEqual(['cp.json']);
  });
});

describe('createFileOnce', () => {
  it('creates the file whole with the mode asked for, and says it did', () => {
    const path = join(dir(), 'keys', 'k');
    expect(createFileOnce(path, () => 'first\n', 0o600)).toEqual({ content: 'first\n', created: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(createFileOnce(path, () => 'second\n')).toEqual({ content: 'first\n', created: false });
    expect(readdirSync(join(path, '..'))).toEqual(['k']);
  });

  it('when another process creates the file while this one is writing, keeps and returns the winner', () => {
    const d = dir();
    const path = join(d, 'k');
    const r = createFileOnce(path, () => {
      writeFileSync(path, 'winner\n', { mode: 0o600 }); // the other process, between our check and our link
      return 'loser\n';
    });
    expect(r).toEqual({ content: 'winner\n', created: false });
    expect(readFileSync(path, 'utf8')).toBe('winner\n');
    expect(readdirSync(d), 'the losing temporary file is removed').toEqual(['k']);
  });
});
