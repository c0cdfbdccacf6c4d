import type { TranscriptRecord } from './jsonl-lines.js';
import { LineWindow } from './line-window.js';
import type { FindDirection } from './line-window.js';
import { closeQuietly, openRegularFile, readAt } from './read-window.js';
import { asObject, humanPromptText, nonEmptyString } from './record-fields.js';

/** Default size of the head window and of the tail window: 256 KiB each. */
export const DEFAULT_WINDOW_BYTES = 256 * 1024;

/** Default number of uuids kept in `headUuids` and in `tailUuids`. */
export const DEFAULT_MAX_UUIDS = 32;

/**
 * How reading a transcript went:
 * - `ok`: read (an empty file, and a file with some bad lines among good ones, are `ok`);
 * - `missing`: no file at the path (Claude Code creates transcripts lazily);
 * - `corrupted`: not a regular file, unreadable, or no parsable record in the windows;
 * - `too_large`: the head window holds no complete line (one line is larger than the window).
 */
export type TranscriptStatus = 'ok' | 'missing' | 'corrupted' | 'too_large';

/** A `pr-link` metadata row. */
export interface TranscriptPrLink {
  readonly number: number | null;
  readonly url: string | null;
  readonly repository: string | null;
}

/** A `forkedFrom` marker on a copied record (`--fork-session`, `/branch`). */
export interface TranscriptForkOrigin {
  readonly sessionId: string;
  readonly messageUuid: string | null;
}

/** Facts read from the head and the tail of one transcript (see {@link readTranscriptMeta}). */
export interface TranscriptMeta {
  readonly status: TranscriptStatus;
  /** Why the status is what it is, or `'deadline'` when reading stopped early. */
  readonly reason?: string;
  readonly path: string;
  /** First non-empty `sessionId` field (legacy resume copies may carry the old id). */
  readonly sessionId: string | null;
  /** `uuid` of the first record that has one (head window). */
  readonly firstUuid: string | null;
  /** `parentUuid` of that record, when it is a string. */
  readonly firstParentUuid: string | null;
  /** `uuid` of the last record that has one (tail window). */
  readonly lastUuid: string | null;
  /** The first `maxUuids` distinct uuids of the head window, in file order. */
  readonly headUuids: string[];
  /** The last `maxUuids` distinct uuids of the tail window, in file order. */
  readonly tailUuids: string[];
  /** `logicalParentUuid` of every compact boundary seen, in file order. */
  readonly compactBoundaries: string[];
  /** `leafUuid` of every `summary` / `last-prompt` row seen, in file order. */
  readonly leafUuids: string[];
  readonly forkedFrom: TranscriptForkOrigin | null;
  /**
   * The session this one was `/clear`ed from: the snake_case `session_id` that post-clear rows
   * carry (the pre-clear id) beside their own `sessionId` (head window; only when they differ).
   */
  readonly clearedFrom: string | null;
  /** Raw text of the first prompt a person typed (head window only), not sanitized. */
  readonly firstHumanPromptRaw: string | null;
  readonly firstTimestamp: string | null;
  readonly lastTimestamp: string | null;
  readonly cwd: string | null;
  readonly gitBranch: string | null;
  /** Last `ai-title` seen (tail window first, then head). */
  readonly aiTitle: string | null;
  /** Last `custom-title` seen (tail window first, then head). */
  readonly customTitle: string | null;
  readonly prLinks: TranscriptPrLink[];
  readonly version: string | null;
  /** File size in bytes from `fstat`; `null` when there is no regular file. */
  readonly size: number | null;
  /** File mtime as ISO 8601; `null` when there is no regular file. */
  readonly mtime: string | null;
  /** Bytes read from the file: at most `headBytes + tailBytes`. */
  readonly bytesRead: number;
}

