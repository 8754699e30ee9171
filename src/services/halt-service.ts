import { type HaltScope, haltRecord, scopeKey, scopeOfKey } from '../core/halt/switch.js';
import type { ServiceDeps } from './deps.js';
import { HaltAgreement, type HaltFiles } from './halt-agreement.js';
import { HaltRecords } from './halt-records.js';
import { type HaltSweep, type SweepReport, sweepTotals } from './halt-sweep.js';

export type { HaltScope } from '../core/halt/switch.js';
export { scopeKey } from '../core/halt/switch.js';
export type { HaltFiles } from './halt-agreement.js';

/** A halt in force, as every door shows it. */
export interface HaltInForce {
  readonly scope: string;
  readonly reason: string;
  readonly by: string;
  /** ISO time it was tripped (Vibe-Trading's `tripped_at`). */
  readonly since: string;
  readonly ts: number;
  readonly halt_id: string | null;
  /** `arbiter`: pulled through Arbiter; `file`: a HALT file tripped it; `store`: a row with no record (older version). */
  readonly source: 'arbiter' | 'file' | 'store';
  /** The sentinel on this root, when the scope has one: where, and what is there now (null: nothing). */
  readonly file: { readonly path: string; readonly kind: string | null } | null;
  /** What the switch did when it was pulled. */
  readonly sweep: {
    readonly cancelled: number;
    readonly flattened: number;
    readonly approvals_rejected: number;
  } | null;
}

/** Something else this process runs that must obey the switch (the arena `serve --arena` runs). */
export interface HaltEnforcer {
  /** Venues it trades on: their HALT files on this root are watched too. */
  readonly venues: readonly string[];
  /**
   * Brings what it runs in line with the halts in force (stops new exposure, cancels resting orders and flattens
   * where a halt is new to it). `pulled` is the halt this call is for, when there is one: its sweep is reported.
   */
  enforce(inForce: readonly HaltInForce[], pulled: string | null): Promise<readonly SweepReport[]>;
}

export interface HaltAnswer {
  readonly halted: true;
  readonly scope: HaltScope;
  readonly scope_key: string;
  readonly reason: string;
  readonly by: string;
  readonly since: string;
  readonly halt_id: string;
  readonly file: { readonly path: string; readonly written: boolean; readonly error?: string } | null;
  readonly cancelled: number;
  readonly flattened: number;
  readonly approvals_rejected: number;
  readonly sweep: readonly SweepReport[];
}

export interface ResumeAnswer {
  readonly resumed: true;
  readonly scope: HaltScope;
  readonly scope_key: string;
  readonly was_halted: boolean;
  /** The sentinel removed from this root, and what it was (`file`, `directory`, `symlink`, …). */
  readonly file_removed: { readonly path: string; readonly kind: string } | null;
}

/**
 * The kill switch: one switch at three scopes (global, venue, agent). Pulling it records the halt in the store
 * (every instance on the database stops) and as the runtime root's HALT file (Vibe-Trading stops too), then
 * cancels every resting order in scope, flattens where the mandate says `flatten_on_halt`, and tells every
 * enforcer (the arena) in this process. The file is the switch on its root: `sync` keeps the store in agreement
 * with it (see core/halt/switch.ts), so a halt tripped or cleared on either side is tripped or cleared for both.
 */
