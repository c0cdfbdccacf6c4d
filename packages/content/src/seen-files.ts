import { statSync } from 'node:fs';
import type { ContentIndex } from './content-index.js';
import { SEEN_UNSETTLED } from './content-schema.js';
import { statement } from './statements.js';
import type { TranscriptRef } from './update-content.js';

/** A file's stat as the catch-up compares it; every field `-1` for a file that does not exist. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/** The stamp of a file that does not exist. */
export const MISSING_FILE: FileStamp = { size: -1, mtimeMs: -1, ctimeMs: -1 };

/** One transcript file as the catch-up last saw it. */
export interface SeenFile extends TranscriptRef {
  readonly stamp: FileStamp;
  /** When the catch-up last looked at it (epoch ms; read back only with a `settleAfter`). */
  readonly seenAt?: number;
}

/**
 * Whether a file seen as `file` need not be stat'ed again: it was seen at or after the time its
 * session stopped being written without an event (see `TranscriptRef.settleAfter`).
 */
export function isSettled(file: Pick<SeenFile, 'settleAfter' | 'seenAt'>): boolean {
  return (
    file.settleAfter !== undefined &&
    file.settleAfter !== null &&
    file.seenAt !== undefined &&
    file.seenAt >= file.settleAfter
  );
}

/**
 * When a file seen with `stamp` stops being written without an event (epoch ms), as recorded in
 * `content_seen`: the ref's `settleAfter`, else, for a ref with `settleIdleMs`, the file's
 * modification time plus that (a file that does not exist never settles); `null`: never.
 */
export function settleAfterFor(
  ref: Pick<TranscriptRef, 'settleAfter' | 'settleIdleMs'>,
  stamp: FileStamp,
): number | null {
  if (ref.settleAfter !== undefined && ref.settleAfter !== null) return ref.settleAfter;
  return ref.settleIdleMs === undefined || stamp.size < 0 ? null : stamp.mtimeMs + ref.settleIdleMs;
}

/** The stamp of the file at `path` now ({@link MISSING_FILE} when there is none). */
export function fileStamp(path: string): FileStamp {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats === undefined
    ? MISSING_FILE
    : { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

/**
 * The stamp of the file at `path` when it differs from `before` (or there is no `before`);
 * `null` when the file is as it was (no stamp is made for it).
 */
export function changedStamp(path: string, before: FileStamp | undefined): FileStamp | null {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined)
    return before !== undefined && sameStamp(before, MISSING_FILE) ? null : MISSING_FILE;
  if (
    before !== undefined &&
    stats.size === before.size &&
    stats.mtimeMs === before.mtimeMs &&
    stats.ctimeMs === before.ctimeMs
  )
    return null;
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

/** Whether two stamps say the file is unchanged. */
export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

const SEEN_COLUMNS =
  'path, stable_id, claude_session_id, size, mtime_ms, ctime_ms, settle_after, seen_at';

/**
 * Every file the catch-up has seen, with its last stamp (one query); with `unsettled`, only the
 * files it must still stat (not {@link isSettled}: read from a partial index of them) and those
 * of `unsettled.alsoPaths`.
 */
export function readSeenFiles(
  index: ContentIndex,
  unsettled?: { readonly alsoPaths: readonly string[] },
): SeenFile[] {
  const rows = (
    unsettled === undefined
      ? statement(index.db, `SELECT ${SEEN_COLUMNS} FROM content_seen`).raw(true).all()
      : statement(
          index.db,
          // two lookups (the partial index of the unsettled, the paths' own), read in the
          // table's order as a scan of every row would
          `SELECT ${SEEN_COLUMNS} FROM content_seen WHERE rowid IN (
             SELECT rowid FROM content_seen WHERE ${SEEN_UNSETTLED}
             UNION ALL SELECT rowid FROM content_seen WHERE path IN (SELECT value FROM json_each(?)))`,
        )
          .raw(true)
          .all(JSON.stringify(unsettled.alsoPaths))
  ) as [string, string, string, number, number, number, number | null, number][];
  return rows.map(
    ([path, stableId, claudeSessionId, size, mtimeMs, ctimeMs, settleAfter, seenAt]) => ({
      path,
      stableId,
      claudeSessionId,
      stamp: { size, mtimeMs, ctimeMs },
      ...(settleAfter === null ? {} : { settleAfter, seenAt }),
    }),
  );
}

/**
 * Record what the catch-up saw of `files` (each replacing its earlier row, with when it settles:
 * {@link settleAfterFor}) and set `marks`, in one transaction; nothing is written when there is no file
 * and every mark is already set so. `seenAt` (epoch ms) must be no later than the files were
 * stat'ed; without it a file is never settled.
 */
export function recordSeenFiles(
  index: ContentIndex,
  files: readonly SeenFile[],
  marks: Readonly<Record<string, number>> = {},
  seenAt = 0,
): void {
  const { db } = index;
  const changedMarks = Object.entries(marks).filter(
    ([name, value]) => readContentMark(index, name) !== value,
  );
  if (files.length === 0 && changedMarks.length === 0) return;
  const upsert = statement(
    db,
    `INSERT INTO content_seen (path, stable_id, claude_session_id, size, mtime_ms, ctime_ms,
       settle_after, seen_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(path) DO UPDATE SET stable_id = excluded.stable_id,
       claude_session_id = excluded.claude_session_id, size = excluded.size,
       mtime_ms = excluded.mtime_ms, ctime_ms = excluded.ctime_ms,
       settle_after = excluded.settle_after, seen_at = excluded.seen_at`,
  );
  const mark = statement(
    db,
    `INSERT INTO content_marks (name, value) VALUES (?, ?)
     ON CONFLICT(name) DO UPDATE SET value = excluded.value`,
  );
  db.transaction(() => {
    for (const file of files) {
      const { size, mtimeMs, ctimeMs } = file.stamp;
      upsert.run(
        file.path,
        file.stableId,
        file.claudeSessionId,
        size,
        mtimeMs,
        ctimeMs,
        settleAfterFor(file, file.stamp),
        seenAt,
      );
    }
    for (const [name, value] of changedMarks) mark.run(name, value);
  })();
}

/** The mark `name` set by {@link recordSeenFiles}; `undefined` when never set. */
export function readContentMark(index: ContentIndex, name: string): number | undefined {
  const row = statement(index.db, 'SELECT value FROM content_marks WHERE name = ?').get(name) as
    { value: number } | undefined;
  return row?.value;
}
