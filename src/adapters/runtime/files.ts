import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

let tmpSerial = 0;
/** A temporary name no other write of this process (or another) is using. */
const tmpName = (path: string) => `${path}.${process.pid}.${Date.now()}.${++tmpSerial}.tmp`;

/** Writes `content` to a new temporary file beside `path` (creating the folder) and fsyncs it; returns its name. */
function writeTemp(path: string, content: string, mode: number): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = tmpName(path);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/** Writes a file atomically (temp file, fsync, rename) with the given mode. */
export function writeFileAtomic(path: string, content: string, mode = 0o644): void {
  renameSync(writeTemp(path, content, mode), path);
}

/** Flushes a directory's entries (a new name in it survives a crash). Not every platform can open a directory. */
function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort (e.g. Windows)
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Creates `path` with `make()`'s content unless it exists, atomically across processes, and returns what is in it
 * afterwards: the content is written to a temporary file and fsynced, then linked to `path`, which fails if another
 * process got there first (create-exclusive); then everyone reads the one file that won. A reader never sees a
 * partly written file, and no process keeps a value that lost.
 */
export function createFileOnce(
  path: string,
  make: () => string,
  mode = 0o600,
): { readonly content: string; readonly created: boolean } {
  const existing = readIfExists(path);
  if (existing !== null) return { content: existing, created: false };
  const content = make();
  const tmp = writeTemp(path, content, mode);
  let created = false;
  try {
    linkSync(tmp, path);
    created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  if (created) {
    fsyncDir(dirname(path));
    return { content, created };
  }
  return { content: readFileSync(path, 'utf8'), created: false };
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** `writeFileAtomic` with the writes and the fsync on libuv's thread pool, so the event loop is not held. */
export async function writeFileAtomicAsync(path: string, content: string, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = tmpName(path);
  const file = await open(tmp, 'w', mode);
  try {
    await file.writeFile(content);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
}

/** Appends one line with O_APPEND so concurrent writers never interleave within a line. */
export function appendLine(path: string, line: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'a', 0o600);
  try {
    writeSync(fd, `${line}\n`);
  } finally {
    closeSync(fd);
  }
}
