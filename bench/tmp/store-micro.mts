import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { SqliteStore } from '../../src/adapters/store/sqlite-store.js';
const dir = mkdtempSync(join(tmpdir(), 'sm-'));
const store = new SqliteStore({ path: join(dir, 'a.db'), hasher: nodeHasher });
const cert = JSON.stringify({ x: 'y'.repeat(2900) });
const audit = 'z'.repeat(1400);
const N = Number(process.env.N ?? 5000);
const variant = process.env.V ?? 'full';
let t = performance.now();
for (let i = 0; i < N; i++) {
  await store.decide(
    { accountId: 'main', agentId: `a${i % 50}`, venue: 'paper', symbol: 'BTC/USDT', clientOrderId: null, contentKey: variant === 'nokey' ? null : `k${i}`, now: 1_780_000_000_000 + i, day: '2026-06-01', duplicateWindowMs: 0, initialEquity: 1000 },
    () => ({ verdictId: `vdt_${String(i).padStart(12, '0')}`, decision: 'ALLOW', certificateJson: cert, reserve: null, breaker: 'none', approval: null,
      audit: variant === 'noaudit' ? null : { audit_id: `aud_${String(i).padStart(12, '0')}`, ts: new Date(1_780_000_000_000 + i).toISOString(), kind: 'vet', agent_id: `a${i % 50}`, body: audit } }),
  );
  if (i === 999) t = performance.now();
}
console.log(variant, (((performance.now() - t) * 1000) / (N - 1000)).toFixed(1), 'µs per decision (sequential)');
await store.close();
