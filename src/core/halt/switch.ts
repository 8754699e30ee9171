/**
 * The kill switch's one rule for how a runtime root's HALT file and the store agree.
 *
 * The HALT file is the switch on a runtime root: it halts by existing (any kind of path), whoever wrote it,
 * Vibe-Trading or Arbiter, and deleting it is how either side clears it. The store carries the same switch to
 * every instance on the database (several `serve` instances need not share one runtime root), and keeps one
 * record per scope: the halt in force or the last one cleared, with the runtime roots whose file carried it.
 * Every instance, on its own root, repeatedly compares the two and makes one move, decided here:
 *
 * | store says        | file on this root                              | move                                   |
 * |-------------------|------------------------------------------------|----------------------------------------|
 * | halted            | present (a file not noted yet: note its mark)  | note that this root carries the halt   |
 * | halted            | absent, this root carried it                   | clear (someone deleted the file)       |
 * | halted            | absent, this root never carried it             | write the file here                    |
 * | cleared / nothing | present, the very file that carried the halt   | remove the stale file                  |
 * | cleared / nothing | present, anything else                         | adopt: the file tripped the switch     |
 * | cleared / nothing | absent                                         | nothing                                |
 *
 * A file is recognised by its mark: Arbiter's `halt_id`, Vibe-Trading's `tripped_at`, or, for anything without
 * a readable body (a directory, a symlink, an empty file), the path's own identity (inode, modification time).
 * A path that cannot be examined has no mark: it is adopted, never taken for stale. Between moves both sides
 * halt on their own (a file or a store row each refuse new exposure), so the rule only ever converges: it never
 * lets an order through that either side would stop.
 */

export type HaltScope =
  | { readonly kind: 'global' }
  | { readonly kind: 'venue'; readonly venue: string }
  | { readonly kind: 'agent'; readonly agent: string };

/** The scope's key in the store and the ledger: `global`, `venue:<venue>`, `agent:<agent>`. */
export function scopeKey(scope: HaltScope): string {
  return scope.kind === 'global' ? 'global' : scope.kind === 'venue' ? `venue:${scope.venue}` : `agent:${scope.agent}`;
}

export function scopeOfKey(key: string): HaltScope | null {
  if (key === 'global') return { kind: 'global' };
  if (key.startsWith('venue:') && key.length > 6) return { kind: 'venue', venue: key.slice(6) };
  if (key.startsWith('agent:') && key.length > 6) return { kind: 'agent', agent: key.slice(6) };
  return null;
}

/** Whether a halt of `key` stops trading by `agent` on `venue`. */
export function scopeCovers(key: string, venue: string, agent: string): boolean {
  return key === 'global' || key === `venue:${venue}` || key === `agent:${agent}`;
}

/** The store's record of one scope's switch (a document per scope; the history is in the ledger). */
export interface SwitchRecord {
  readonly state: 'halted' | 'cleared';
  /** Unique per halt: what a file Arbiter writes carries as `halt_id`. */
  readonly halt_id: string;
  /** Vibe-Trading's sentinel fields, as written or as read from the file that tripped it. */
  readonly tripped_at: string;
  readonly by: string;
  readonly reason: string;
  /** `arbiter` (halted through Arbiter) or `file` (a HALT file found in a runtime root tripped it). */
  readonly source: 'arbiter' | 'file';
  /** The mark of the file that tripped it (see `FileSeen.mark`), so that file is recognised once cleared. */
  readonly file_mark: string | null;
  /**
   * Runtime roots whose HALT file carried this halt, each with that file's mark: a file missing from one of them
   * was deleted (the halt is cleared); the same file still there once the halt is cleared is stale.
   */
  readonly roots: Readonly<Record<string, string | null>>;
  readonly cleared_at: string | null;
  readonly cleared_by: string | null;
}

/** What one runtime root's HALT path holds right now. */
export interface FileSeen {
  readonly present: boolean;
  /**
   * Which trip the file is: its `halt_id` when Arbiter wrote it, else `tripped_at:<value>` from its body, else
   * the path's own identity (a directory, a symlink, an empty or malformed body), else null (it could not be
   * examined: it cannot be recognised).
   */
  readonly mark: string | null;
  /** Vibe-Trading's attribution fields, when the body could be read. */
  readonly tripped_at: string | null;
  readonly by: string | null;
  readonly reason: string | null;
}

export type Move =
  | { readonly kind: 'none' }
  | { readonly kind: 'note_root' }
  | { readonly kind: 'write_file' }
  | { readonly kind: 'clear' }
  | { readonly kind: 'remove_stale_file' }
  | { readonly kind: 'adopt' };

/** The one move that brings this root's file and the store's record into agreement (see the table above). */
export function agree(record: SwitchRecord | null, file: FileSeen, root: string): Move {
  const carried = record ? Object.hasOwn(record.roots, root) : false;
  if (record?.state === 'halted') {
    if (file.present) return carried && record.roots[root] === file.mark ? { kind: 'none' } : { kind: 'note_root' };
    return carried ? { kind: 'clear' } : { kind: 'write_file' };
  }
  if (!file.present) return { kind: 'none' };
  const m = file.mark;
  if (record && m !== null && (m === record.halt_id || m === record.file_mark || (carried && m === record.roots[root])))
    return { kind: 'remove_stale_file' };
  return { kind: 'adopt' };
}

export interface MoveContext {
  readonly root: string;
  readonly now: string;
  /** A fresh halt id, used when the move adopts a file. */
  readonly newHaltId: string;
  /** Who cleared it, when the move clears. */
  readonly clearedBy: string;
}

/** The record after a move (the store writes it under its document lock). Moves that change nothing return it. */
export function applyMove(
  record: SwitchRecord | null,
  move: Move,
  file: FileSeen,
  c: MoveContext,
): SwitchRecord | null {
  switch (move.kind) {
    case 'note_root':
      return record ? { ...record, roots: { ...record.roots, [c.root]: file.mark } } : record;
    case 'clear':
      return record ? { ...record, state: 'cleared', cleared_at: c.now, cleared_by: c.clearedBy } : record;
    case 'adopt':
      return {
        state: 'halted',
        halt_id: c.newHaltId,
        tripped_at: file.tripped_at ?? c.now,
        by: file.by ?? 'file',
        reason: file.reason ?? 'HALT file in the runtime root',
        source: 'file',
        file_mark: file.mark,
        roots: { [c.root]: file.mark },
        cleared_at: null,
        cleared_by: null,
      };
    default:
      return record;
  }
}

/**
 * A halt started through Arbiter: a halt already in force keeps its id and roots (its files stay recognisable).
 * `root`: the runtime root whose HALT file was just written with the halt's id, if any.
 */
export function haltRecord(
  current: SwitchRecord | null,
  h: { readonly haltId: string; readonly trippedAt: string; readonly by: string; readonly reason: string },
  root: string | null,
): SwitchRecord {
  if (current?.state === 'halted') {
    const roots = root ? { ...current.roots, [root]: current.halt_id } : current.roots;
    return { ...current, by: h.by, reason: h.reason, roots };
  }
  return {
    state: 'halted',
    halt_id: h.haltId,
    tripped_at: h.trippedAt,
    by: h.by,
    reason: h.reason,
    source: 'arbiter',
    file_mark: null,
    roots: root ? { [root]: h.haltId } : {},
    cleared_at: null,
    cleared_by: null,
  };
}
