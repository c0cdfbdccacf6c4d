import type Database from 'better-sqlite3';
import { CHUNKS_SCHEMA, fillSessionChunks } from './session-chunks.js';
import { isSqliteBusy } from './sqlite-busy.js';
import { schemaSql } from './statements.js';

/**
 * Layout version of the content index, kept in SQLite's `user_version`. 0 is the first layout
 * (one FTS5 table holding the text and six stored columns); 2 keeps the rows in an ordinary table
 * and only the text's index in FTS5 (external content); 3 adds the session-level index
 * (`content_chunks`, see `session-chunks.ts`).
 */
export const CONTENT_SCHEMA_VERSION = 3;

/** The layout before {@link CONTENT_SCHEMA_VERSION}: a read-only open searches it row by row. */
const ROWS_ONLY_VERSION = 2;

/** The tokenizer of the row-level index (`content_text`), as its `CREATE` statement names it. */
export const TOKENIZE = `tokenize = 'unicode61 remove_diacritics 2'`;

/**
 * Rows of one logical session per row id block: a row's id is its session's number times
 * `SESSION_ROW_SPAN` plus its place in the session, so a match's session is its row id divided
 * by the span (`id >> SESSION_ROW_BITS`), found without reading the row. 2^28 rows per session,
 * 2^25 sessions: every id stays a safe JavaScript integer.
 */
export const SESSION_ROW_BITS = 28;
/** See {@link SESSION_ROW_BITS}. */
export const SESSION_ROW_SPAN = 2 ** SESSION_ROW_BITS;

/**
 * The covering index of each row's time by its id (`content_rows (id, ts)`): a search's recency
 * tiebreak reads the time of every session's best match from it instead of from the rows (whose
 * pages hold the text: a common word's ties read thousands of them). Indexes made before it gain
 * it when opened for writing (see {@link ensureContentSchema}).
 */
export const ROWS_TIME_INDEX = 'content_rows_ts';

/**
 * The rows (`content_rows`, one per searchable piece of a transcript, with what the search
 * filters and shows), the full-text index of their text (`content_text`, external content: the
 * text is stored once, in `content_rows`; the writer adds each row's text to it, a trigger takes
 * it out with the row: an insert trigger cost twice the insert itself), and the number of each
 * logical session (`content_sessions`, see {@link SESSION_ROW_BITS}).
 */
const ROWS_SCHEMA = `
CREATE TABLE IF NOT EXISTS content_sessions (
  no INTEGER PRIMARY KEY,
  stable_id TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS content_files (
  key TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  indexed_bytes INTEGER NOT NULL,
  stable_id TEXT NOT NULL,
  claude_session_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS content_rows (
  id INTEGER PRIMARY KEY,
  file_key TEXT NOT NULL,
  stable_id TEXT NOT NULL,
  claude_session_id TEXT NOT NULL,
  role TEXT NOT NULL,
  ts TEXT NOT NULL,
  uuid TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS content_rows_by_file ON content_rows (file_key);
CREATE INDEX IF NOT EXISTS content_rows_ts ON content_rows (id, ts);
CREATE VIRTUAL TABLE IF NOT EXISTS content_text USING fts5(
  text, content = 'content_rows', content_rowid = 'id', ${TOKENIZE}
);
CREATE TRIGGER IF NOT EXISTS content_rows_delete AFTER DELETE ON content_rows BEGIN
  INSERT INTO content_text (content_text, rowid, text) VALUES ('delete', old.id, old.text);
END;
${CHUNKS_SCHEMA}`;

/**
 * What a catch-up (`search`'s) last saw of each transcript file it looked at (`content_seen`):
 * the file's size, modification and change times (`-1` when it did not exist) and the session
 * it belongs to; a file whose stat still says the same need not be looked at again, what it held
 * was archived and indexed then; `settle_after` and `seen_at` say when it need not even be stat'ed
 * (see `readSeenFiles`). `content_marks` keeps named positions (how much of the store's log the
 * catch-up has read). Dropped with the rows: an emptied index is caught up in full.
 */
const SEEN_SCHEMA = `
CREATE TABLE IF NOT EXISTS content_seen (
  path TEXT PRIMARY KEY,
  stable_id TEXT NOT NULL,
  claude_session_id TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  ctime_ms REAL NOT NULL,
  settle_after REAL,
  seen_at REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS content_marks (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`;

/**
 * Columns added to `content_seen` after its first layout: when the file's session stops being
 * written without an event (`settle_after`, epoch ms, `NULL` never) and when the catch-up last
 * looked at it (`seen_at`). A row from before them is never settled (stat'ed by every catch-up).
 */
const SEEN_COLUMNS = {
  settle_after: 'REAL',
  seen_at: 'REAL NOT NULL DEFAULT 0',
} as const;

/**
 * The condition of a `content_seen` row that a catch-up must still stat: its file is not settled
 * (see `isSettled`). The text of {@link SEEN_UNSETTLED_INDEX}'s `WHERE`: a query must say it
 * word for word for SQLite to use that index.
 */
export const SEEN_UNSETTLED = 'settle_after IS NULL OR seen_at < settle_after';

/**
 * A partial index of the `content_seen` rows that are not settled ({@link SEEN_UNSETTLED}), so a
 * catch-up over a history whose files have settled reads a few index entries instead of every
 * row (10k transcripts: ~3 ms of a one-shot `search`). Created with the columns it names.
 */
const SEEN_UNSETTLED_INDEX = `CREATE INDEX IF NOT EXISTS content_seen_unsettled ON content_seen (seen_at)
  WHERE ${SEEN_UNSETTLED}`;

