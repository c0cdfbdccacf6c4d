/**
 * Asynchronous, streaming readers of a log file: {@link streamLog} hands each event to a callback
 * (memory bounded by one chunk plus one line, so multi-GB logs work); {@link readLog} collects them.
 */
// fs.promises, not node:fs/promises: Node loads its promise API on first use, so a process that
// never reads a log this way (the hook, `find`) does not pay for it at start.
import { promises as fsPromises } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { LogOffsetError } from './errors.js';
import { isErrnoCode } from './errno.js';
import { assertOffset, LogScanner, READ_CHUNK_BYTES } from './scan-log.js';
import type { LogScanOptions, LogScanResult, OnLogEvent } from './scan-log.js';
import type { ReadLogResult } from './types.js';

/** Options of {@link streamLog}. */
export type StreamLogOptions = LogScanOptions;

/** Result of {@link streamLog}. */
export type StreamLogResult = LogScanResult;

/**
 * Stream the log at `path` from byte `from`, in chunks of 1 MiB, calling `onEvent` for each line
 * that parses. A missing file is an empty log.
 * @throws {LogOffsetError} when `from` is past the end of the file.
 * @throws {TypeError} when `from` is not a non-negative integer.
 * @throws whatever `onEvent` throws (the file is closed first), or a file-system error other than
 * a missing file.
 */
export async function streamLog(path: string, options: StreamLogOptions): Promise<StreamLogResult> {
  const from = options.from ?? 0;
  assertOffset('streamLog', from);
  const handle = await openIfExists(path);
  if (!handle) {
    if (from > 0) throw new LogOffsetError(path, from, 0);
    return { endOffset: 0, eventCount: 0, corruptions: [] };
  }
  try {
    const { size } = await handle.stat();
    if (from > size) throw new LogOffsetError(path, from, size);
    return await scanHandle(handle, from, options.onEvent);
  } finally {
    await handle.close();
  }
}

/**
 * Read the whole log at `path` (streamed, never held as one string): every line that parses, in
 * order, and every corruption. A missing file is an empty log.
 * @throws a file-system error other than a missing file.
 */
export async function readLog(path: string): Promise<ReadLogResult> {
  const events: unknown[] = [];
  const { endOffset, corruptions } = await streamLog(path, {
    onEvent: (value) => {
      events.push(value);
    },
  });
  return { events, corruptions, endOffset };
}

async function scanHandle(
  handle: FileHandle,
  from: number,
  onEvent: OnLogEvent,
): Promise<LogScanResult> {
  const scanner = new LogScanner(from, onEvent);
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let position = from;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    scanner.push(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return scanner.finish();
}

async function openIfExists(path: string): Promise<FileHandle | undefined> {
  try {
    return await fsPromises.open(path, 'r');
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}