/** Options of {@link readTranscriptMeta}. */
export interface ReadTranscriptMetaOptions {
  /** Deadline on the monotonic clock (`performance.now()` ms); once past, no further window is read and `reason` is `'deadline'`. */
  readonly deadline?: number;
  /** Head window in bytes (default 256 KiB). */
  readonly headBytes?: number;
  /** Tail window in bytes (default 256 KiB). */
  readonly tailBytes?: number;
  /** How many uuids `headUuids` / `tailUuids` keep (default 32). */
  readonly maxUuids?: number;
}

/** A writable copy of `T` (the readers fill their result field by field). */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The facts of a transcript before anything is read (shared with the Codex reader). */
export function emptyMeta(path: string): Mutable<TranscriptMeta> {
  return {
    status: 'ok',
    path,
    sessionId: null,
    firstUuid: null,
    firstParentUuid: null,
    lastUuid: null,
    headUuids: [],
    tailUuids: [],
    compactBoundaries: [],
    leafUuids: [],
    forkedFrom: null,
    clearedFrom: null,
    firstHumanPromptRaw: null,
    firstTimestamp: null,
    lastTimestamp: null,
    cwd: null,
    gitBranch: null,
    aiTitle: null,
    customTitle: null,
    prLinks: [],
    version: null,
    size: null,
    mtime: null,
    bytesRead: 0,
  };
}

/** `value` floored when it is a finite number ≥ 1, else `fallback` (a window option). */
export function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

/** `value` floored when it is a finite number ≥ 0, else `fallback` (a window option). */
export function nonNegativeInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

/**
 * Read the facts sessions-db needs from a Claude Code transcript, looking only at a bounded head
 * window and a bounded tail window (the whole file, read once, when it is smaller than both), so
 * the cost does not grow with the file. Of those windows only the lines that can hold a fact are
 * decoded and parsed (see {@link selectRecords}). Synchronous; never blocks on FIFOs or devices; never
 * throws: every outcome is a {@link TranscriptStatus}.
 */
