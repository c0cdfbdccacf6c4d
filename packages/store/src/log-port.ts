import { closeSync, openSync, readSync, statSync } from 'node:fs';
import {
  appendEncodedLines,
  appendEvent,
  encodeEvent,
  parseLog,
  readLineAt,
  readLogFrom,
  scanLogSync,
} from '@sessions-db/event-log';
import type { ClaimLogLine, EventEnvelope, LogCorruption } from '@sessions-db/event-log';

/** Where the lines after an offset were found, and where the next read starts. */
export interface LogSlice {
  readonly events: unknown[];
  readonly eventOffsets: number[];
  readonly corruptions: LogCorruption[];
  readonly offset: number;
}

/** Where an appended line landed. */
export interface LogAppend {
  readonly offset: number;
  readonly bytes: number;
}

/** Where a batch of appended lines landed. */
export interface LinesAppend {
  /** Offset of the first line. */
  readonly offset: number;
  /** Bytes of the lines (a repair prefix not counted). */
  readonly bytes: number;
  /**
   * True when the lines are known to start at `offset` with nothing of another writer between the
   * file's end before the write and them, and no fragment was closed first.
   */
  readonly exact: boolean;
}

/**
 * The store's view of the event log: a file in production, memory in tests
 * (`createMemoryStore`). Appends are single `O_APPEND` writes; reads are by byte offset.
 */
export interface LogPort {
  /** The file path, or null for a memory log. */
  readonly path: string | null;
  /** Current length in bytes (0 when the file does not exist yet). */
  size(): number;
  /** Append one event line (throws `EventTooLargeError` above 4096 bytes, nothing written). */
  append(event: EventEnvelope, options?: { readonly fsync?: boolean }): LogAppend;
  /**
   * Append lines already encoded (`encodeEvent`) in ONE write, then at most one `fdatasync`
   * (a batch of events costs what one does).
   */
  appendLines(lines: readonly string[], options?: { readonly fsync?: boolean }): LinesAppend;
  /** Complete lines after `offset` (throws `LogOffsetError` when `offset` is past the end). */
  readFrom(offset: number): LogSlice;
  /** The parsed line starting at `offset`, or undefined. */
  lineAt(offset: number): unknown;
  /** How many lines end before `offset` (so the line starting there is number result + 1). */
  linesBefore(offset: number): number;
  /**
   * A reader for many lines by offset (one open file; recently read blocks kept, by default 256 of
   * 64 KiB); `close()` it when done.
   */
  openLineReader(cache?: LineReaderCache): LineReader;
  /**
   * Scan every line from `from` synchronously, in bounded chunks (multi-GB logs). `bytes` is the
   * length of the event's line, its newline included. `claim` (event-log's `ClaimLogLine`) is
   * offered each line's bytes first; a port may also parse every line and never offer it.
   */
  scanSync(
    from: number,
    onEvent: (
      value: unknown,
      info: { readonly offset: number; readonly line: number; readonly bytes: number },
    ) => void,
    claim?: ClaimLogLine,
  ): { readonly endOffset: number; readonly corruptions: LogCorruption[] };
}

/** How many blocks of the file, of which size, a {@link LineReader} keeps. */
export interface LineReaderCache {
  readonly blockBytes: number;
  readonly blocks: number;
}

/** Reads lines by offset. */
export interface LineReader {
  /**
   * The parsed line starting at `offset`, or undefined. With `bytes` (the line's length as a scan
   * reported it) the line is read in one exact read instead of searching for its end. With `front`
   * too (where the caller reads, its reads lying mostly in the next few MiB after it): a line in a
   * kept block is served from it, a line within 3/4 of the kept blocks' bytes after `front` is
   * read with its whole block (kept), and any other line on its own, so that far lines do not
   * push out the blocks about to be read.
   */
  lineAt(offset: number, bytes?: number, front?: number): unknown;
  /** The text of the line {@link LineReader.lineAt} parses (read the same way), or undefined. */
  textAt(offset: number, bytes?: number, front?: number): string | undefined;
  close(): void;
}

