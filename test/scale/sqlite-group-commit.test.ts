import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { keyIdOf, nodeEd25519Verify, nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { SqliteStore } from '../../src/adapters/store/sqlite-store.js';
import { verifyCertificate } from '../../src/core/cert/verify.js';
import { verifyLedger } from '../contract/store-contract.js';
import { cli } from '../support/cli.js';
import { patchMandate } from '../support/mcp.js';

const WORKER = join(import.meta.dirname, '..', 'support', 'firewall-storm-worker.ts');

function storm(home: string, prefix: string, n: number, onProgress?: (count: number, kill: () => void) => void) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, prefix, String(n), '16'], {
    env: { ...process.env, ARBITER_HOME: home },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (l) => {
    const m = /^progress (\d+)$/.exec(l);
    if (m && onProgress) onProgress(Number(m[1]), () => child.kill('SIGKILL'));
  });
  return new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
}

describe('SQLite under group commit and background checkpoints', () => {
  it('keeps one verdict, one ledger record and one audit row together when a process is killed mid-storm', async () => {
    const home = mkdtempSync(join(tmpdir(), 'arbiter-sqlite-storm-'));
    try {
      cli(home, ['mandate', 'init']);
      patchMandate(home, (m) => {
        m.hard_caps.max_trades_per_day = 1_000_000;
        m.arbiter = { ...m.arbiter, throttle: { per_second: 100_000, per_minute: 6_000_000 }, duplicate_window_ms: 0 };
        // Every order is refused and recorded: the test is about the decision's transaction, not about fills.
        m.universe.exclude_symbols = ['BTC/USDT'];
      });
      // Two processes on one file; one is SIGKILLed once it has decided 700 (past the 500 that start the
      // background checkpointer), while both are mid-storm.
      const [killed, survivor] = await Promise.all([
        // Far more than it gets to: it must still be deciding when the kill lands, however fast the machine.
        storm(home, 'k', 30_000, (count, kill) => {
          if (count >= 700) kill();
        }),
        storm(home, 's', 1_500),
      ]);
      expect(killed.signal).toBe('SIGKILL');
      expect(survivor.code).toBe(0);

      const store = new SqliteStore({ path: new RuntimeLayout(home).database(), hasher: nodeHasher });
      try {
        const chain = await verifyLedger(store, 500);
        expect(chain.ok, JSON.stringify(chain.problems)).toBe(true);
        const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
        const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
        const verdicts = n('SELECT COUNT(*) AS n FROM verdicts');
        expect(verdicts).toBeGreaterThanOrEqual(1_500 + 700);
        expect(n('SELECT COUNT(*) AS n FROM verdicts WHERE ledger_seq IS NULL'), 'every verdict has its record').toBe(
          0,
        );
        expect(n("SELECT COUNT(*) AS n FROM ledger WHERE kind = 'verdict'")).toBe(verdicts);
        expect(chain.count).toBe(verdicts);
        expect(
          n(
            "SELECT COUNT(*) AS n FROM verdicts v JOIN ledger l ON l.seq = v.ledger_seq AND l.ref = v.verdict_id AND l.kind = 'verdict'",
          ),
          'each verdict points at its own record',
        ).toBe(verdicts);
        expect(n('SELECT COUNT(*) AS n FROM audit'), 'one audit row per verdict').toBe(verdicts);
        expect(n("SELECT COUNT(*) AS n FROM verdicts WHERE client_order_id LIKE 's-%'")).toBe(1_500);
        // Certificates read back through their verdict rows verify against the issuer key (signed by either
        // process).
        const pub = new Uint8Array(
          Buffer.from(readFileSync(new RuntimeLayout(home).issuerPub(), 'utf8').trim(), 'base64'),
        );
        const issuer = { keyId: keyIdOf(pub), publicKey: pub };
        const ids = db.prepare('SELECT verdict_id AS id FROM verdicts ORDER BY random() LIMIT 200').all() as {
          id: string;
        }[];
        for (const { id } of ids) {
          const r = await verifyCertificate(JSON.parse((await store.verdict(id))!), issuer, nodeEd25519Verify, {
            now: Date.now(),
            allowExpired: true,
          });
          expect(r.ok, `${id}: ${r.message}`).toBe(true);
        }
      } finally {
        await store.close();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 180_000);
});
