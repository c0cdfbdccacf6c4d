import { parseRecordLine } from './jsonl-lines.js';
import type { TranscriptRecord } from './jsonl-lines.js';

const NEWLINE = 0x0a;
const COLON = 0x3a;
const QUOTE = 0x22;
/** A JSON escape that can spell any character (`\u0075` is `u`): a line holding one may hide a key. */
const UNICODE_ESCAPE = Buffer.from('\\u');

/** Where {@link LineWindow.find} goes: from the window's start or from its end. */
export type FindDirection = 'forward' | 'backward';

/**
 * The lines of `buffer[start, end)` (split on byte 0x0A), each decoded and parsed only when asked
 * for. JSON.parse of a whole 256 KiB window is most of what reading a large transcript costs;
 * {@link find} visits only the lines that can hold a key, found with the native byte search,
 * without decoding any other line and without a table of every line.
 */
export class LineWindow {
  private readonly buffer: Buffer;
  private readonly start: number;
  private readonly end: number;
  /** Parsed lines by their start offset; `null`: blank or not a JSON object. */
  private readonly records = new Map<number, TranscriptRecord | null>();
  /** Starts of the lines that hold a `\u` escape, ascending (computed on first use). */
  private escapes: number[] | undefined;
  /** Lines decoded and parsed so far. */
  parsed = 0;

  constructor(buffer: Buffer, start: number, end: number) {
    this.buffer = buffer;
    this.start = start;
    this.end = Math.min(end, buffer.length);
  }

  /** The record of the line starting at `lineStart`, parsed on first use; `null` when blank or not a record. */
  record(lineStart: number): TranscriptRecord | null {
    const cached = this.records.get(lineStart);
    if (cached !== undefined) return cached;
    this.parsed += 1;
    const text = this.buffer.toString('utf8', lineStart, this.lineEnd(lineStart));
    const record = text.trim() === '' ? null : (parseRecordLine(text) ?? null);
    this.records.set(lineStart, record);
    return record;
  }

  /** Every non-empty line's start, in order. */
  *lines(): Generator<number> {
    let at = this.start;
    while (at < this.end) {
      const lineEnd = this.lineEnd(at);
      if (lineEnd > at) yield at;
      at = lineEnd + 1;
    }
  }

  /** True when some line holds more than whitespace. */
  hasContent(): boolean {
    for (const line of this.lines()) {
      if (this.buffer.toString('utf8', line, this.lineEnd(line)).trim() !== '') return true;
    }
    return false;
  }

  /**
   * Visit, in `direction` order, each line whose bytes contain `needle` — for a key, `"key"` with
   * its quotes — and each line holding a `\u` escape (which could spell the needle), until `visit`
   * returns true. A line visited neither way cannot hold that key or value anywhere, so it need
   * not be parsed to look for it. With `nonEmpty`, an occurrence followed by `:""` (the key with an
   * empty string, as Claude Code writes it) does not count. Each line is visited at most once.
   */
  find(
    needle: string,
    direction: FindDirection,
    nonEmpty: boolean,
    visit: (lineStart: number) => boolean,
  ): void {
    const bytes = Buffer.from(needle);
    const escapes = this.escapeLines();
    if (direction === 'forward') {
      let from = this.start;
      let e = 0;
      for (;;) {
        while (e < escapes.length && (escapes[e] ?? 0) < from) e += 1;
        const hit = this.nextHit(bytes, from, nonEmpty);
        const escape = escapes[e] ?? -1;
        const line = hit === -1 ? escape : escape === -1 ? hit : Math.min(hit, escape);
        if (line === -1 || visit(line)) return;
        from = this.lineEnd(line) + 1;
      }
    }
    let before = this.end;
    let e = escapes.length - 1;
    for (;;) {
      while (e >= 0 && (escapes[e] ?? 0) >= before) e -= 1;
      const hit = this.previousHit(bytes, before, nonEmpty);
      const line = Math.max(hit, escapes[e] ?? -1);
      if (line === -1 || visit(line)) return;
      before = line;
    }
  }

  /** Start of the line of the first qualifying occurrence at or after `from`, or -1. */
  private nextHit(needle: Buffer, from: number, nonEmpty: boolean): number {
    let at = this.buffer.indexOf(needle, from);
    while (at !== -1 && at + needle.length <= this.end) {
      if (!(nonEmpty && this.emptyValueAt(at + needle.length))) return this.lineStart(at);
      at = this.buffer.indexOf(needle, at + needle.length);
    }
    return -1;
  }

  /** Start of the line of the last qualifying occurrence ending at or before `before`, or -1. */
  private previousHit(needle: Buffer, before: number, nonEmpty: boolean): number {
    let from = before - needle.length;
    while (from >= this.start) {
      const at = this.buffer.lastIndexOf(needle, from);
      if (at < this.start) return -1;
      if (!(nonEmpty && this.emptyValueAt(at + needle.length))) return this.lineStart(at);
      from = at - 1;
    }
    return -1;
  }

  /** `:""` at `offset`. */
  private emptyValueAt(offset: number): boolean {
    return (
      offset + 3 <= this.end &&
      this.buffer[offset] === COLON &&
      this.buffer[offset + 1] === QUOTE &&
      this.buffer[offset + 2] === QUOTE
    );
  }

  private escapeLines(): number[] {
    if (this.escapes !== undefined) return this.escapes;
    const lines: number[] = [];
    let from = this.start;
    for (;;) {
      const line = this.nextHit(UNICODE_ESCAPE, from, false);
      if (line === -1) break;
      lines.push(line);
      from = this.lineEnd(line) + 1;
    }
    this.escapes = lines;
    return lines;
  }

  private lineStart(offset: number): number {
    const newline = offset > this.start ? this.buffer.lastIndexOf(NEWLINE, offset - 1) : -1;
    return newline < this.start ? this.start : newline + 1;
  }

  private lineEnd(lineStart: number): number {
    const newline = this.buffer.indexOf(NEWLINE, lineStart);
    return newline === -1 || newline > this.end ? this.end : newline;
  }
}