/**
 * Create the catch-up's tables (`content_seen`, `content_marks`) when missing, add the columns of
 * {@link SEEN_COLUMNS} to a `content_seen` from before them (looked at again under the write
 * lock: another process may have added them meanwhile), and {@link SEEN_UNSETTLED_INDEX}. An
 * index made before it gains it at its first writable open; when another writer holds the lock
 * past the busy timeout it is left for the next open (the catch-up reads every row meanwhile).
 */
export function ensureSeenSchema(db: Database.Database): void {
  db.exec(SEEN_SCHEMA);
  const missing = (): string[] => {
    const have = new Set(
      (db.pragma('table_info(content_seen)') as { name: string }[]).map((c) => c.name),
    );
    return Object.keys(SEEN_COLUMNS).filter((name) => !have.has(name));
  };
  if (missing().length > 0) {
    db.transaction(() => {
      for (const name of missing()) {
        db.exec(
          `ALTER TABLE content_seen ADD COLUMN ${name} ${SEEN_COLUMNS[name as keyof typeof SEEN_COLUMNS]}`,
        );
      }
    }).immediate();
  }
  try {
    db.exec(SEEN_UNSETTLED_INDEX);
  } catch (error) {
    if (!isSqliteBusy(error)) throw error;
  }
}

/** Whether the index has {@link ROWS_TIME_INDEX} (one made before it has not, until written). */
export function hasRowsTimeIndex(db: Database.Database): boolean {
  return schemaSql(db, 'index', ROWS_TIME_INDEX) !== undefined;
}

/** Whether `content_rows` is the first layout's FTS5 table. */
function hasFirstLayout(db: Database.Database): boolean {
  return /^CREATE VIRTUAL TABLE/i.test(schemaSql(db, 'table', 'content_rows') ?? '');
}

/**
 * Create the content tables, or bring an index of an earlier layout to this one in one
 * transaction (a crash leaves the old layout, converted again at the next open). The index is a
 * cache of the archive: the first layout's rows are copied over as they are (they came from the
 * archive; reading it again would give the same rows), its file states kept. A layout this code
 * does not know (a newer sessions-db) is dropped and recreated empty: the next `import` or
 * `rebuild --content` fills it again from the archive. Usage tables are the caller's.
 * `onConvert` is called, under the write lock, before the rows of an earlier layout are converted
 * (which takes a while for a large index: a 2 GB one of layout 2 ~25 s).
 */
export function ensureContentSchema(db: Database.Database, onConvert?: () => void): void {
  const versionOf = (): number => db.pragma('user_version', { simple: true }) as number;
  if (versionOf() === CONTENT_SCHEMA_VERSION) return;
  db.transaction(() => {
    // read again under the write lock: another process may have converted it meanwhile
    const version = versionOf();
    if (version === CONTENT_SCHEMA_VERSION) return;
    if (version === ROWS_ONLY_VERSION || (version === 0 && hasFirstLayout(db))) onConvert?.();
    if (version === ROWS_ONLY_VERSION) {
      // the rows stay; the time index (an index of layout 2 made before it) and the
      // session-level table are added, the latter filled from the rows
      db.exec(ROWS_SCHEMA);
      fillSessionChunks(db, ROWS_TIME_INDEX);
    } else if (version === 0 && hasFirstLayout(db)) {
      db.exec(`
        ALTER TABLE content_rows RENAME TO content_rows_v0;
        ${ROWS_SCHEMA}
        INSERT INTO content_sessions (stable_id)
          SELECT DISTINCT stable_id FROM content_rows_v0 ORDER BY stable_id;
        INSERT INTO content_rows (id, file_key, stable_id, claude_session_id, role, ts, uuid, text)
          SELECT s.no * ${String(SESSION_ROW_SPAN)}
              + row_number() OVER (PARTITION BY v.stable_id ORDER BY v.rowid),
            v.file_key, v.stable_id, v.claude_session_id, v.role, v.ts, v.uuid, v.text
          FROM content_rows_v0 v JOIN content_sessions s ON s.stable_id = v.stable_id
          ORDER BY 1;
        DROP TABLE content_rows_v0;
        INSERT INTO content_text (content_text) VALUES ('rebuild');
      `);
      fillSessionChunks(db, ROWS_TIME_INDEX);
    } else if (version !== 0) {
      dropContentTables(db);
    }
    db.exec(ROWS_SCHEMA);
    db.pragma(`user_version = ${String(CONTENT_SCHEMA_VERSION)}`);
  }).immediate();
}

function dropContentTables(db: Database.Database): void {
  db.exec(`
    DROP TABLE IF EXISTS content_seen;
    DROP TABLE IF EXISTS content_marks;
    DROP TRIGGER IF EXISTS content_rows_delete;
    DROP TABLE IF EXISTS content_text;
    DROP TABLE IF EXISTS content_chunks;
    DROP TABLE IF EXISTS content_chunk_files;
    DROP TABLE IF EXISTS content_rows;
    DROP TABLE IF EXISTS content_files;
    DROP TABLE IF EXISTS content_sessions;
  `);
}

/** Drop every text row and file state and recreate the tables empty (inside the caller's transaction). */
export function resetContentTables(db: Database.Database): void {
  dropContentTables(db);
  db.exec(ROWS_SCHEMA);
  db.exec(SEEN_SCHEMA);
  db.exec(SEEN_UNSETTLED_INDEX);
}

/**
 * Whether an index opened read-only has a layout this code searches: this one, or the one
 * before (searched row by row, without the session-level table, until a writer converts it).
 * An older one is read as empty.
 */
export function hasCurrentSchema(db: Database.Database): boolean {
  const version = db.pragma('user_version', { simple: true });
  return version === CONTENT_SCHEMA_VERSION || version === ROWS_ONLY_VERSION;
}