export function readTranscriptMeta(
  path: string,
  options: ReadTranscriptMetaOptions = {},
): TranscriptMeta {
  const meta = emptyMeta(typeof path === 'string' ? path : String(path));
  if (typeof path !== 'string' || path === '') {
    return { ...meta, status: 'missing', reason: 'no path' };
  }
  const opened = openRegularFile(path);
  switch (opened.kind) {
    case 'missing':
      return { ...meta, status: 'missing', reason: opened.code };
    case 'not_regular':
      return { ...meta, status: 'corrupted', reason: 'not a regular file' };
    case 'error':
      return { ...meta, status: 'corrupted', reason: `open failed: ${opened.message}` };
    case 'open':
      break;
  }
  try {
    meta.size = opened.stat.size;
    meta.mtime = opened.stat.mtime.toISOString();
    readWindows(opened.fd, opened.stat.size, meta, options);
  } catch (error) {
    meta.status = 'corrupted';
    meta.reason = `read failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    closeQuietly(opened.fd);
  }
  return meta;
}

const NEWLINE = 0x0a;

/**
 * The smallest window whose lines are selected ({@link selectRecords}) rather than all parsed: in
 * a small window, searching for the lines that hold a fact costs more than parsing them all
 * (`import`'s 16 KiB windows of a transcript it already holds: 1000 of them, 196 ms selected
 * against 62 ms parsed whole). `collect` finds the same facts either way.
 */
const SELECT_FROM_BYTES = 128 * 1024;

/** The records of `window` that {@link collect} needs: selected in a large window, all in a small one. */
function windowRecords(
  window: LineWindow,
  ends: { readonly head: boolean; readonly tail: boolean },
  maxUuids: number,
  windowBytes: number,
): TranscriptRecord[] {
  return windowBytes >= SELECT_FROM_BYTES
    ? selectRecords(window, ends, maxUuids)
    : everyRecord(window);
}

function readWindows(
  fd: number,
  size: number,
  meta: Mutable<TranscriptMeta>,
  options: ReadTranscriptMetaOptions,
): void {
  const headBytes = positiveInteger(options.headBytes, DEFAULT_WINDOW_BYTES);
  const tailBytes = nonNegativeInteger(options.tailBytes, DEFAULT_WINDOW_BYTES);
  const maxUuids = nonNegativeInteger(options.maxUuids, DEFAULT_MAX_UUIDS);
  const { deadline } = options;
  const expired = (): boolean => deadline !== undefined && performance.now() >= deadline;

  if (size === 0) return;
  if (expired()) {
    meta.reason = 'deadline';
    return;
  }

  if (size <= headBytes + tailBytes) {
    const buffer = readAt(fd, 0, size);
    meta.bytesRead = buffer.length;
    const window = new LineWindow(buffer, 0, buffer.length);
    // A file that fits in the two windows is parsed whole: with this few lines, searching for the
    // ones that hold a fact costs more than it saves (a 40 KB transcript, one cold call: 4.2 ms
    // parsed whole, 6.1 ms selected; at 400 KB about equal; two 256 KiB windows of a 5 MB file:
    // 14.1 ms whole, 10.4 ms selected). `collect` finds the same facts either way.
    const records = everyRecord(window);
    collect(meta, records, records, maxUuids);
    if (records.length === 0 && window.hasContent()) {
      meta.status = 'corrupted';
      meta.reason = 'no parsable record';
    }
    return;
  }

  const headBuffer = readAt(fd, 0, headBytes);
  meta.bytesRead = headBuffer.length;
  // Drop the last, partial line of the head window.
  const headEnd = headBuffer.lastIndexOf(NEWLINE);
  const headWindow = headEnd === -1 ? null : new LineWindow(headBuffer, 0, headEnd);
  const head =
    headWindow === null
      ? []
      : windowRecords(headWindow, { head: true, tail: false }, maxUuids, headBytes);

  let tailWindow: LineWindow | null = null;
  let tail: TranscriptRecord[] = [];
  let tailRead = false;
  if (expired()) {
    meta.reason = 'deadline';
  } else if (tailBytes > 0) {
    const tailBuffer = readAt(fd, size - tailBytes, tailBytes);
    meta.bytesRead += tailBuffer.length;
    tailRead = true;
    // Drop the first, partial line of the tail window (up to and including its first newline).
    const tailStart = tailBuffer.indexOf(NEWLINE);
    if (tailStart !== -1) {
      tailWindow = new LineWindow(tailBuffer, tailStart + 1, tailBuffer.length);
      tail = windowRecords(tailWindow, { head: false, tail: true }, maxUuids, tailBytes);
    }
  }
  collect(meta, head, tail, maxUuids, tailRead);

  if (headEnd === -1) {
    meta.status = 'too_large';
    meta.reason = 'the first line is larger than the head window';
  } else if (
    head.length + tail.length === 0 &&
    (headWindow?.hasContent() === true || tailWindow?.hasContent() === true)
  ) {
    meta.status = 'corrupted';
    meta.reason = 'no parsable record in the head or tail window';
  }
}

/** The records of every line of `window`, in file order (lines that are not records left out). */
function everyRecord(window: LineWindow): TranscriptRecord[] {
  const records: TranscriptRecord[] = [];
  for (const line of window.lines()) {
    const record = window.record(line);
    if (record !== null) records.push(record);
  }
  return records;
}

/**
 * Keys and values that {@link collect} looks for in every record of both windows (compact
 * boundaries, leaf bookmarks, fork and clear origins, PR links, titles): every line that holds one
 * is parsed.
 */
const ANYWHERE_NEEDLES = [
  '"logicalParentUuid"',
  '"leafUuid"',
  '"forkedFrom"',
  '"session_id"',
  '"pr-link"',
  '"ai-title"',
  '"custom-title"',
];

/** Keys whose first non-empty string value is a fact (head first, then tail). */
const FIRST_STRING_KEYS = ['sessionId', 'cwd', 'gitBranch', 'version'];

/**
 * The records of `window` that can change what {@link collect} finds, in file order: every line
 * that holds one of {@link ANYWHERE_NEEDLES}; from the start, the lines up to the first non-empty
 * value of each of {@link FIRST_STRING_KEYS}, and for a head window up to the first timestamp, the
 * first human prompt and the first `maxUuids` distinct uuids; for a tail window, from the end, up
 * to the last timestamp and the last `maxUuids` distinct uuids. A line is looked at only when its
 * bytes can hold the key ({@link LineWindow.find}), so a record left out could not have
 * changed any fact: `collect` over this selection equals `collect` over every record. When no line
 * is selected, lines are parsed until one is a record (none: the window has no parsable record).
 */
export function selectRecords(
  window: LineWindow,
  ends: { readonly head: boolean; readonly tail: boolean },
  maxUuids: number,
): TranscriptRecord[] {
  const chosen = new Set<number>();
  /** Parse the lines `find` visits, keeping each record, until `done` says the fact is found. */
  const until = (
    needle: string,
    direction: FindDirection,
    nonEmpty: boolean,
    done: (record: TranscriptRecord) => boolean,
  ): void => {
    window.find(needle, direction, nonEmpty, (line) => {
      const record = window.record(line);
      if (record === null) return false;
      chosen.add(line);
      return done(record);
    });
  };
  const uuids = (direction: FindDirection): void => {
    const seen = new Set<string>();
    until('"uuid"', direction, true, (record) => {
      const uuid = nonEmptyString(record['uuid']);
      if (uuid !== null) seen.add(uuid);
      return seen.size >= Math.max(1, maxUuids);
    });
  };
  const hasString =
    (key: string) =>
    (record: TranscriptRecord): boolean =>
      nonEmptyString(record[key]) !== null;

  for (const needle of ANYWHERE_NEEDLES) until(needle, 'forward', false, () => false);
  for (const key of FIRST_STRING_KEYS) until(`"${key}"`, 'forward', true, hasString(key));
  if (ends.head) {
    until('"timestamp"', 'forward', true, hasString('timestamp'));
    until('"user"', 'forward', false, (record) => humanPromptText(record) !== null);
    uuids('forward');
  }
  if (ends.tail) {
    until('"timestamp"', 'backward', true, hasString('timestamp'));
    uuids('backward');
  }
  if (chosen.size === 0) {
    for (const line of window.lines()) {
      if (window.record(line) !== null) {
        chosen.add(line);
        break;
      }
    }
  }
  return [...chosen].sort((a, b) => a - b).map((line) => window.record(line) as TranscriptRecord);
}

function pushDistinct(list: string[], seen: Set<string>, value: string | null): void {
  if (value !== null && !seen.has(value)) {
    seen.add(value);
    list.push(value);
  }
}

function lastTitle(
  records: readonly TranscriptRecord[],
  type: string,
  keys: string[],
): string | null {
  for (let i = records.length - 1; i >= 0; i -= 1) {
    const record = records[i];
    if (record === undefined || record['type'] !== type) continue;
    for (const key of keys) {
      const title = nonEmptyString(record[key]);
      if (title !== null) return title;
    }
  }
  return null;
}

function firstString(records: readonly TranscriptRecord[], key: string): string | null {
  for (const record of records) {
    const value = nonEmptyString(record[key]);
    if (value !== null) return value;
  }
  return null;
}

function forkOrigin(record: TranscriptRecord): TranscriptForkOrigin | null {
  const forked = asObject(record['forkedFrom']);
  const sessionId = forked === null ? null : nonEmptyString(forked['sessionId']);
  if (forked === null || sessionId === null) return null;
  return { sessionId, messageUuid: nonEmptyString(forked['messageUuid']) };
}

/** The pre-clear id a post-`/clear` row carries in `session_id` beside a different `sessionId`. */
function clearOrigin(record: TranscriptRecord): string | null {
  const previous = nonEmptyString(record['session_id']);
  const own = nonEmptyString(record['sessionId']);
  return previous !== null && own !== null && previous !== own ? previous : null;
}

function prLink(record: TranscriptRecord): TranscriptPrLink | null {
  const rawNumber = record['prNumber'];
  const number = typeof rawNumber === 'number' && Number.isFinite(rawNumber) ? rawNumber : null;
  const url = nonEmptyString(record['prUrl']);
  if (number === null && url === null) return null;
  return { number, url, repository: nonEmptyString(record['prRepository']) };
}

/**
 * Fill `meta` from the head records and the tail records. When the whole file was read once,
 * `head` and `tail` are the same array; the windows are then never counted twice. Exported for
 * the test that {@link selectRecords} leaves out no record that matters.
 */
export function collect(
  meta: Mutable<TranscriptMeta>,
  head: readonly TranscriptRecord[],
  tail: readonly TranscriptRecord[],
  maxUuids: number,
  tailRead = true,
): void {
  const sameWindow = head === tail;
  const all = sameWindow ? head : [...head, ...tail];
  const headOrTail = (key: string): string | null =>
    firstString(head, key) ?? (sameWindow ? null : firstString(tail, key));

  meta.sessionId = headOrTail('sessionId');
  meta.cwd = headOrTail('cwd');
  meta.gitBranch = headOrTail('gitBranch');
  meta.version = headOrTail('version');

  const headSeen = new Set<string>();
  for (const record of head) {
    const uuid = nonEmptyString(record['uuid']);
    if (meta.firstTimestamp === null) meta.firstTimestamp = nonEmptyString(record['timestamp']);
    if (uuid !== null && meta.firstUuid === null) {
      meta.firstUuid = uuid;
      meta.firstParentUuid = nonEmptyString(record['parentUuid']);
    }
    if (uuid !== null && meta.headUuids.length < maxUuids)
      pushDistinct(meta.headUuids, headSeen, uuid);
    if (meta.firstHumanPromptRaw === null) meta.firstHumanPromptRaw = humanPromptText(record);
    if (meta.clearedFrom === null) meta.clearedFrom = clearOrigin(record);
  }

  if (tailRead) {
    const tailUuids: string[] = [];
    const tailSeen = new Set<string>();
    for (let i = tail.length - 1; i >= 0; i -= 1) {
      const record = tail[i];
      if (record === undefined) continue;
      const uuid = nonEmptyString(record['uuid']);
      if (meta.lastTimestamp === null) meta.lastTimestamp = nonEmptyString(record['timestamp']);
      if (uuid !== null && meta.lastUuid === null) meta.lastUuid = uuid;
      if (uuid !== null && tailUuids.length < maxUuids) pushDistinct(tailUuids, tailSeen, uuid);
    }
    meta.tailUuids = tailUuids.reverse();
  }

  const boundarySeen = new Set<string>();
  const leafSeen = new Set<string>();
  const prSeen = new Set<string>();
  for (const record of all) {
    const type = nonEmptyString(record['type']);
    pushDistinct(meta.compactBoundaries, boundarySeen, nonEmptyString(record['logicalParentUuid']));
    if (type === 'summary' || type === 'last-prompt') {
      pushDistinct(meta.leafUuids, leafSeen, nonEmptyString(record['leafUuid']));
    }
    if (meta.forkedFrom === null) meta.forkedFrom = forkOrigin(record);
    if (type === 'pr-link') {
      const link = prLink(record);
      const key =
        link === null ? '' : `${link.repository ?? ''}#${link.number ?? ''}#${link.url ?? ''}`;
      if (link !== null && !prSeen.has(key)) {
        prSeen.add(key);
        meta.prLinks.push(link);
      }
    }
  }

  meta.aiTitle =
    lastTitle(tail, 'ai-title', ['aiTitle', 'title']) ??
    lastTitle(head, 'ai-title', ['aiTitle', 'title']);
  meta.customTitle =
    lastTitle(tail, 'custom-title', ['customTitle']) ??
    lastTitle(head, 'custom-title', ['customTitle']);
}
