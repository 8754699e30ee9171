import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Home } from './homes.js';
import { dumpSqlite } from './inspect.js';

/** Everything an installation keeps: every table of its SQLite store and every file of its runtime root. */
export interface RootState {
  readonly tables: Record<string, readonly string[]>;
  readonly files: Record<string, string>;
}

/** The database files themselves are compared through their tables, not their bytes. */
const DATABASE_FILE = /^arbiter\.db(-wal|-shm|-journal)?$/;

function files(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!DATABASE_FILE.test(name)) out[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return out;
}

/**
 * Cells a running `serve` rewrites on its own every reconcile tick (every 2 s) whether or not anything is asked
 * of it: when it last synced the account with the venue, and when the paper venue last caught the account up to
 * the market's time. Masked only where a test says so, and a test that masks them first shows (with no request
 * at all) that these are the only cells that change.
 */
export const RECONCILER_CELLS: Readonly<Record<string, readonly string[]>> = {
  // The reconciler's venue views: when they were applied, and the account's version they move.
  accounts: ['updated_at', 'synced_at', 'version'],
  docs: ['updated_at'],
};

/** Reads the installation, read-only. `mask` replaces those columns' values (see RECONCILER_CELLS). */
export function captureRoot(home: Home, mask: Readonly<Record<string, readonly string[]>> = {}): RootState {
  const dump = dumpSqlite(home);
  const tables: Record<string, string[]> = {};
  for (const [table, rows] of Object.entries(dump)) {
    tables[table] = rows
      .map((row) => {
        const r = { ...(row as Record<string, unknown>) };
        for (const col of mask[table] ?? []) if (col in r) r[col] = '(masked)';
        // The paper venue's document: its processing time moves with the reconciler too; nothing else may.
        if (table === 'docs' && mask.docs && typeof r.value === 'string' && r.ns === 'paper') {
          const doc = JSON.parse(r.value);
          delete doc.processedTs;
          r.value = JSON.stringify(doc);
        }
        return JSON.stringify(r);
      })
      .sort();
  }
  return { tables, files: files(home.dir) };
}

/** What differs between two states, one readable line per table or file (at most three rows each). */
export function differences(before: RootState, after: RootState): string[] {
  const out: string[] = [];
  for (const t of new Set([...Object.keys(before.tables), ...Object.keys(after.tables)])) {
    const a = new Set(before.tables[t] ?? []);
    const b = new Set(after.tables[t] ?? []);
    const added = [...b].filter((r) => !a.has(r));
    const removed = [...a].filter((r) => !b.has(r));
    if (added.length || removed.length)
      out.push(
        `table ${t}: ${added.length} row(s) new or changed, ${removed.length} gone or changed; e.g. ${[
          ...added.slice(0, 2).map((r) => `+${r.slice(0, 200)}`),
          ...removed.slice(0, 1).map((r) => `-${r.slice(0, 200)}`),
        ].join(' ')}`,
      );
  }
  for (const f of new Set([...Object.keys(before.files), ...Object.keys(after.files)])) {
    const a = before.files[f];
    const b = after.files[f];
    if (a === b) continue;
    if (a === undefined) out.push(`file ${f}: created`);
    else if (b === undefined) out.push(`file ${f}: removed`);
    else out.push(`file ${f}: changed (${a.length} → ${b.length} bytes)`);
  }
  return out;
}
