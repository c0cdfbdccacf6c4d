/**
 * Replace a file atomically: write a temp file in the same directory, fsync it, rename it over the
 * target, fsync the directory. Readers see the old content or the new, never a mix.
 */
import {
  closeSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  renameSync,
  statfsSync,
  unlinkSync,
  writeFileSync,
  promises as fsPromises,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AtomicWriteError } from './errors.js';
import { isProcessAlive } from './process-alive.js';
import { randomHex } from './random.js';

/** Options of {@link writeFileAtomic} and {@link writeFileAtomicSync}. */
export interface WriteFileAtomicOptions {
  /** Mode of the new file. Default 0o600. */
  readonly mode?: number;
}

/**
 * Atomically replace `path` with `data` (a string is written as UTF-8). The temp file
 * `<path>.tmp.<pid>.<random>` is removed on any error, and temp files of earlier writers of `path`
 * that died before renaming theirs (see {@link removeStaleTempFiles}) are removed first.
 * @throws {AtomicWriteError} (`ATOMIC_WRITE_FAILED`, with the file-system error as `cause`), also
 *   when `path` cannot be replaced (see {@link replaceableFileProblem}; nothing is written).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = await fsPromises.open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsPromises.rename(temp, path);
  } catch (error) {
    await fsPromises.unlink(temp).catch(() => undefined);
    throw new AtomicWriteError(path, error);
  }
  await syncDirectory(path);
}

/**
 * Synchronous {@link writeFileAtomic}, for callers that cannot await.
 * @throws {AtomicWriteError} (`ATOMIC_WRITE_FAILED`, with the file-system error as `cause`), also
 *   when `path` cannot be replaced (see {@link replaceableFileProblem}; nothing is written).
 */
export function writeFileAtomicSync(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): void {
  const temp = tempPathFor(path);
  try {
    const fd = openSync(temp, 'wx', options.mode ?? 0o600);
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw new AtomicWriteError(path, error);
  }
  syncDirectorySync(path);
}

/**
 * Atomically replace `path` with what `produce` writes through the `write` it is given (chunks go
 * straight to the temp file, so a large document never sits in memory whole), then fsync, rename
 * and fsync the directory, as {@link writeFileAtomic}; `produce` also gets the temp file's
 * descriptor (for a worker thread that writes to it; done by the time `produce` settles). Returns
 * what `produce` returns. An error
 * thrown by `produce` is rethrown as it is; the temp file is removed on any error.
 * @throws {AtomicWriteError} (`ATOMIC_WRITE_FAILED`) when the file system fails, or `path` cannot
 *   be replaced (see {@link replaceableFileProblem}; nothing is written).
 */
export async function writeFileAtomicStream<T>(
  path: string,
  produce: (write: (chunk: string | Uint8Array) => void, fd: number) => Promise<T> | T,
  options: WriteFileAtomicOptions = {},
): Promise<T> {
  const temp = tempPathFor(path);
  let produced = false;
  let result: T;
  try {
    const fd = openSync(temp, 'wx', options.mode ?? 0o600);
    try {
      result = await produce((chunk) => writeFileSync(fd, chunk), fd);
      produced = true;
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    if (!produced && !isFileSystemError(error)) throw error;
    throw new AtomicWriteError(path, error);
  }
  await syncDirectory(path);
  return result;
}

/** A Node file-system error (it carries a string `code` such as `ENOSPC`). */
function isFileSystemError(error: unknown): boolean {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { syscall?: unknown }).syscall === 'string'
  );
}

/** File-system types of kernel interfaces (statfs magic numbers): never a place for our files. */
const KERNEL_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x63677270, 'cgroup2'],
  [0x27e0eb, 'cgroup'],
  [0x64626720, 'debugfs'],
  [0x73636673, 'securityfs'],
]);

function describeType(stats: {
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
}): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Why `path` cannot be replaced by an atomic write, or null when it can: the target must be absent
 * or a regular file (a rename would otherwise replace a device, a directory or a symlink itself),
 * and its directory must not be a kernel interface (`/proc`, `/sys`, …).
 */
export function replaceableFileProblem(path: string): string | null {
  try {
    const stats = lstatSync(path);
    if (!stats.isFile()) return `${path} is ${describeType(stats)}, not a regular file`;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOTDIR') return `a parent of ${path} is not a directory`;
    if (code !== 'ENOENT') return `${path} cannot be checked (${(error as Error).message})`;
  }
  try {
    const kind = KERNEL_FILE_SYSTEMS.get(Number(statfsSync(dirname(path)).type));
    if (kind !== undefined)
      return `${dirname(path)} is a kernel file system (${kind}), not a place for files`;
  } catch {
    // The directory does not exist yet (it is created) or cannot be examined (the write says why).
  }
  return null;
}

function tempPathFor(path: string): string {
  const problem = replaceableFileProblem(path);
  if (problem !== null) throw new AtomicWriteError(path, new Error(problem));
  removeStaleTempFiles(path);
  return `${path}.tmp.${process.pid}.${randomHex(6)}`;
}

/**
 * Remove `<path>.tmp.<pid>.<random>` files left by writers of `path` that were killed before they
 * renamed theirs (their process no longer exists). Temp files of live processes, and any file
 * that does not have exactly that shape, are left alone. Best effort: errors are ignored.
 */
function removeStaleTempFiles(path: string): void {
  const prefix = `${basename(path)}.tmp.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]+$/.exec(name.slice(prefix.length));
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isProcessAlive(pid)) continue;
    removeQuietly(join(dirname(path), name));
  }
}

/** Remove a file if it is there (never created, already renamed, or not ours: all fine). */
function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Nothing to remove, or not ours to remove.
  }
}

/** Make the rename durable; some platforms cannot fsync a directory, so this is best effort. */
async function syncDirectory(path: string): Promise<void> {
  try {
    const handle = await fsPromises.open(dirname(path), 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort.
  }
}

function syncDirectorySync(path: string): void {
  try {
    const fd = openSync(dirname(path), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort.
  }
}
