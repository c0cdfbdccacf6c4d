/**
 * Replace a file atomically: write a temp file in the same directory, fsync it, rename it over the
 * target, fsync the directory. Readers see the old content or the new, never a mix.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AtomicWriteError } from './errors.js';
import { randomHex } from './random.js';

/** Options of {@link writeFileAtomic} and {@link writeFileAtomicSync}. */
export interface WriteFileAtomicOptions {
  /** Mode of the new file. Default 0o600. */
  readonly mode?: number;
}

/**
 * Atomically replace `path` with `data` (a string is written as UTF-8). The temp file
 * `<path>.tmp.<pid>.<random>` is removed on any error.
 * @throws {AtomicWriteError} (`ATOMIC_WRITE_FAILED`, with the file-system error as `cause`).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new AtomicWriteError(path, error);
  }
  await syncDirectory(path);
}

/**
 * Synchronous {@link writeFileAtomic}, for callers that cannot await.
 * @throws {AtomicWriteError} (`ATOMIC_WRITE_FAILED`, with the file-system error as `cause`).
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
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
    throw new AtomicWriteError(path, error);
  }
  syncDirectorySync(path);
}

/**
 * Atomically replace `path` with what `produce` writes through the `write` it is given (chunks go
 * straight to the temp file, so a large document never sits in memory whole), then fsync, rename
 * and fsync the directory, as {@link writeFileAtomic}. Returns what `produce` returns. An error
 * thrown by `produce` is rethrown as it is; the temp file is removed on any error.
 * @throws {AtomicWriteError} (`ATOMIC_WRITE_FAILED`) when the file system fails.
 */
export async function writeFileAtomicStream<T>(
  path: string,
  produce: (write: (chunk: string | Uint8Array) => void) => Promise<T> | T,
  options: WriteFileAtomicOptions = {},
): Promise<T> {
  const temp = tempPathFor(path);
  let produced = false;
  let result: T;
  try {
    const fd = openSync(temp, 'wx', options.mode ?? 0o600);
    try {
      result = await produce((chunk) => writeFileSync(fd, chunk));
      produced = true;
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
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

function tempPathFor(path: string): string {
  return `${path}.tmp.${process.pid}.${randomHex(6)}`;
}

/** Make the rename durable; some platforms cannot fsync a directory, so this is best effort. */
async function syncDirectory(path: string): Promise<void> {
  try {
    const handle = await open(dirname(path), 'r');
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
