import { LineWindow } from './line-window.js';
import {
  DEFAULT_WINDOW_BYTES,
  nonNegativeInteger,
  positiveInteger,
} from './read-transcript-meta.js';
import type { ReadTranscriptMetaOptions } from './read-transcript-meta.js';
import { closeQuietly, openRegularFile, readAt } from './read-window.js';
import { nonEmptyString } from './record-fields.js';

/** Bytes of a transcript's start that {@link readFirstTimestamp} reads: 16 KiB. */
export const FIRST_TIMESTAMP_BYTES = 16 * 1024;

/**
 * What {@link readFirstTimestamp} found: `decided` with the `firstTimestamp` that
 * {@link readTranscriptMeta} reads of the same file with the same options, or `undecided` when
 * the first bytes cannot tell (the caller reads the transcript whole).
 */
export type FirstTimestamp =
  { readonly decided: true; readonly firstTimestamp: string | null } | { readonly decided: false };

const UNDECIDED: FirstTimestamp = { decided: false };
const NEWLINE = 0x0a;

/**
 * A transcript's first timestamp from its first `keyBytes` only (default
 * {@link FIRST_TIMESTAMP_BYTES}): the `timestamp` of the first record that has a non-empty one,
 * exactly as {@link readTranscriptMeta} reads it with `options` (its head window is parsed line by
 * line from the start; the complete lines of the first bytes are lines of that window). Cheap:
 * lines are parsed only up to the first with a timestamp. Undecided, so the caller reads the
 * transcript whole, when the first bytes cannot tell: no complete line with a timestamp in them
 * (and the file goes on), windows smaller than `keyBytes`, or the file not opened or read (an
 * outcome {@link readTranscriptMeta} reports itself). An empty file is decided: no timestamp.
 * Never throws.
 */
export function readFirstTimestamp(
  path: string,
  options: ReadTranscriptMetaOptions = {},
  keyBytes = FIRST_TIMESTAMP_BYTES,
): FirstTimestamp {
  const headBytes = positiveInteger(options.headBytes, DEFAULT_WINDOW_BYTES);
  const tailBytes = nonNegativeInteger(options.tailBytes, DEFAULT_WINDOW_BYTES);
  const limit = positiveInteger(keyBytes, FIRST_TIMESTAMP_BYTES);
  if (options.deadline !== undefined || headBytes < limit) return UNDECIDED;
  if (typeof path !== 'string' || path === '') return UNDECIDED;
  const opened = openRegularFile(path);
  if (opened.kind !== 'open') return UNDECIDED;
  try {
    const size = opened.stat.size;
    if (size === 0) return { decided: true, firstTimestamp: null };
    const buffer = readAt(opened.fd, 0, Math.min(size, limit));
    // The whole file read: the same single window readTranscriptMeta parses (it reads the whole
    // file when it fits in its two windows), so "no timestamp" is an answer too.
    const whole = buffer.length === size && size <= headBytes + tailBytes;
    const end = whole ? buffer.length : buffer.lastIndexOf(NEWLINE);
    if (end === -1) return UNDECIDED;
    const window = new LineWindow(buffer, 0, end);
    for (const line of window.lines()) {
      const record = window.record(line);
      const timestamp = record === null ? null : nonEmptyString(record['timestamp']);
      if (timestamp !== null) return { decided: true, firstTimestamp: timestamp };
    }
    return whole ? { decided: true, firstTimestamp: null } : UNDECIDED;
  } catch {
    return UNDECIDED;
  } finally {
    closeQuietly(opened.fd);
  }
}
