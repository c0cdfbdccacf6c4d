import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { archivedLength, listVersions, readArchived } from './archive.js';
import { extractorFor, isCodexArchive } from './archived-rows.js';
import {
  ensureContentSchema,
  ensureSeenSchema,
  hasCurrentSchema,
  resetContentTables,
  SESSION_ROW_SPAN,
} from './content-schema.js';
import { contentRowsOf, parseLine } from './extract-rows.js';
import type { ContentRow } from './extract-rows.js';
import { addSessionChunk, dropSessionChunks } from './session-chunks.js';
import { statement } from './statements.js';
import type { UsageRecord } from './usage/extract-usage.js';
import {
  ensureUsageSchema,
  usageCollector,
  usageFileState,
  writeUsage,
} from './usage/usage-index.js';

/** An open content index (SQLite FTS5, its own database file beside the store's index). */
export interface ContentIndex {
  readonly db: Database.Database;
  close(): void;
}

/**
 * Opens (creating when missing) the content index at `dbPath`, file mode 0600. An index of an
 * earlier layout is converted on the way (see `ensureContentSchema`), `options.onConvert` called
 * before.
 */
export function openContentIndex(
  dbPath: string,
  options: { readonly onConvert?: () => void } = {},
): ContentIndex {
  closeSync(openSync(dbPath, 'a', 0o600));
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  // A cache of the archive (rebuilt by `rebuild --content`): a commit need not wait for the disk;
  // with WAL a crash loses at most the last commits, never the database.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  ensureContentSchema(db, options.onConvert);
  ensureSeenSchema(db);
  ensureUsageSchema(db);
  return { db, close: () => db.close() };
}

/** What indexing one archived transcript did. */
export interface IndexFileResult {
  readonly rowsAdded: number;
  readonly bytesIndexed: number;
}

/** Drop every row and file state of the index in one transaction (before a rebuild from the archive). */
export function clearContentIndex(index: ContentIndex): void {
  index.db.transaction(() => {
    resetContentTables(index.db);
    index.db.exec('DELETE FROM usage_responses');
    index.db.exec('DELETE FROM usage_files');
  })();
}

/**
 * Bytes of an archived transcript the caller already holds (it has just archived them): the
 * transcript's bytes from `from` to the end of archive version `version`. Indexing reads them
 * instead of decompressing them from the archive again.
 */
export interface ArchivedTail {
  readonly version: number;
  readonly from: number;
  readonly bytes: Buffer;
}

/** The number of logical session `stableId` in the index, given one when it has none. */
function sessionNumber(db: Database.Database, stableId: string): number {
  statement(db, 'INSERT OR IGNORE INTO content_sessions (stable_id) VALUES (?)').run(stableId);
  const row = statement(db, 'SELECT no FROM content_sessions WHERE stable_id = ?').get(
    stableId,
  ) as { no: number };
  return row.no;
}

/** The next free row id of session number `no` (see `SESSION_ROW_BITS`). */
function nextRowId(db: Database.Database, no: number): number {
  const first = no * SESSION_ROW_SPAN;
  const row = statement(db, 'SELECT max(id) AS last FROM content_rows WHERE id > ? AND id < ?').get(
    first,
    first + SESSION_ROW_SPAN,
  ) as { last: number | null };
  return (row.last ?? first) + 1;
}

/**
 * Indexes what the archive holds for `key` beyond what the index already has: its text rows and
 * its usage (each with its own byte count, so an index from before usage was kept catches up
 * on usage alone), complete lines only, in one transaction (a crash leaves the index as it was;
 * inside the caller's transaction it is a savepoint of it). A new archive version, or another
 * stable id, replaces the rows of the old one. `tail`, when given, holds the archive's last
 * bytes, read instead of the archive when they cover what is to be indexed.
 */
export function indexArchived(
  index: ContentIndex,
  archiveDir: string,
  key: string,
  ids: { readonly stableId: string; readonly claudeSessionId: string },
  tail?: ArchivedTail,
): IndexFileResult {
  return index.db.transaction(() =>
    indexArchivedInTransaction(index, archiveDir, key, ids, isCodexArchive(archiveDir, key), tail),
  )();
}

