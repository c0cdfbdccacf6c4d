import type Database from 'better-sqlite3';
import type { ContentRole, ContentRow } from './extract-rows.js';
import { schemaSql, statement } from './statements.js';

/**
 * The session-level full-text index (`content_chunks`, layout 3): one document per transcript
 * per indexing batch (a "chunk": the rows one `indexArchived` added for one transcript), its text
 * in one column per role, so a search ranks at most a few documents per logical session instead
 * of every matching row, and `--role` is a column filter. Contentless (`content = ''`: the text
 * is stored once, in `content_rows`) with `contentless_delete` (a chunk is deleted by its rowid).
 * A chunk's rowid is the id of its first row, so its session is `rowid >> SESSION_ROW_BITS`
 * like a row's; `content_chunk_files` says which transcript each chunk came from (its chunks go
 * with its rows) and the time of its latest row (`ts`, the largest: a search `since` a time skips
 * the chunks whose latest row is older, and the recency tiebreak between equal scores).
 */
export const CHUNKS_SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS content_chunks USING fts5(
  user, assistant, tool, content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS content_chunk_files (
  id INTEGER PRIMARY KEY,
  file_key TEXT NOT NULL,
  ts TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS content_chunk_files_by_file ON content_chunk_files (file_key);
`;

/** The columns of `content_chunks`, one per role, in order. */
export const CHUNK_ROLES: readonly ContentRole[] = ['user', 'assistant', 'tool'];

/** Whether the index has the session-level table (layout 3; a read-only open of layout 2 has not). */
export function hasSessionChunks(db: Database.Database): boolean {
  return schemaSql(db, 'table', 'content_chunks') !== undefined;
}

/**
 * Rows a transcript's last chunk may span and still take the next indexing call's rows in
 * (rewritten as one chunk): a live session indexed by every `search` catch-up and every session
 * end would otherwise gain a small chunk each time, and the search's work grows with the chunks
 * that match (bm25 looks up each one's size). Reading back at most this many rows is cheap.
 */
export const SMALL_CHUNK_ROWS = 64;

/**
 * Adds one chunk for the rows one indexing call added to a transcript (inside the caller's
 * transaction): `firstId` is the first row's id. When the transcript's last chunk spans fewer
 * than {@link SMALL_CHUNK_ROWS} row ids, it is rewritten with these rows appended instead (its
 * rows read back from `content_rows`; it keeps its rowid). Nothing is added for no rows.
 */
export function addSessionChunk(
  db: Database.Database,
  fileKey: string,
  firstId: number,
  rows: readonly ContentRow[],
): void {
  if (rows.length === 0) return;
  let id = firstId;
  let all: readonly Pick<ContentRow, 'role' | 'text' | 'ts'>[] = rows;
  const previous = statement(
    db,
    'SELECT id FROM content_chunk_files WHERE file_key = ? ORDER BY id DESC LIMIT 1',
  ).get(fileKey) as { id: number } | undefined;
  if (previous !== undefined && firstId - previous.id < SMALL_CHUNK_ROWS) {
    const earlier = statement(
      db,
      'SELECT role, text, ts FROM content_rows WHERE id >= ? AND id < ? AND file_key = ? ORDER BY id',
    ).all(previous.id, firstId, fileKey) as Pick<ContentRow, 'role' | 'text' | 'ts'>[];
    deleteChunk(db, previous.id);
    id = previous.id;
    all = [...earlier, ...rows];
  }
  const texts: Record<ContentRole, string[]> = { user: [], assistant: [], tool: [] };
  let latest = '';
  for (const row of all) {
    texts[row.role].push(row.text);
    if (row.ts > latest) latest = row.ts;
  }
  statement(
    db,
    'INSERT INTO content_chunks (rowid, user, assistant, tool) VALUES (?, ?, ?, ?)',
  ).run(id, texts.user.join('\n'), texts.assistant.join('\n'), texts.tool.join('\n'));
  statement(db, 'INSERT INTO content_chunk_files (id, file_key, ts) VALUES (?, ?, ?)').run(
    id,
    fileKey,
    latest,
  );
}

/** Deletes one chunk (inside the caller's transaction). */
function deleteChunk(db: Database.Database, id: number): void {
  // better-sqlite3 binds a number as a REAL, which FTS5 does not take as a rowid to seek
  statement(db, 'DELETE FROM content_chunks WHERE rowid = CAST(? AS INTEGER)').run(id);
  statement(db, 'DELETE FROM content_chunk_files WHERE id = ?').run(id);
}

/** Deletes the chunks of a transcript whose rows are being deleted (inside the caller's transaction). */
export function dropSessionChunks(db: Database.Database, fileKey: string): void {
  statement(
    db,
    `DELETE FROM content_chunks WHERE rowid IN
       (SELECT id FROM content_chunk_files WHERE file_key = ?)`,
  ).run(fileKey);
  statement(db, 'DELETE FROM content_chunk_files WHERE file_key = ?').run(fileKey);
}

/**
 * Fills the session-level table from `content_rows` (converting an index of layout 2, inside the
 * caller's transaction): one chunk per transcript, its rows in id order (SQLite reads them by
 * `content_rows_by_file`, whose entries are in `(file_key, id)` order) and the time of its latest
 * row, read from `timeIndex` (the covering index of each row's time by id: not the rows' pages).
 */
export function fillSessionChunks(db: Database.Database, timeIndex: string): void {
  const columns = CHUNK_ROLES.map(
    (role) => `coalesce(group_concat(CASE WHEN role = '${role}' THEN text END, char(10)), '')`,
  ).join(', ');
  db.exec(`
    INSERT INTO content_chunk_files (id, file_key, ts)
      SELECT min(r.id), r.file_key, max(t.ts)
      FROM content_rows r INDEXED BY content_rows_by_file
        JOIN content_rows t INDEXED BY ${timeIndex} ON t.id = r.id
      GROUP BY r.file_key;
    INSERT INTO content_chunks (rowid, ${CHUNK_ROLES.join(', ')})
      SELECT min(id), ${columns}
      FROM content_rows INDEXED BY content_rows_by_file GROUP BY file_key;
  `);
}
