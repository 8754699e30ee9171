import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const BUILT = pathToFileURL(resolve('dist/adapters/venues/polymarket/order-index.js')).href;

/** One OS process remembering `n` orders in the index at `path` (the built module, as a server or the CLI runs it). */
function writer(path: string, who: number, n: number): Promise<number | null> {
  const script = `
    const { DurableOrderIndex } = await import(${JSON.stringify(BUILT)});
    const index = new DurableOrderIndex(${JSON.stringify(path)});
    for (let i = 0; i < ${n}; i++)
      index.remember({ clientOrderId: 'p${who}-' + i, orderId: '0x${who}' + i, symbol: 'FED-CUT-YES/USDC', type: 'limit', ts: i });
  `;
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    child.on('exit', (code) => done(code));
  });
}

describe('the Polymarket order index shared by processes on one home', () => {
  it('keeps every order of 6 processes remembering at once (changes are made under a file lock)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-pm-index-'));
    try {
      const path = join(dir, 'venues', 'polymarket', 'main', 'orders.json');
      const codes = await Promise.all([0, 1, 2, 3, 4, 5].map((w) => writer(path, w, 60)));
      expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
      const rows = JSON.parse(readFileSync(path, 'utf8')) as { clientOrderId: string }[];
      expect(new Set(rows.map((r) => r.clientOrderId)).size).toBe(360);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
