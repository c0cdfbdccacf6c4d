/**
 * The log writer: one `write` per event with `O_APPEND`, so concurrent appenders never interleave
 * bytes, and a repair of a line left unterminated by a dead writer.
 */
import {
  closeSync,
  constants,
  fdatasyncSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { encodeEvent } from './encode-event.js';
import { LogWriteError } from './errors.js';
import { REPAIR_MARKER } from './repair-marker.js';
import type { EventEnvelope } from './types.js';

/** How far back `appendEvent` looks for the start of an unterminated last line. */
const TAIL_SCAN_BYTES = 64 * 1024;

/**
 * Pauses before an unterminated last line is judged a dead writer's fragment. Another process's
 * append can be observed half-copied (the file size grows page by page while it writes); such a
 * line ends with its newline within microseconds, a fragment never does. About 63 ms in all, paid
 * only when the file does not end with a newline.
 */
const SETTLE_WAITS_MS = [1, 2, 4, 8, 16, 32];

/** Options of {@link appendEvent}. */
export interface AppendEventOptions {
  /** `fdatasync` the file before closing it, so the line survives a power loss. Default false. */
  readonly fsync?: boolean;
}

/** Where {@link appendEvent} put the event. */
export interface AppendResult {
  /**
   * Byte offset where the event's line starts. Computed from the file size just before the write:
   * exact when no other process appends at the same time (the store always holds its lock);
   * unlocked concurrent appenders may land first and make it low.
   */
  readonly offset: number;
  /** Length of the event's line in bytes, newline included (the repair prefix is not counted). */
  readonly bytes: number;
  /**
   * Whether the file did not end with a newline and its last line was closed first: with a
   * `"\n"` when that line was complete JSON, else with {@link REPAIR_MARKER} + `"\n"`.
   */
  readonly repaired: boolean;
}

/** Read and append, create `0600` when missing, never through a symlink (`O_NOFOLLOW`). */
const APPEND_FLAGS =
  constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

/**
 * Append one event to the log at `path` as a single `write` in append mode, creating the directory
 * (mode 0700) and the file (mode 0600) when missing. If the file ends mid-line, the same `write`
 * first closes that line (see {@link AppendResult.repaired}), so the event always starts a line of
 * its own and the fragment is reported as `repaired_fragment`, never as fatal corruption.
 * @throws {EventTooLargeError} when the encoded line exceeds `MAX_EVENT_BYTES` (nothing written).
 * @throws {LogWriteError} when the system wrote only part of the line.
 * @throws a file-system error when the directory or file cannot be created or written (`ELOOP`
 * when `path` is a symlink).
 */
export function appendEvent(
  path: string,
  event: EventEnvelope<string, unknown>,
  options: AppendEventOptions = {},
): AppendResult {
  const appended = appendEncodedLines(path, [encodeEvent(event)], options);
  return { offset: appended.offset, bytes: appended.bytes, repaired: appended.repaired };
}

/** Where {@link appendEncodedLines} put the lines. */
export interface AppendLinesResult extends AppendResult {
  /**
   * The file's size just after the write. `sizeAfter === offset + bytes` with `repaired` false
   * proves that no other appender's bytes landed between the size read before the write and the
   * write itself, so the lines start exactly at `offset`.
   */
  readonly sizeAfter: number;
}

/**
 * Append lines already encoded by {@link encodeEvent} (each at most `MAX_EVENT_BYTES`, ending in
 * `"\n"`) to the log at `path` as ONE `write` in append mode, then at most one `fdatasync`: a
 * writer that holds the store's lock records a batch of events at the cost of one. Creates the
 * directory (0700) and file (0600) like {@link appendEvent}, and closes an unterminated last line
 * in the same write. `bytes` counts the lines, not the repair prefix.
 * @throws {LogWriteError} when the system wrote only part of the data (the complete lines before
 * the cut are events like any other; the next append closes the cut line).
 * @throws a file-system error when the directory or file cannot be created or written.
 */
export function appendEncodedLines(
  path: string,
  lines: readonly string[],
  options: AppendEventOptions = {},
): AppendLinesResult {
  for (const line of lines) {
    if (!line.endsWith('\n') || line.indexOf('\n') !== line.length - 1)
      throw new TypeError(
        'appendEncodedLines: each line must be one encoded event ending in "\\n"',
      );
  }
  const body = Buffer.from(lines.join(''), 'utf8');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // O_NOFOLLOW: a log that is a symlink (say, planted in a repository) is refused, never followed.
  const fd = openSync(path, APPEND_FLAGS, 0o600);
  try {
    const { size: sizeBefore, closing } = closingOfLastLine(fd);
    const terminator = Buffer.from(closing, 'utf8');
    const data = terminator.length > 0 ? Buffer.concat([terminator, body]) : body;
    const written = writeSync(fd, data);
    if (written !== data.length) throw new LogWriteError(path, written, data.length);
    if (options.fsync === true) fdatasyncSync(fd);
    return {
      offset: sizeBefore + terminator.length,
      bytes: body.length,
      repaired: terminator.length > 0,
      sizeAfter: fstatSync(fd).size,
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * What to write before the event so that it starts a line of its own: `''`, `"\n"` (the last line
 * is complete JSON) or marker + `"\n"` (a fragment), with the file size it was decided on.
 */
function closingOfLastLine(fd: number): { size: number; closing: string } {
  let size = fstatSync(fd).size;
  if (endsWithNewline(fd, size)) return { size, closing: '' };
  for (const ms of SETTLE_WAITS_MS) {
    sleepSync(ms);
    size = fstatSync(fd).size;
    if (endsWithNewline(fd, size)) return { size, closing: '' };
  }
  return { size, closing: lastLineParses(fd, size) ? '\n' : `${REPAIR_MARKER}\n` };
}

function endsWithNewline(fd: number, size: number): boolean {
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  return readSync(fd, last, 0, 1, size - 1) === 1 && last[0] === 0x0a;
}

/** Whether the unterminated last line (looked for within TAIL_SCAN_BYTES) is complete JSON. */
function lastLineParses(fd: number, size: number): boolean {
  const window = Math.min(size, TAIL_SCAN_BYTES);
  const tail = Buffer.allocUnsafe(window);
  const bytes = tail.subarray(0, readSync(fd, tail, 0, window, size - window));
  const newline = bytes.lastIndexOf(0x0a);
  // Without a newline in the window the line may start before it: treat it as a fragment.
  if (newline === -1 && window < size) return false;
  return parsesAsJson(bytes.subarray(newline + 1).toString('utf8'));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