/** A log port over the file at `path`. */
export function createFileLog(path: string): LogPort {
  return {
    path,
    size() {
      try {
        return statSync(path).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw error;
      }
    },
    append(event, options) {
      const result = appendEvent(path, event, { fsync: options?.fsync ?? false });
      return { offset: result.offset, bytes: result.bytes };
    },
    appendLines(lines, options) {
      const result = appendEncodedLines(path, lines, { fsync: options?.fsync ?? false });
      const exact = !result.repaired && result.sizeAfter === result.offset + result.bytes;
      return { offset: result.offset, bytes: result.bytes, exact };
    },
    readFrom(offset) {
      return readLogFrom(path, offset);
    },
    lineAt(offset) {
      return readLineAt(path, offset);
    },
    openLineReader(cache) {
      return openFileLineReader(path, cache);
    },
    linesBefore(offset) {
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch {
        return 0;
      }
      try {
        const buffer = Buffer.allocUnsafe(1024 * 1024);
        let count = 0;
        for (let position = 0; position < offset;) {
          const read = readSync(
            fd,
            buffer,
            0,
            Math.min(buffer.length, offset - position),
            position,
          );
          if (read === 0) break;
          for (
            let i = buffer.indexOf(0x0a, 0);
            i !== -1 && i < read;
            i = buffer.indexOf(0x0a, i + 1)
          )
            count += 1;
          position += read;
        }
        return count;
      } finally {
        closeSync(fd);
      }
    },
    scanSync(from, onEvent, claim) {
      const result = scanLogSync(
        path,
        claim === undefined ? { from, onEvent } : { from, onEvent, claim },
      );
      return { endOffset: result.endOffset, corruptions: result.corruptions };
    },
  };
}

