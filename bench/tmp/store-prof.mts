import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { SqliteStore } from '../../src/adapters/store/sqlite-store.js';
const dir = mkdtempSync(join(tmpdir(), 'sm-'));
const store = new SqliteStore({ path: join(dir, 'a.db'), hasher: nodeHasher });
const T: Record<string, number> = {};
const s = (store as any).s as Record<string, any>;
for (const [k, st] of Object.entries(s)) {
  for (const m of ['run', 'get', 'all']) {
    const orig = st[m].bind(st);
    st[m] = (...a: unknown[]) => { const t = performance.now(); try { return orig(...a); } finally { T[`${k}.${m}`] = (T[`${k}.${m}`] ?? 0) + performance.now() - t; } };
  }
}
const hasherT = { sha256Hex: (x: any) => { const t = performance.now(); try { return nodeHasher.sha256Hex(x); } finally { T.hash = (T.hash ?? 0) + performance.now() - t; } } };
(store as any).hasher = hasherT;
const cert = JSON.stringify({ x: 'y'.repeat(2900) });
const audit = 'z'.repeat(1400);
const N = 6000;
let total = 0;
for (let i = 0; i < N; i++) {
  if (i === 1000) { for (const k of Object.keys(T)) T[k] = 0; total = 0; }
  const t = performance.now();
  await store.decide(
    { accountId: 'main', agentId: `a${i % 50}`, venue: 'paper', symbol: 'BTC/USDT', clientOrderId: null, contentKey: `k${i}`, now: 1_780_000_000_000 + i, day: '2026-06-01', duplicateWindowMs: 0, initialEquity: 1000 },
    () => ({ verdictId: `vdt_${String(i).padStart(12, '0')}`, decision: 'ALLOW', certificateJson: cert, reserve: null, breaker: 'none', approval: null,
      audit: { audit_id: `aud_${String(i).padStart(12, '0')}`, ts: new Date(1_780_000_000_000 + i).toISOString(), kind: 'vet', agent_id: `a${i % 50}`, body: audit } }),
  );
  total += performance.now() - t;
}
const n = N - 1000;
console.log('total', ((total * 1000) / n).toFixed(1));
for (const [k, v] of Object.entries(T).sort((a, b) => b[1] - a[1])) if (v > 0) console.log(k.padEnd(28), ((v * 1000) / n).toFixed(1), 'µs');
await store.close();
