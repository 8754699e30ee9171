import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { SqliteStore } from '../../src/adapters/store/sqlite-store.js';
import { RandomIdGen } from '../../src/adapters/system/clock.js';
import { SimpleEventBus } from '../../src/adapters/system/event-bus.js';
import { agree, type FileSeen, type SwitchRecord } from '../../src/core/halt/switch.js';
import type { HaltFiles } from '../../src/services/halt-agreement.js';
import { HaltService } from '../../src/services/halt-service.js';
import { HaltSweep } from '../../src/services/halt-sweep.js';

/** One runtime root's `live/HALT`, in memory: a Vibe-Trading body, Arbiter's body, or something unreadable. */
type Entry = { kind: 'file'; body: Record<string, string> } | { kind: 'directory' | 'symlink'; inode: number };

class MemoryRoot implements HaltFiles {
  readonly entries = new Map<string, Entry>();
  constructor(readonly rootId: string) {}
  path(scope: { kind: string }): string | null {
    return scope.kind === 'global' ? `${this.rootId}/live/HALT` : null;
  }
  read(path: string): FileSeen & { kind: string | null } {
    const e = this.entries.get(path);
    if (!e) return { present: false, kind: null, mark: null, tripped_at: null, by: null, reason: null };
    if (e.kind !== 'file') {
      // As the adapter marks it: by the path's own identity (lstat), since it has no body to read.
      const mark = `lstat:${e.kind}:${e.inode}`;
      return { present: true, kind: e.kind, mark, tripped_at: null, by: null, reason: null };
    }
    const b = e.body;
    return {
      present: true,
      kind: 'file',
      mark: b.halt_id ?? (b.tripped_at ? `tripped_at:${b.tripped_at}` : null),
      tripped_at: b.tripped_at ?? null,
      by: b.by ?? null,
      reason: b.reason ?? null,
    };
  }
  write(path: string, body: Readonly<Record<string, string>>): void {
    this.entries.set(path, { kind: 'file', body: { ...body } });
  }
  remove(path: string): string | null {
    const e = this.entries.get(path);
    this.entries.delete(path);
    return e?.kind ?? null;
  }
  brokersWithHalt(): readonly string[] {
    return [];
  }
  get halted(): boolean {
    return this.entries.has(`${this.rootId}/live/HALT`);
  }
}

/** Two instances with their own runtime roots on one store (as two machines on one PostgreSQL). */
async function world() {
  const store = new SqliteStore({ path: ':memory:', hasher: nodeHasher });
  let t = Date.parse('2026-01-01T00:00:00Z');
  const clock = { now: () => (t += 7) };
  const roots = [new MemoryRoot('root-a'), new MemoryRoot('root-b')];
  const services = roots.map((root) => {
    const deps = {
      store,
      clock,
      events: new SimpleEventBus(),
      ids: new RandomIdGen(clock),
      venues: new Map(),
      mandates: { load: () => ({ ok: false as const, code: 'MANDATE_MISSING' as const, message: 'none' }) },
    };
    // No venue here: the sweep has nothing to cancel or flatten (this is about the switch's agreement only).
    const sweep = new HaltSweep(deps, null as never, null as never, null as never, { accountId: 'main', agentId: 'x' });
    return new HaltService(deps, root, sweep);
  });
  const rowHalted = async () => (await store.halts()).some((h) => h.scope === 'global');
  /** Every instance syncs, twice round: the moves of one are seen by the other. */
  const converge = async () => {
    for (let i = 0; i < 3; i++) for (const s of services) await s.sync();
  };
  let trips = 0;
  const op = async (o: Op) => {
    const root = roots[o.root]!;
    const path = `${root.rootId}/live/HALT`;
    switch (o.kind) {
      case 'vt-trip':
        trips += 1;
        root.write(path, { tripped_at: new Date(clock.now()).toISOString(), by: 'cli', reason: `trip ${trips}` });
        return;
      case 'vt-clear':
        root.remove(path);
        return;
      case 'touch-dir':
        trips += 1;
        root.entries.set(path, { kind: 'directory', inode: trips });
        return;
      case 'halt':
        await services[o.root]!.halt({ kind: 'global' }, 'desk', 'test');
        return;
      case 'resume':
        await services[o.root]!.resume({ kind: 'global' }, 'test');
        return;
      case 'sync':
        await services[o.root]!.sync();
        return;
    }
  };
  return { store, roots, services, rowHalted, converge, op };
}