/**
 * {@link indexArchived} inside the caller's transaction, which it must be in (no savepoint of its
 * own: a batch of transcripts commits or rolls back as one, and a savepoint per transcript copied
 * every page it touched to a statement journal first). `codex`: whether the transcript is a Codex
 * rollout (see `isCodexArchive`; the caller knows it from the transcript's path).
 */
export function indexArchivedInTransaction(
  index: ContentIndex,
  archiveDir: string,
  key: string,
  ids: { readonly stableId: string; readonly claudeSessionId: string },
  codex: boolean,
  tail?: ArchivedTail,
): IndexFileResult {
  const version = tail?.version ?? listVersions(archiveDir, key).at(-1);
  if (version === undefined) return { rowsAdded: 0, bytesIndexed: 0 };
  const { db } = index;
  if (!db.inTransaction) throw new Error('indexArchivedInTransaction needs a transaction');
  const state = statement(
    db,
    'SELECT version, indexed_bytes, stable_id FROM content_files WHERE key = ?',
  ).get(key) as { version: number; indexed_bytes: number; stable_id: string } | undefined;
  const restart =
    state === undefined || state.version !== version || state.stable_id !== ids.stableId;
  const from = restart ? 0 : state.indexed_bytes;
  const usage = usageFileState(db, key);
  const usageRestart =
    usage === undefined || usage.version !== version || usage.stableId !== ids.stableId;
  const usageFrom = usageRestart ? 0 : usage.bytes;
  const start = Math.min(from, usageFrom);
  let bytes: Buffer;
  if (tail !== undefined && tail.from <= start) {
    if (tail.from + tail.bytes.length <= start) return { rowsAdded: 0, bytesIndexed: 0 };
    bytes = tail.bytes.subarray(start - tail.from);
  } else {
    if (archivedLength(archiveDir, key, version) <= start) return { rowsAdded: 0, bytesIndexed: 0 };
    bytes = readArchived(archiveDir, key, version, start);
  }
  const extracted = extractTranscript(bytes, { start, from, usageFrom }, key, codex);
  return writeExtracted(
    index,
    key,
    { ...ids, version },
    { rows: restart && state !== undefined, usage: usageRestart && usage !== undefined },
    extracted,
    from,
  );
}

/**
 * What one transcript's new complete lines give the index, extracted without a database (the
 * half of indexing that {@link writeExtracted} does not do): every line parsed once, for its
 * text rows and its usage.
 */
export interface ExtractedTranscript {
  /** Text rows of the complete lines at or past `from`, in order. */
  readonly rows: readonly ContentRow[];
  /** Usage responses of the complete lines at or past `usageFrom`, each once (merged). */
  readonly usage: readonly UsageRecord[];
  /** Where the file's indexed bytes end: `start` plus the bytes of the complete lines. */
  readonly end: number;
}

/**
 * Extracts the complete lines of `bytes` (the transcript's bytes from offset `start`): the text
 * rows of those at or past `from`, the usage of those at or past `usageFrom`. `key` names the
 * transcript (a Codex rollout's usage is keyed by it); `codex`: whether it is one.
 */
export function extractTranscript(
  bytes: Buffer,
  span: { readonly start: number; readonly from: number; readonly usageFrom: number },
  key: string,
  codex: boolean,
): ExtractedTranscript {
  const { start, from, usageFrom } = span;
  const lastNewline = bytes.lastIndexOf(0x0a);
  const complete = lastNewline < 0 ? 0 : lastNewline + 1;
  const extract = extractorFor(codex);
  const usage = usageCollector(key, codex);
  const rows: ContentRow[] = [];
  let at = 0;
  while (at < complete) {
    const end = bytes.indexOf(0x0a, at);
    const offset = start + at;
    if (end > at) {
      const line = bytes.toString('utf8', at, end);
      // a Claude line is parsed once for its text and its usage
      const parsed = codex ? undefined : parseLine(line);
      if (offset >= from)
        for (const row of parsed === undefined ? extract(line) : contentRowsOf(parsed))
          rows.push(row);
      if (offset >= usageFrom) usage.line(line, parsed);
    }
    at = end + 1;
  }
  return { rows, usage: usage.records(), end: start + complete };
}

