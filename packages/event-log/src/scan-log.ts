/**
 * Incremental log parsing over byte chunks, shared by the async and sync readers. Lines are split
 * on the byte 0x0A and each line is decoded on its own, so a UTF-8 sequence is never cut at a chunk
 * edge. Memory stays bounded by one chunk plus one line (and a line longer than
 * {@link MAX_LINE_BYTES} is reported without being kept).
 */
import { parseLogLine, classifyBadLine } from './parse-log.js';
import type { LogCorruption, LogLineInfo } from './types.js';

/** Size of the chunks the readers request from the file. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * A line longer than this is not buffered: it is reported as corrupt (no event is anywhere near
 * this long; the writer caps lines at 4096 bytes).
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Enough bytes of an oversized line to render its 80-character excerpt. */
const EXCERPT_HEAD_BYTES = 320;

/** Called for each line that parses, in file order. */
export type OnLogEvent = (value: unknown, info: LogLineInfo) => void;

/**
 * Offered each complete, newline-terminated line's bytes (without the newline) before the line
 * is decoded and parsed. Returning true claims the line: it counts as an event but is neither
 * decoded, parsed nor passed to `onEvent`, so the caller vouches for it (it must check the line
 * in full later; a claimed line is never classified as a corruption). The bytes are only valid
 * during the call.
 */
export type ClaimLogLine = (bytes: Buffer, info: LogLineInfo) => boolean;

/** Options of `streamLog` and `scanLogSync`. */
export interface LogScanOptions {
  /** Byte offset of a line start to begin at. Default 0. */
  readonly from?: number;
  /** Called for each line that parses, in file order, with where the line sits. */
  readonly onEvent: OnLogEvent;
}

/** What a finished scan consumed and found. */
export interface LogScanResult {
  /**
   * Offset after the last consumed line: the end of the file, or the start of an unterminated
   * tail that does not parse (left for a later read once it is complete).
   */
  readonly endOffset: number;
  /** How many times `onEvent` was called. */
  readonly eventCount: number;
  /** Every unparsable line, classified as in `parseLog` (line numbers count from `from`). */
  readonly corruptions: LogCorruption[];
}

/** Feed chunks with {@link LogScanner.push}, then call {@link LogScanner.finish} once. */
export class LogScanner {
  private readonly onEvent: OnLogEvent;
  private readonly claim: ClaimLogLine | undefined;
  private readonly corruptions: LogCorruption[] = [];
  private eventCount = 0;
  /** File offset of the line being assembled (= offset after the last newline seen). */
  private lineStart: number;
  private line = 1;
  /** Copies of the pieces of the current line seen in earlier chunks. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set once the current line outgrew MAX_LINE_BYTES; then only its head is kept. */
  private oversizedHead: Buffer | undefined;

  constructor(startOffset: number, onEvent: OnLogEvent, claim?: ClaimLogLine) {
    this.lineStart = startOffset;
    this.onEvent = onEvent;
    this.claim = claim;
  }

  /** Consume one chunk. The chunk is not retained, so the caller may reuse its buffer. */
  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const newline = chunk.indexOf(0x0a, pos);
      if (newline === -1) {
        this.hold(chunk.subarray(pos));
        return;
      }
      this.completeLine(chunk.subarray(pos, newline));
      pos = newline + 1;
    }
  }

  /** Handle the unterminated last line, if any, and return the totals. */
  finish(): LogScanResult {
    const length = this.pendingBytes;
    if (length > 0) {
      const accepted = this.handleLine(this.takeLine(undefined), length, false);
      if (accepted) this.lineStart += length;
    }
    return {
      endOffset: this.lineStart,
      eventCount: this.eventCount,
      corruptions: this.corruptions,
    };
  }

  private hold(piece: Buffer): void {
    this.pendingBytes += piece.length;
    if (this.oversizedHead) return;
    if (this.pendingBytes > MAX_LINE_BYTES) {
      this.oversizedHead = Buffer.concat([...this.pending, piece], EXCERPT_HEAD_BYTES);
      this.pending = [];
      return;
    }
    this.pending.push(Buffer.from(piece));
  }

  private completeLine(last: Buffer): void {
    const length = this.pendingBytes + last.length;
    if (length > 0) this.handleLine(this.takeLine(last), length, true);
    this.lineStart += length + 1;
    this.line += 1;
  }

  /** The current line's bytes (only its head when oversized); resets the pending state. */
  private takeLine(last: Buffer | undefined): { bytes: Buffer; oversized: boolean } {
    const pieces = last ? [...this.pending, last] : this.pending;
    const length = this.pendingBytes + (last?.length ?? 0);
    const oversized = this.oversizedHead !== undefined || length > MAX_LINE_BYTES;
    const bytes =
      this.oversizedHead ??
      (oversized
        ? Buffer.concat(pieces, EXCERPT_HEAD_BYTES)
        : pieces.length === 1
          ? pieces[0]!
          : Buffer.concat(pieces));
    this.pending = [];
    this.pendingBytes = 0;
    this.oversizedHead = undefined;
    return { bytes, oversized };
  }

  /** Parse and dispatch one non-empty line; returns whether it parsed. */
  private handleLine(
    taken: { bytes: Buffer; oversized: boolean },
    length: number,
    terminated: boolean,
  ): boolean {
    const at = { line: this.line, offset: this.lineStart, terminated };
    if (terminated && !taken.oversized && this.claim !== undefined) {
      const info = { offset: this.lineStart, bytes: length + 1, line: this.line };
      if (this.claim(taken.bytes, info)) {
        this.eventCount += 1;
        return true;
      }
    }
    const text = taken.bytes.toString('utf8');
    if (taken.oversized) {
      const reason = `line is ${length} bytes long, more than the ${MAX_LINE_BYTES} bytes a reader buffers`;
      this.corruptions.push(classifyBadLine(text, at, reason));
      return false;
    }
    const parsed = parseLogLine(text, at);
    if (!parsed.ok) {
      this.corruptions.push(parsed.corruption);
      return false;
    }
    this.eventCount += 1;
    this.onEvent(parsed.value, {
      offset: this.lineStart,
      bytes: length + (terminated ? 1 : 0),
      line: this.line,
    });
    return true;
  }
}

/**
 * Check a caller-supplied read offset.
 * @throws {TypeError} unless `offset` is a non-negative safe integer.
 */
export function assertOffset(caller: string, offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new TypeError(
      `${caller}: offset must be a non-negative integer (got: ${String(offset)})`,
    );
  }
}
