import type { FileHandle } from 'node:fs/promises';
// fs.promises loads Node's promise API on first use (not when the hook starts).
import { constants, promises as fsPromises } from 'node:fs';
import { parseRecordLine } from './jsonl-lines.js';
import type { TranscriptRecord } from './jsonl-lines.js';
import { asObject, messageText, nonEmptyString } from './record-fields.js';

/** One message's text, as yielded by {@link readTranscriptText}. */
export interface TranscriptTextEntry {
  readonly uuid: string | null;
  readonly timestamp: string | null;
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

/** Options of {@link readTranscriptText}. */
export interface ReadTranscriptTextOptions {
  /** Bytes read per chunk (default 64 KiB). */
  readonly chunkBytes?: number;
  /** Lines longer than this are skipped without being buffered whole (default 16 MiB). */
  readonly maxLineBytes?: number;
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NEWLINE = 0x0a;
const DEFAULT_CHUNK_BYTES = 64 * 1024;
const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

/**
 * The text of one record, or `null` when it holds no conversation text: only `user` and
 * `assistant` messages count; meta records, compact summaries (a generated digest of messages
 * already indexed) and records with no `text` content (tool results, tool calls, thinking) are
 * skipped.
 */
function textEntry(record: TranscriptRecord): TranscriptTextEntry | null {
  const type = record['type'];
  if (type !== 'user' && type !== 'assistant') return null;
  if (record['isMeta'] === true || record['isCompactSummary'] === true) return null;
  const message = asObject(record['message']);
  if (message === null) return null;
  const text = messageText(message['content']);
  if (text === null || text.trim() === '') return null;
  const role =
    message['role'] === 'user' || message['role'] === 'assistant' ? message['role'] : type;
  return {
    uuid: nonEmptyString(record['uuid']),
    timestamp: nonEmptyString(record['timestamp']),
    role,
    text,
  };
}

function entryOfLine(bytes: Buffer): TranscriptTextEntry | null {
  const line = bytes.toString('utf8');
  if (line.trim() === '') return null;
  const record = parseRecordLine(line);
  return record === undefined ? null : textEntry(record);
}

/**
 * Stream the user and assistant message text of a transcript, line by line with bounded memory,
 * for full-text indexing. A missing file, a non-regular file (FIFO, device, directory), a read
 * error or a bad line ends or skips quietly: the iterator never throws.
 */
export async function* readTranscriptText(
  path: string,
  options: ReadTranscriptTextOptions = {},
): AsyncGenerator<TranscriptTextEntry, void, undefined> {
  const chunkBytes = positiveInteger(options.chunkBytes, DEFAULT_CHUNK_BYTES);
  const maxLineBytes = positiveInteger(options.maxLineBytes, DEFAULT_MAX_LINE_BYTES);
  let handle: FileHandle;
  try {
    handle = await fsPromises.open(path, OPEN_FLAGS);
  } catch {
    return;
  }
  try {
    if (!(await handle.stat()).isFile()) return;
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    // True while inside a line longer than maxLineBytes: its bytes are dropped, not buffered.
    let skipping = false;
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      let start = 0;
      for (;;) {
        const end = chunk.indexOf(NEWLINE, start);
        if (end === -1 || end >= bytesRead) break;
        const piece = chunk.subarray(start, end);
        const tooLong = skipping || pendingBytes + piece.length > maxLineBytes;
        const line = tooLong || pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        pendingBytes = 0;
        skipping = false;
        start = end + 1;
        const entry = tooLong ? null : entryOfLine(line);
        if (entry !== null) yield entry;
      }
      // Copy the unfinished line: the chunk buffer is reused by the next read.
      if (start < bytesRead && !skipping) {
        pendingBytes += bytesRead - start;
        if (pendingBytes > maxLineBytes) {
          pending = [];
          pendingBytes = 0;
          skipping = true;
        } else {
          pending.push(Buffer.from(chunk.subarray(start, bytesRead)));
        }
      }
    }
    if (pending.length > 0 && !skipping) {
      const entry = entryOfLine(Buffer.concat(pending));
      if (entry !== null) yield entry;
    }
  } catch {
    // A failing stat or read ends the stream quietly, as documented.
  } finally {
    await handle.close().catch(() => undefined);
  }
}