/**
 * Writes what {@link extractTranscript} gave for transcript `key` (archive version
 * `ids.version`) inside the caller's transaction, which it must be in: the rows and session
 * chunk of an earlier version (or another session) dropped first when `drop.rows`, its usage
 * when `drop.usage`; then the new rows (`content_rows`, `content_text`), their session chunk,
 * the usage responses and both file states. `from`: where the new rows' lines began (for the
 * result's byte count). The part of indexing that only the index's one writer can do.
 */
export function writeExtracted(
  index: ContentIndex,
  key: string,
  ids: { readonly stableId: string; readonly claudeSessionId: string; readonly version: number },
  drop: { readonly rows: boolean; readonly usage: boolean },
  extracted: ExtractedTranscript,
  from: number,
): IndexFileResult {
  const { db } = index;
  if (!db.inTransaction) throw new Error('writeExtracted needs a transaction');
  const insert = statement(
    db,
    `INSERT INTO content_rows (id, file_key, stable_id, claude_session_id, role, ts, uuid, text)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertText = statement(db, 'INSERT INTO content_text (rowid, text) VALUES (?, ?)');
  const usageRows = writeUsage(db, key, ids);
  // Rows of an earlier version (or of another session) go first.
  if (drop.rows) {
    dropSessionChunks(db, key);
    statement(db, 'DELETE FROM content_rows WHERE file_key = ?').run(key);
  }
  if (drop.usage) usageRows.restart();
  const no = sessionNumber(db, ids.stableId);
  let id = nextRowId(db, no);
  const firstId = id;
  for (const row of extracted.rows) {
    if (id >= (no + 1) * SESSION_ROW_SPAN)
      throw new Error(`session ${ids.stableId} has more rows than the content index holds`);
    insert.run(id, key, ids.stableId, ids.claudeSessionId, row.role, row.ts, row.uuid, row.text);
    insertText.run(id, row.text);
    id += 1;
  }
  addSessionChunk(db, key, firstId, extracted.rows);
  statement(
    db,
    `INSERT INTO content_files (key, version, indexed_bytes, stable_id, claude_session_id)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET version = excluded.version,
       indexed_bytes = excluded.indexed_bytes, stable_id = excluded.stable_id,
       claude_session_id = excluded.claude_session_id`,
  ).run(key, ids.version, extracted.end, ids.stableId, ids.claudeSessionId);
  usageRows.finish(extracted.usage, extracted.end);
  return { rowsAdded: extracted.rows.length, bytesIndexed: extracted.end - from };
}

/**
 * Bytes of each archived transcript already in the index, by archive key: of every transcript,
 * or of only those of `keys`.
 */
export function indexedBytes(
  index: ContentIndex,
  keys?: readonly string[],
): Map<string, { version: number; bytes: number }> {
  // What both the text rows and the usage hold: an index from before usage was kept is behind.
  const sql = `SELECT c.key, c.version, min(c.indexed_bytes, coalesce(u.bytes, 0)) AS indexed_bytes
       FROM content_files c LEFT JOIN usage_files u ON u.key = c.key`;
  const rows = (
    keys === undefined
      ? index.db.prepare(sql).all()
      : statement(index.db, `${sql} WHERE c.key IN (SELECT value FROM json_each(?))`).all(
          JSON.stringify(keys),
        )
  ) as {
    key: string;
    version: number;
    indexed_bytes: number;
  }[];
  return new Map(rows.map((r) => [r.key, { version: r.version, bytes: r.indexed_bytes }]));
}

/**
 * Opens the content index at `dbPath` for reading only (`sessions-db mcp`): nothing is created,
 * written or caught up; `null` when the file does not exist yet (nothing indexed) or was written
 * in an earlier layout that only a writer converts (the next `search` or `import` does).
 */
export function openContentIndexReadOnly(dbPath: string): ContentIndex | null {
  if (!existsSync(dbPath)) return null;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  if (!hasCurrentSchema(db)) {
    db.close();
    return null;
  }
  return { db, close: () => db.close() };
}