type Op = { kind: 'vt-trip' | 'vt-clear' | 'touch-dir' | 'halt' | 'resume' | 'sync'; root: 0 | 1 };
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('vt-trip', 'vt-clear', 'touch-dir', 'halt', 'resume', 'sync', 'sync'),
  root: fc.constantFrom(0, 1),
}) as fc.Arbitrary<Op>;

describe('the HALT file and the store agree (core/halt/switch.ts applied by two instances with two roots)', () => {
  it('the move table: a halted record keeps or writes the file; a missing file it carried clears it; a file is adopted unless it is the cleared halt’s', () => {
    const rec = (p: Partial<SwitchRecord>): SwitchRecord => ({
      state: 'halted',
      halt_id: 'halt_1',
      tripped_at: 't',
      by: 'x',
      reason: 'r',
      source: 'arbiter',
      file_mark: null,
      roots: { A: 'halt_1' },
      cleared_at: null,
      cleared_by: null,
      ...p,
    });
    const file = (mark: string | null, present = true): FileSeen => ({
      present,
      mark,
      tripped_at: null,
      by: null,
      reason: null,
    });
    const cases: [SwitchRecord | null, FileSeen, string, string][] = [
      [rec({}), file('halt_1'), 'A', 'none'],
      [rec({}), file('tripped_at:again'), 'A', 'note_root'],
      [rec({}), file(null), 'B', 'note_root'],
      [rec({}), file(null, false), 'A', 'clear'],
      [rec({}), file(null, false), 'B', 'write_file'],
      [rec({ state: 'cleared' }), file('halt_1'), 'B', 'remove_stale_file'],
      [rec({ state: 'cleared', file_mark: 'tripped_at:t' }), file('tripped_at:t'), 'A', 'remove_stale_file'],
      [rec({ state: 'cleared', roots: { A: 'lstat:x' } }), file('lstat:x'), 'A', 'remove_stale_file'],
      [rec({ state: 'cleared', roots: { A: 'lstat:x' } }), file('lstat:x'), 'B', 'adopt'],
      [rec({ state: 'cleared' }), file('tripped_at:other'), 'A', 'adopt'],
      [rec({ state: 'cleared' }), file(null), 'A', 'adopt'],
      [null, file(null), 'A', 'adopt'],
      [null, file(null, false), 'A', 'none'],
      [rec({ state: 'cleared' }), file(null, false), 'A', 'none'],
    ];
    for (const [r, f, root, want] of cases)
      expect(agree(r, f, root).kind, `${JSON.stringify({ r: r?.state, f, root })}`).toBe(want);
  });

  it('from any history, once both instances have synced, every root and the store say the same thing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 12 }), async (ops) => {
        const w = await world();
        try {
          for (const o of ops) await w.op(o);
          await w.converge();
          const said = [w.roots[0]!.halted, w.roots[1]!.halted, await w.rowHalted()];
          expect(
            new Set(said).size,
            `roots and store disagree: ${JSON.stringify(said)} after ${JSON.stringify(ops)}`,
          ).toBe(1);
        } finally {
          await w.store.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('from any agreed state, the last act wins everywhere: a trip or halt on either side halts; a resume or a Vibe-Trading clear clears', async () => {
    const last = fc.record({
      kind: fc.constantFrom('vt-trip', 'touch-dir', 'halt', 'resume', 'vt-clear'),
      root: fc.constantFrom(0, 1),
    }) as fc.Arbitrary<Op>;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 10 }), last, async (ops, final) => {
        const w = await world();
        try {
          for (const o of ops) await w.op(o);
          await w.converge();
          const wasHalted = await w.rowHalted();
          await w.op(final);
          await w.converge();
          const halted = await w.rowHalted();
          const why = `${JSON.stringify(ops)} then ${JSON.stringify(final)}`;
          if (final.kind === 'vt-trip' || final.kind === 'touch-dir' || final.kind === 'halt')
            expect(halted, `a trip must halt everywhere: ${why}`).toBe(true);
          else if (final.kind === 'resume') expect(halted, `a resume must clear everywhere: ${why}`).toBe(false);
          else expect(halted, `deleting the file of an agreed halt clears it everywhere: ${why}`).toBe(false);
          expect([w.roots[0]!.halted, w.roots[1]!.halted], why).toEqual([halted, halted]);
          if (!wasHalted && final.kind === 'vt-clear') expect(halted).toBe(false);
        } finally {
          await w.store.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
