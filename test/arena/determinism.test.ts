import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArenaOptions } from '../../src/app/arena/options.js';
import { runArena } from '../../src/app/arena/run.js';
import { differences, filesUnder } from './support/files.js';
import { TEST_ISSUER, tempDir } from './support/fixtures.js';

const options = (seed: number) =>
  parseArenaOptions({
    source: 'synthetic',
    bars: '300',
    warmup: '100',
    seed: String(seed),
    bootstrap: '200',
    partitions: '8',
    quiet: true,
  });

describe('arena run', () => {
  it('gives byte-identical output files for the same seed', async () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    // Same installation (one issuer key) for every run: Ed25519 signatures are deterministic, so even they match.
    await runArena(options(7), a, TEST_ISSUER);
    await runArena(options(7), b, TEST_ISSUER);
    await runArena(options(8), c, TEST_ISSUER);
    const files = filesUnder(a);
    for (const f of ['run.json', 'leaderboard.json', 'trades.jsonl', 'decisions.jsonl', 'ledger.jsonl', 'report.html'])
      expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith('equity/'))).toHaveLength(17);
    expect(differences(a, b), 'files that differ between two runs with seed 7').toEqual([]);
    expect(differences(a, c).length, 'a different seed is a different run').toBeGreaterThan(0);
  }, 60_000);

  it('writes a self-contained report: the chart library and the data inline, nothing fetched', async () => {
    const dir = tempDir();
    await runArena(options(7), dir, TEST_ISSUER);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('LightweightCharts');
    expect(html).toContain('not distinguishable from luck');
    expect(html).toContain('momentum-20');
    expect(html, 'an external script, stylesheet or image').not.toMatch(
      /<(script|img|iframe)[^>]*\bsrc=|<link[^>]*\bhref=/,
    );
    expect(html).not.toMatch(/\bfetch\(|XMLHttpRequest|import\(/);
  }, 60_000);
});
