/**
 * Synchronous readers for callers inside a transaction (the store catches up on the log inside a
 * SQLite transaction): {@link readLogFrom} reads the lines after a byte offset, {@link readLineAt}
 * parses the single line at an offset. Both read in bounded chunks.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { isErrnoCode } from './errno.js';
import { scanLogSync } from './scan-log-sync.js';
import { assertOffset, MAX_LINE_BYTES } from './scan-log.js';
import type { ReadLogFromResult } from './types.js';

/** Chunk size of {@link readLineAt}: one event line is at most 4096 bytes. */
const LINE_CHUNK_BYTES = 8192;

/**
 * Read the lines after byte `offset` (which should be a line start, e.g. a previous result's
 * `offset`). The returned `offset` is where the next read should start: after the last line read,
 * except that an unterminated last line that does not parse (a write in progress, or a dead
 * writer's fragment) is reported as `tail_partial` and not consumed. An unterminated last line that
 * does parse is returned and consumed, as `parseLog` would. Corruption line numbers count from
 * `offset` (1 = the first line read). A missing file is an empty log.
 * @throws {LogOffsetError} (`LOG_OFFSET_BEYOND_END`) when `offset` is past the end of the file,
 * which means the log was truncated or replaced.
 * @throws {TypeError} when `offset` is not a non-negative integer.
 */
export function readLogFrom(path: string, offset: number): ReadLogFromResult {
  assertOffset('readLogFrom', offset);
  const events: unknown[] = [];
  const eventOffsets: number[] = [];
  const { corruptions, endOffset } = scanLogSync(path, {
    from: offset,
    onEvent: (value, info) => {
      events.push(value);
      eventOffsets.push(info.offset);
    },
  });
  return { events, eventOffsets, corruptions, offset: endOffset };
}

/**
 * Parse the single line that starts at byte `offset`. Returns its JSON value, or `undefined` when
 * the file is missing, `offset` is not the start of a line (0, or just after a `"\n"`), the line is
 * empty, or it does not parse.
 * @throws {TypeError} when `offset` is not a non-negative integer.
 */
export function readLineAt(path: string, offset: number): unknown {
  assertOffset('readLineAt', offset);
  const fd = openIfExists(path);
  if (fd === undefined) return undefined;
  try {
    const start = offset > 0 ? offset - 1 : 0;
    const buffer = Buffer.allocUnsafe(LINE_CHUNK_BYTES);
    const pieces: Buffer[] = [];
    let total = 0;
    let position = start;
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      let chunk = buffer.subarray(0, bytesRead);
      if (position === start && offset > 0) {
        if (chunk[0] !== 0x0a) return undefined;
        chunk = chunk.subarray(1);
      }
      position += bytesRead;
      const newline = chunk.indexOf(0x0a);
      const piece = newline === -1 ? chunk : chunk.subarray(0, newline);
      total += piece.length;
      if (total > MAX_LINE_BYTES) return undefined;
      pieces.push(Buffer.from(piece));
      if (newline !== -1) break;
    }
    if (total === 0) return undefined;
    try {
      return JSON.parse(Buffer.concat(pieces).toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  } finally {
    closeSync(fd);
  }
}

function openIfExists(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}
