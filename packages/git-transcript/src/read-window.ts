import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Stats } from 'node:fs';

/** `O_NONBLOCK` where the platform has it: opening a FIFO must never wait for a writer. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Result of {@link openRegularFile}. */
export type OpenResult =
  | { readonly kind: 'open'; readonly fd: number; readonly stat: Stats }
  | { readonly kind: 'missing'; readonly code: string }
  | { readonly kind: 'not_regular' }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

/** `error.code` of a Node error, or `'EUNKNOWN'`. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

/** The message of an error value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Open `path` read-only and non-blocking, and keep it open only if it is a regular file (checked
 * with `fstat` before any read, so a FIFO or a device is never read). Never throws.
 */
export function openRegularFile(path: string): OpenResult {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing', code };
    if (code === 'EISDIR') return { kind: 'not_regular' };
    return { kind: 'error', code, message: errorMessage(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isFile()) return { kind: 'open', fd, stat };
    closeQuietly(fd);
    return { kind: 'not_regular' };
  } catch (error) {
    closeQuietly(fd);
    return { kind: 'error', code: errorCode(error), message: errorMessage(error) };
  }
}

/** Close `fd`, ignoring errors. */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing useful to do: the descriptor is gone either way.
  }
}

/**
 * Read up to `length` bytes at `position`; fewer when the file is shorter (it may have been
 * truncated since `fstat`). May throw the `readSync` error; callers catch.
 */
export function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const n = readSync(fd, buffer, filled, length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}