/** A log port held in memory (for tests of code built on the store). */
export function createMemoryLog(): LogPort {
  let bytes = Buffer.alloc(0);
  const slice = (offset: number): LogSlice => {
    if (offset > bytes.length) {
      throw new RangeError(`memory log: offset ${offset} is beyond the end (${bytes.length})`);
    }
    const parsed = parseLog(bytes.subarray(offset).toString('utf8'));
    const events: unknown[] = [];
    const eventOffsets: number[] = [];
    // parseLog reports offsets relative to the text; the memory log only ever holds whole lines.
    let cursor = offset;
    for (const line of bytes.subarray(offset).toString('utf8').split('\n')) {
      if (line.length > 0) {
        try {
          events.push(JSON.parse(line) as unknown);
          eventOffsets.push(cursor);
        } catch {
          // reported by parseLog
        }
      }
      cursor += Buffer.byteLength(line, 'utf8') + 1;
    }
    return {
      events,
      eventOffsets,
      corruptions: parsed.corruptions.map((c) => ({ ...c, offset: c.offset + offset })),
      offset: bytes.length,
    };
  };
  return {
    path: null,
    size: () => bytes.length,
    append(event) {
      const line = encodeEvent(event);
      const offset = bytes.length;
      const chunk = Buffer.from(line, 'utf8');
      bytes = Buffer.concat([bytes, chunk]);
      return { offset, bytes: chunk.length };
    },
    appendLines(lines) {
      const chunk = Buffer.from(lines.join(''), 'utf8');
      const offset = bytes.length;
      bytes = Buffer.concat([bytes, chunk]);
      return { offset, bytes: chunk.length, exact: true };
    },
    readFrom: slice,
    openLineReader() {
      return {
        lineAt: (offset: number) => this.lineAt(offset),
        textAt: (offset: number) => {
          const end = bytes.indexOf(0x0a, offset);
          return end === -1 ? undefined : bytes.subarray(offset, end).toString('utf8');
        },
        close: () => undefined,
      };
    },
    linesBefore(offset) {
      let count = 0;
      for (let i = bytes.indexOf(0x0a, 0); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1))
        count += 1;
      return count;
    },
    lineAt(offset) {
      const end = bytes.indexOf(0x0a, offset);
      if (end === -1) return undefined;
      try {
        return JSON.parse(bytes.subarray(offset, end).toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
    scanSync(from, onEvent) {
      const { events, eventOffsets, corruptions, offset } = slice(from);
      events.forEach((value, i) => {
        const at = eventOffsets[i] ?? 0;
        const end = bytes.indexOf(0x0a, at);
        onEvent(value, {
          offset: at,
          line: i + 1,
          bytes: (end === -1 ? bytes.length : end + 1) - at,
        });
      });
      return { endOffset: offset, corruptions };
    },
  };
}

/** Bytes requested per read of a line by offset. */
const LINE_READ_BYTES = 8192;

/** Read lines by offset from one file descriptor (opened on first use), reusing one buffer. */
/** The blocks a line reader keeps by default: 256 of 64 KiB (16 MiB in all). */
const READER_CACHE: LineReaderCache = { blockBytes: 64 * 1024, blocks: 256 };

function openFileLineReader(path: string, cache: LineReaderCache = READER_CACHE): LineReader {
  const { blockBytes, blocks: maxBlocks } = cache;
  /** How far after the caller's front a line is read with its block. */
  const reach = Math.floor((blockBytes * maxBlocks * 3) / 4);
  let fd: number | undefined;
  let buffer = Buffer.allocUnsafe(64 * 1024);
  // Recently read blocks of the file, least recently used first: a session's events mostly lie
  // near each other, so one read serves many lines (the rebuild reads every event by offset).
  const blocks = new Map<number, { readonly bytes: Buffer; length: number }>();
  const cachedLine = (
    file: number,
    offset: number,
    bytes: number,
    front: number | undefined,
  ): string | undefined => {
    const index = Math.floor(offset / blockBytes);
    const start = offset - index * blockBytes;
    if (start + bytes > blockBytes) return undefined;
    let block = blocks.get(index);
    if (block === undefined) {
      if (front !== undefined && (offset < front || offset - front >= reach)) return undefined;
      const oldest = blocks.size >= maxBlocks ? blocks.keys().next().value : undefined;
      const recycled = oldest === undefined ? undefined : blocks.get(oldest);
      if (oldest !== undefined) blocks.delete(oldest);
      const storage = recycled?.bytes ?? Buffer.allocUnsafe(blockBytes);
      const length = readSync(file, storage, 0, blockBytes, index * blockBytes);
      block = { bytes: storage, length };
    } else {
      blocks.delete(index);
    }
    blocks.set(index, block);
    // A block read when the file ended inside it: the line is read on its own.
    if (start + bytes > block.length) return undefined;
    return block.bytes.toString('utf8', start, start + bytes);
  };
  const textAt = (offset: number, bytes?: number, front?: number): string => {
    fd ??= openSync(path, 'r');
    if (bytes !== undefined && bytes > 0) {
      const text = cachedLine(fd, offset, bytes, front);
      if (text !== undefined) return text;
      if (bytes > buffer.length) buffer = Buffer.allocUnsafe(bytes);
      const read = readSync(fd, buffer, 0, bytes, offset);
      return buffer.toString('utf8', 0, read);
    }
    let length = 0;
    for (;;) {
      // Event lines are at most 4096 bytes: read a little more than that at a time.
      const want = Math.min(LINE_READ_BYTES, buffer.length - length);
      const read = readSync(fd, buffer, length, want, offset + length);
      const newline = buffer.indexOf(0x0a, length);
      length += read;
      if (newline !== -1 && newline < length) {
        length = newline;
        break;
      }
      if (read === 0) break;
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
    }
    return buffer.toString('utf8', 0, length);
  };
  return {
    lineAt(offset, bytes, front) {
      try {
        return JSON.parse(textAt(offset, bytes, front)) as unknown;
      } catch {
        return undefined;
      }
    },
    textAt,
    close() {
      if (fd !== undefined) closeSync(fd);
    },
  };
}
