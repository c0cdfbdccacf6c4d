/**
 * Pure parsing of the log text (docs/on-disk-format.md#corruption-classes): one JSON value per line, every unparsable line
 * classified. No file system here; `read-log.ts` feeds the same line parser from a stream.
 */
import { REPAIR_MARKER } from './repair-marker.js';
import type { LogCorruption, ParsedLog } from './types.js';
import { firstCodePoints, utf8ByteLength } from './utf8.js';

/** Length, in characters, of the excerpt kept for a bad line. */
export const EXCERPT_CHARS = 80;

/** Where a line sits, as needed to classify it. */
export interface LineLocation {
  /** 1-based physical line number. */
  readonly line: number;
  /** Byte offset of the line start. */
  readonly offset: number;
  /** Whether a `"\n"` ends the line (false only for the last line of a file). */
  readonly terminated: boolean;
}

/** One parsed line: its JSON value, or why it is not one. */
export type ParsedLine =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly corruption: LogCorruption };

/** Parse one non-empty line (without its newline). Never throws. */
export function parseLogLine(text: string, at: LineLocation): ParsedLine {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, corruption: classifyBadLine(text, at, String(error)) };
  }
}

/**
 * The corruption record of a line that is not JSON: `repaired_fragment` when it ends with
 * {@link REPAIR_MARKER}, else `tail_partial` when it is the unterminated last line, else
 * `middle_corruption` (the only fatal kind).
 */
export function classifyBadLine(text: string, at: LineLocation, reason: string): LogCorruption {
  const base = { line: at.line, offset: at.offset, excerpt: firstCodePoints(text, EXCERPT_CHARS) };
  if (text.endsWith(REPAIR_MARKER)) {
    return {
      ...base,
      kind: 'repaired_fragment',
      tolerated: true,
      reason: 'fragment of an interrupted write, closed by appendEvent with the repair marker',
    };
  }
  if (!at.terminated) return { ...base, kind: 'tail_partial', tolerated: true, reason };
  return { ...base, kind: 'middle_corruption', tolerated: false, reason };
}

/**
 * Parse a whole log text. Lines are split on `"\n"`; empty lines are skipped but still counted in
 * the 1-based line numbers; `offset`s are UTF-8 byte offsets. Every line that parses is returned in
 * `events`, whatever its JSON type (consumers validate the shape). Never throws.
 */
export function parseLog(text: string): ParsedLog {
  const events: unknown[] = [];
  const corruptions: LogCorruption[] = [];
  let start = 0;
  let offset = 0;
  for (let line = 1; ; line++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    if (end > start) {
      const segment = text.slice(start, end);
      const parsed = parseLogLine(segment, { line, offset, terminated: newline !== -1 });
      if (parsed.ok) events.push(parsed.value);
      else corruptions.push(parsed.corruption);
      offset += utf8ByteLength(segment);
    }
    if (newline === -1) break;
    offset += 1;
    start = newline + 1;
  }
  return { events, corruptions };
}
