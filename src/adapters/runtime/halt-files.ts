import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, lstatSync, openSync, readFileSync, rmSync, type Stats, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FileSeen } from '../../core/halt/switch.js';
import { writeFileAtomic } from './files.js';
import type { RuntimeLayout } from './layout.js';

/** What a HALT path is. Anything but `null` halts. */
export type HaltPathKind = 'file' | 'directory' | 'symlink' | 'other' | 'unknown' | null;

/**
 * The kind of thing at a HALT path, without following a symlink (a dangling one halts too). Errors other than
 * "no such path" (a permission problem on the way) are `unknown`, which halts: the switch fails closed.
 */
export function haltPathKind(path: string): HaltPathKind {
  let st: Stats | undefined;
  try {
    st = lstatSync(path, { throwIfNoEntry: false });
  } catch (e) {
    // A path whose parent is a file cannot exist; anything else (EACCES, ELOOP, …) cannot be ruled out.
    return (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? null : 'unknown';
  }
  if (!st) return null;
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** A path the runtime layout cannot even name (an invalid broker) is treated as halted, as Vibe-Trading does. */
function brokerHaltKind(layout: RuntimeLayout, broker: string): HaltPathKind {
  let path: string;
  try {
    path = layout.brokerHalt(broker);
  } catch {
    return 'unknown';
  }
  return haltPathKind(path);
}

/** The hot-path check: two lstat calls. A sentinel halts by existing, whatever it is and whatever it holds. */
export function fileHalts(layout: RuntimeLayout, broker: string): { global: boolean; venue: boolean } {
  return { global: haltPathKind(layout.globalHalt()) !== null, venue: brokerHaltKind(layout, broker) !== null };
}

const text = (v: unknown, max = 500): string | null => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : null);

/**
 * What a HALT path holds. The body is attribution only (Vibe-Trading's `{tripped_at, by, reason}`, plus
 * Arbiter's `halt_id`). Its mark says which trip it is: the `halt_id`, else its `tripped_at`, else (an empty,
 * malformed or unreadable body, a directory, a symlink) what lstat says of the path itself, so the same thing is
 * recognised later and a new one (Vibe-Trading replaces the file) is not. A path that cannot be examined has none.
 */
export function readHaltPath(path: string): FileSeen & { readonly kind: HaltPathKind } {
  const kind = haltPathKind(path);
  let mark: string | null = null;
  try {
    const st = kind === null || kind === 'unknown' ? undefined : lstatSync(path, { throwIfNoEntry: false });
    if (st) mark = `lstat:${kind}:${st.dev}:${st.ino}:${st.mtimeMs}`;
  } catch {
    mark = null;
  }
  const none = { present: kind !== null, kind, mark, tripped_at: null, by: null, reason: null };
  if (kind !== 'file') return none;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return none;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return none;
  const o = raw as Record<string, unknown>;
  const haltId = text(o.halt_id, 128);
  const trippedAt = text(o.tripped_at, 64);
  return {
    ...none,
    mark: haltId ?? (trippedAt ? `tripped_at:${trippedAt}` : mark),
    tripped_at: trippedAt,
    by: text(o.by, 128),
    reason: text(o.reason),
  };
}

export interface HaltBody {
  readonly tripped_at: string;
  readonly by: string;
  readonly reason: string;
  readonly halt_id?: string;
  readonly scope?: string;
}

/**
 * Writes a sentinel with Vibe-Trading's fields first (`tripped_at`, `by`, `reason`) and Arbiter's extras after,
 * atomically (temp file + rename), as Vibe-Trading's `trip_halt` does.
 */
export function writeHaltFile(path: string, body: HaltBody | string, now = Date.now()): void {
  const b: HaltBody =
    typeof body === 'string' ? { tripped_at: new Date(now).toISOString(), by: 'arbiter', reason: body } : body;
  writeFileAtomic(path, `${JSON.stringify(b)}\n`, 0o600);
}

export class HaltPathError extends Error {
  readonly code = 'HALT_FILE_NOT_REMOVED';
  constructor(
    readonly path: string,
    readonly kind: HaltPathKind,
    cause: string,
  ) {
    super(`HALT_FILE_NOT_REMOVED: path=${path} kind=${kind} ${cause}`);
  }
}

/**
 * Clears a sentinel whatever it is: a file or a symlink (the link, never its target) is unlinked, a directory is
 * removed with its contents. Returns what was there (null: nothing). Throws HaltPathError when it stays.
 */
export function removeHaltPath(path: string): HaltPathKind {
  const kind = haltPathKind(path);
  if (kind === null) return null;
  try {
    rmSync(path, { recursive: kind === 'directory', force: true });
  } catch (e) {
    throw new HaltPathError(path, kind, `(${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (haltPathKind(path) !== null) throw new HaltPathError(path, kind, '(still there after removal)');
  return kind;
}

/** Kept for callers that only need a yes/no (true: something was removed). */
export function removeHaltFile(path: string): boolean {
  return removeHaltPath(path) !== null;
}

/**
 * The runtime root's identity: a random id kept in `ARBITER_HOME/runtime-root.id`, made once (the first process
 * to create it wins; the others read it). Instances sharing a root share the id; another machine's root has its own.
 */
export function runtimeRootId(layout: RuntimeLayout): string {
  const path = join(layout.root, 'runtime-root.id');
  const read = (): string | null => {
    try {
      const id = readFileSync(path, 'utf8').trim();
      return /^[0-9a-f-]{36}$/.test(id) ? id : null;
    } catch {
      return null;
    }
  };
  const known = read();
  if (known) return known;
  const id = randomUUID();
  // Created whole or not at all: the content goes into a temp file that is then hard-linked into place (a link
  // fails if the name exists), so no reader ever sees an empty id.
  const tmp = `${path}.${process.pid}.${id}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, `${id}\n`);
    } finally {
      closeSync(fd);
    }
    linkSync(tmp, path);
    return id;
  } catch {
    // Another process made it first (or the root is read-only: then this process is its own root).
    return read() ?? id;
  } finally {
    rmSync(tmp, { force: true });
  }
}
