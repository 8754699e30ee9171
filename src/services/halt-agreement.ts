import { agree, applyMove, type FileSeen, type HaltScope, haltRecord } from '../core/halt/switch.js';
import type { ServiceDeps } from './deps.js';
import type { HaltRecords, StoredSwitch } from './halt-records.js';

/** The runtime root's HALT sentinels, as the kill switch sees them (the adapter is picked in app/). */
export interface HaltFiles {
  /** This runtime root's identity (instances sharing a root share it). */
  readonly rootId: string;
  /** The sentinel path of a scope on this root, or null (agent scopes have no file). */
  path(scope: HaltScope): string | null;
  read(path: string): FileSeen & { readonly kind: string | null };
  write(path: string, body: Readonly<Record<string, string>>): void;
  /** Removes whatever is there; returns what it was (null: nothing). Throws an error with a `code` if it stays. */
  remove(path: string): string | null;
  /** Brokers with a HALT path on this root (a halt Vibe-Trading tripped for any broker is seen). */
  brokersWithHalt(): readonly string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One scope's agreement between this runtime root's HALT file and the store's record: decides the move with
 * core/halt/switch.ts, makes it (a move that changes the record is decided again under the document lock, so
 * only one instance makes it) and records what it did. A file that tripped the switch gets the same sweep as a
 * halt pulled through Arbiter.
 */
export class HaltAgreement {
  constructor(
    private readonly deps: Pick<ServiceDeps, 'clock' | 'ids' | 'events'>,
    private readonly files: HaltFiles,
    private readonly records: HaltRecords,
    private readonly sweep: (
      scope: HaltScope,
      key: string,
      h: { readonly haltId: string; readonly by: string; readonly reason: string },
    ) => Promise<unknown>,
  ) {}

  async agree(
    scope: HaltScope,
    key: string,
    path: string,
    stored: StoredSwitch | null,
    row: { readonly reason: string; readonly ts: number } | null,
  ): Promise<void> {
    const root = this.files.rootId;
    const now = this.deps.clock.now();
    // A row with no record (an older version halted it) is a halt this root never carried.
    const withLegacy = (cur: StoredSwitch | null): StoredSwitch | null =>
      cur ??
      (row
        ? haltRecord(
            null,
            { haltId: `legacy:${key}:${row.ts}`, trippedAt: iso(row.ts), by: 'store', reason: row.reason },
            null,
          )
        : null);
    const record = withLegacy(stored);
    const file = this.files.read(path);
    const move = agree(record, file, root);
    if (move.kind === 'none') {
      if (record?.state === 'halted' && !row) await this.records.setRow(key, record.reason);
      if (record?.state !== 'halted' && row) await this.records.setRow(key, null);
      return;
    }
    const ctx = { root, now: iso(now), newHaltId: this.deps.ids.next('halt'), clearedBy: 'file-removed' };
    const again = (seen: FileSeen) => (cur: StoredSwitch | null) => {
      const base = withLegacy(cur);
      const m = agree(base, seen, root);
      return m.kind === move.kind ? (applyMove(base, m, seen, ctx) as StoredSwitch | null) : null;
    };
    switch (move.kind) {
      case 'note_root':
        await this.records.change(key, again(file));
        return;
      case 'write_file': {
        const r = record as StoredSwitch;
        try {
          this.files.write(path, {
            tripped_at: r.tripped_at,
            by: r.by,
            reason: r.reason,
            halt_id: r.halt_id,
            scope: key,
          });
        } catch {
          return; // the store still halts every instance; the next pass tries again
        }
        await this.records.change(key, (cur) => {
          const base = withLegacy(cur);
          return base?.state === 'halted' && base.halt_id === r.halt_id && !Object.hasOwn(base.roots, root)
            ? { ...base, roots: { ...base.roots, [root]: r.halt_id } }
            : null;
        });
        if (!row) await this.records.setRow(key, r.reason);
        return;
      }
      case 'remove_stale_file':
        try {
          this.files.remove(path);
        } catch {
          // it stays, and halts this root until it can be removed: the safe side
        }
        return;
      case 'clear': {
        const { changed, record: after } = await this.records.change(key, again(file));
        if (!changed) return;
        await this.records.setRow(key, null);
        await this.records.ledger('resume', key, {
          scope: key,
          by: 'file-removed',
          ts: now,
          halt_id: after?.halt_id ?? null,
          detail: `the HALT file was deleted from runtime root ${root}`,
        });
        this.deps.events.publish({ type: 'halt', data: { scope: key, halted: false, by: 'file-removed', ts: now } });
        return;
      }
      case 'adopt': {
        const { changed, record: after } = await this.records.change(key, again(file));
        if (!changed || !after) return;
        await this.records.setRow(key, after.reason);
        await this.records.ledger('halt', key, {
          scope: key,
          reason: after.reason,
          by: after.by,
          ts: now,
          tripped_at: after.tripped_at,
          halt_id: after.halt_id,
          source: 'file',
          file: path,
          root,
        });
        await this.sweep(scope, key, { haltId: after.halt_id, by: after.by, reason: after.reason });
        return;
      }
    }
  }
}