export class HaltService {
  private readonly enforcers: HaltEnforcer[] = [];
  private readonly records: HaltRecords;
  private readonly agreement: HaltAgreement;
  private lastStraySweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: Pick<ServiceDeps, 'store' | 'clock' | 'events' | 'ids' | 'venues'>,
    private readonly files: HaltFiles,
    private readonly sweeper: HaltSweep,
  ) {
    this.records = new HaltRecords(deps);
    this.agreement = new HaltAgreement(deps, files, this.records, (scope, key, h) => this.sweepFor(scope, key, h));
  }

  addEnforcer(e: HaltEnforcer): () => void {
    this.enforcers.push(e);
    return () => this.enforcers.splice(this.enforcers.indexOf(e) >>> 0, 1);
  }

  private iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  async halt(scope: HaltScope, reason: string, by: string): Promise<HaltAnswer> {
    const now = this.deps.clock.now();
    const key = scopeKey(scope);
    const path = this.files.path(scope);
    const current = await this.records.get(key);
    let haltId = current?.state === 'halted' ? current.halt_id : this.deps.ids.next('halt');
    const since = current?.state === 'halted' ? current.tripped_at : this.iso(now);
    // The file first: once it exists this root is halted, whatever happens next. A file that cannot be written
    // never stops the halt (the store carries it); the answer says so.
    let file: HaltAnswer['file'] = null;
    const writeFile = (id: string) => {
      if (!path) return;
      try {
        this.files.write(path, { tripped_at: since, by, reason, halt_id: id, scope: key });
        file = { path, written: true };
      } catch (e) {
        file = { path, written: false, error: (e as Error).message };
      }
    };
    writeFile(haltId);
    const written = (file as HaltAnswer['file'])?.written === true;
    const { record } = await this.records.change(key, (cur) =>
      haltRecord(cur, { haltId, trippedAt: since, by, reason }, written ? this.files.rootId : null),
    );
    // Another halt of this scope got in first: its id is the one the file must carry.
    if (record && record.halt_id !== haltId) {
      haltId = record.halt_id;
      writeFile(haltId);
    }
    await this.records.setRow(key, reason);
    await this.records.ledger('halt', key, {
      scope: key,
      reason,
      by,
      ts: now,
      tripped_at: since,
      halt_id: haltId,
      source: 'arbiter',
      file: path,
      root: this.files.rootId,
    });
    const sweep = await this.sweepFor(scope, key, { haltId, by, reason });
    return {
      halted: true,
      scope,
      scope_key: key,
      reason,
      by,
      since,
      halt_id: haltId,
      file,
      ...sweepTotals(sweep),
      sweep,
    };
  }

  /** The switch's action for a halt just pulled (or adopted from a file): venues here, then every enforcer. */
  private async sweepFor(
    scope: HaltScope,
    key: string,
    h: { readonly haltId: string; readonly by: string; readonly reason: string },
  ): Promise<SweepReport[]> {
    const { haltId, by } = h;
    const reports: SweepReport[] = [];
    for (const venue of this.sweeper.venuesIn(scope)) reports.push(await this.sweeper.sweep(scope, venue, haltId, by));
    const inForce = await this.inForce();
    for (const e of this.enforcers) reports.push(...(await e.enforce(inForce, key).catch(() => [])));
    const totals = sweepTotals(reports);
    await this.records.change(key, (cur) =>
      cur?.state === 'halted' && cur.halt_id === haltId
        ? {
            ...cur,
            sweep: {
              cancelled: (cur.sweep?.cancelled ?? 0) + totals.cancelled,
              flattened: (cur.sweep?.flattened ?? 0) + totals.flattened,
              approvals_rejected: (cur.sweep?.approvals_rejected ?? 0) + totals.approvals_rejected,
            },
          }
        : null,
    );
    const now = this.deps.clock.now();
    await this.records.ledger('halt_sweep', key, {
      scope: key,
      halt_id: haltId,
      by,
      ts: now,
      ...totals,
      targets: reports,
    });
    this.deps.events.publish({
      type: 'halt',
      data: { scope: key, halted: true, reason: h.reason, by, ts: now, halt_id: haltId, ...totals },
    });
    return reports;
  }

  async resume(scope: HaltScope, by: string): Promise<ResumeAnswer> {
    const now = this.deps.clock.now();
    const key = scopeKey(scope);
    const path = this.files.path(scope);
    // The file first, whatever it is: if it cannot be removed the switch stays on everywhere (the error says why).
    const kind = path ? this.files.remove(path) : null;
    const row = (await this.deps.store.halts()).some((h) => h.scope === key);
    const { changed, record } = await this.records.change(key, (cur) =>
      cur?.state === 'halted' ? { ...cur, state: 'cleared', cleared_at: this.iso(now), cleared_by: by } : null,
    );
    await this.records.setRow(key, null);
    await this.records.ledger('resume', key, {
      scope: key,
      by,
      ts: now,
      halt_id: record?.halt_id ?? null,
      file_removed: kind,
    });
    await this.tellEnforcers();
    this.deps.events.publish({ type: 'halt', data: { scope: key, halted: false, by, ts: now } });
    return {
      resumed: true,
      scope,
      scope_key: key,
      was_halted: row || changed || kind !== null,
      file_removed: path && kind ? { path, kind } : null,
    };
  }

  /** A human clears the fleet-wide crash breaker. */
  async resetBreaker(by: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.resetBreaker(now);
    await this.records.ledger('breaker_reset', 'fleet', { by, ts: now });
  }

  private async tellEnforcers(): Promise<void> {
    if (this.enforcers.length === 0) return;
    const inForce = await this.inForce();
    for (const e of this.enforcers) await e.enforce(inForce, null).catch(() => []);
  }

  /** The scopes whose HALT file this root watches: global, every venue traded here, every broker with a file. */
  private fileScopes(records: ReadonlyMap<string, unknown>, rows: readonly { scope: string }[]): string[] {
    const keys = new Set<string>(['global']);
    for (const v of this.deps.venues.keys()) keys.add(`venue:${v}`);
    for (const e of this.enforcers) for (const v of e.venues) keys.add(`venue:${v}`);
    for (const b of this.files.brokersWithHalt()) keys.add(`venue:${b}`);
    for (const k of [...records.keys(), ...rows.map((r) => r.scope)]) if (k.startsWith('venue:')) keys.add(k);
    return [...keys];
  }

  /** Every halt in force: the store's records and rows, and HALT files on this root the store has not taken in yet. */
  async inForce(): Promise<HaltInForce[]> {
    const { rows, records } = await this.records.snapshot();
    const out = new Map<string, HaltInForce>();
    const fileOf = (key: string) => {
      const scope = scopeOfKey(key);
      const path = scope ? this.files.path(scope) : null;
      return path ? { path, kind: this.files.read(path).kind } : null;
    };
    for (const [key, r] of records) {
      if (r.state !== 'halted') continue;
      out.set(key, {
        scope: key,
        reason: r.reason,
        by: r.by,
        since: r.tripped_at,
        ts: Date.parse(r.tripped_at) || 0,
        halt_id: r.halt_id,
        source: r.source,
        file: fileOf(key),
        sweep: r.sweep ?? null,
      });
    }
    for (const row of rows) {
      if (out.has(row.scope)) continue;
      out.set(row.scope, {
        scope: row.scope,
        reason: row.reason,
        by: 'unknown',
        since: this.iso(row.ts),
        ts: row.ts,
        halt_id: null,
        source: 'store',
        file: fileOf(row.scope),
        sweep: null,
      });
    }
    for (const key of this.fileScopes(records, rows)) {
      if (out.has(key)) continue;
      const scope = scopeOfKey(key);
      const path = scope ? this.files.path(scope) : null;
      if (!path) continue;
      const f = this.files.read(path);
      if (!f.present) continue;
      const ts = f.tripped_at ? Date.parse(f.tripped_at) : Number.NaN;
      out.set(key, {
        scope: key,
        reason: f.reason ?? 'HALT file in the runtime root',
        by: f.by ?? 'file',
        since: f.tripped_at ?? '',
        ts: Number.isFinite(ts) ? ts : 0,
        halt_id: null,
        source: 'file',
        file: { path, kind: f.kind },
        sweep: null,
      });
    }
    // Widest first: global, then venues, then agents; by name within each.
    const rank = (k: string) => (k === 'global' ? 0 : k.startsWith('venue:') ? 1 : 2);
    return [...out.values()].sort(
      (a, b) => rank(a.scope) - rank(b.scope) || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0),
    );
  }

  /** What every door shows: the halts in force, and whether one stops `venue` (global or that venue). */
  async status(venue: string): Promise<{ halted: boolean; scopes: HaltInForce[] }> {
    const scopes = await this.inForce();
    return { halted: scopes.some((s) => s.scope === 'global' || s.scope === `venue:${venue}`), scopes };
  }

  /**
   * One agreement pass between this root's HALT files and the store (run every second by long-running processes
   * and before a CLI command trades): adopts a file that tripped the switch, clears a halt whose file was deleted,
   * writes the file of a halt pulled elsewhere, removes a file whose halt was cleared elsewhere, repairs store rows,
   * cancels resting orders that could add exposure while halted, and tells the enforcers.
   */
  async sync(): Promise<void> {
    const { rows, records } = await this.records.snapshot();
    const rowOf = new Map(rows.map((r) => [r.scope, r] as const));
    for (const key of this.fileScopes(records, rows)) {
      const scope = scopeOfKey(key);
      const path = scope ? this.files.path(scope) : null;
      if (!scope || !path) continue;
      await this.agreement.agree(scope, key, path, records.get(key) ?? null, rowOf.get(key) ?? null);
    }
    // Scopes without a file (agents): the store row follows the record.
    for (const [key, r] of records) {
      const scope = scopeOfKey(key);
      if (!scope || this.files.path(scope)) continue;
      const row = rowOf.get(key);
      if (r.state === 'halted' && !row) await this.records.setRow(key, r.reason);
      if (r.state === 'cleared' && row) await this.records.setRow(key, null);
    }
    await this.sweepStrays();
    await this.tellEnforcers();
  }

  /** While halted, a resting order that could add exposure is cancelled (one decided just before the switch). */
  private async sweepStrays(): Promise<void> {
    const now = this.deps.clock.now();
    if (now - this.lastStraySweep < 5_000) return;
    this.lastStraySweep = now;
    const halted = (await this.inForce()).filter((h) => h.source !== 'file');
    for (const h of halted) {
      const scope = scopeOfKey(h.scope);
      if (!scope) continue;
      for (const venue of this.sweeper.venuesIn(scope)) {
        const v = this.deps.venues.get(venue);
        if (!v) continue;
        const failures: string[] = [];
        const accounts = await this.sweeper.accounts(venue, scope);
        const n = await this.sweeper.cancelResting(venue, v, accounts, h.halt_id ?? 'halt', true, failures);
        if (n > 0)
          await this.records.ledger('halt_sweep', h.scope, {
            scope: h.scope,
            halt_id: h.halt_id,
            ts: now,
            cancelled: n,
            late: true,
          });
      }
    }
  }
}
