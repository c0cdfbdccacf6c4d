/**
 * Synchronous streaming scan of a log file, for callers that fold a whole log inside one
 * synchronous transaction (the store's rebuild): bounded memory, like `streamLog`.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isErrnoCode } from './errno.js';
import { LogOffsetError } from './errors.js';
import { assertOffset, LogScanner, READ_CHUNK_BYTES } from './scan-log.js';
import type { ClaimLogLine, LogScanOptions, LogScanResult } from './scan-log.js';

/** Options of {@link scanLogSync}: `streamLog`'s, and a claim on lines before they are parsed. */
export interface ScanLogSyncOptions extends LogScanOptions {
  /** See {@link ClaimLogLine}; without it every line is parsed. */
  readonly claim?: ClaimLogLine;
}

/**
 * Scan the log at `path` from byte `from` in chunks of 1 MiB, calling `onEvent` for each line
 * that parses; same results as `streamLog`, synchronously. A missing file is an empty log.
 * @throws {LogOffsetError} when `from` is past the end of the file.
 * @throws {TypeError} when `from` is not a non-negative integer.
 * @throws whatever `onEvent` throws (the file is closed first).
 */
export function scanLogSync(path: string, options: ScanLogSyncOptions): LogScanResult {
  const from = options.from ?? 0;
  assertOffset('scanLogSync', from);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (!isErrnoCode(error, 'ENOENT')) throw error;
    if (from > 0) throw new LogOffsetError(path, from, 0);
    return { endOffset: 0, eventCount: 0, corruptions: [] };
  }
  try {
    const { size } = fstatSync(fd);
    if (from > size) throw new LogOffsetError(path, from, size);
    const scanner = new LogScanner(from, options.onEvent, options.claim);
    // A short catch-up read (the common case) does not need a whole chunk.
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, Math.max(size - from, 8192)));
    let position = from;
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      scanner.push(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
    return scanner.finish();
  } finally {
    closeSync(fd);
  }
}
