import type Database from 'better-sqlite3';

import { StoreError } from './errors.js';

/** Version of the SQLite index layout; a different stored version triggers a rebuild. */
export const INDEX_SCHEMA_VERSION = 5;

/** SQLite `application_id` of our index (`SDB1`): marks a database file as a sessions-db index. */
export const INDEX_APPLICATION_ID = 0x53444231;

/** Tables every layout of our index has had: an index from before `application_id` has them. */
const OUR_LEGACY_TABLES = ['meta', 'sessions'];

/**
 * Check, reading only, that the database is ours to write: empty (new), marked with
 * {@link INDEX_APPLICATION_ID}, or an index of ours from before that mark (no id, our tables).
 * Anything else (another application's database, say one a symlink or a mistake put there) is
 * never modified.
 * @throws StoreError `STORE_FOREIGN_INDEX`.
 * @throws the SQLite error when the file is not a readable database (`SQLITE_NOTADB`,
 * `SQLITE_CORRUPT`): the caller decides whether to move it aside.
 */
export function assertIndexIsOurs(db: Database.Database, path: string): void {
  const id = db.pragma('application_id', { simple: true }) as number;
  if (id === INDEX_APPLICATION_ID) return;
  const tables = db
    .prepare<[], { name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
    )
    .all()
    .map((row) => row.name);
  if (id === 0 && (tables.length === 0 || OUR_LEGACY_TABLES.every((t) => tables.includes(t))))
    return;
  throw new StoreError(
    'STORE_FOREIGN_INDEX',
    `${path} is not a sessions-db index (application_id ${id}, tables: ${tables.slice(0, 5).join(', ') || 'none'}); ` +
      'it was left untouched. Move it out of the store directory; the index is rebuilt from the log.',
  );
}

const TABLES = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sessions (
  seq               INTEGER PRIMARY KEY,
  stable_id         TEXT NOT NULL,
  record            TEXT NOT NULL,
  alias             TEXT,
  activity_state    TEXT,
  outcome           TEXT,
  created_at        TEXT,
  last_progress_at  TEXT,
  parent_session_id TEXT,
  branch_current    TEXT,
  branch_at_start   TEXT,
  cwd_text          TEXT,
  search_text       TEXT,
  claude_pid        INTEGER,
  end_reason        TEXT,
  ended_at          TEXT
);

-- Lookup tables refer to sessions by their integer seq (a few bytes instead of a 41-byte id).
CREATE TABLE IF NOT EXISTS claude_ids (csid TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS transcript_uuids (uuid TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fingerprints (name TEXT NOT NULL, value TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS links (kind TEXT NOT NULL, name TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER NOT NULL, offset INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS log_issues (
  offset    INTEGER PRIMARY KEY,
  line      INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  tolerated INTEGER NOT NULL,
  excerpt   TEXT NOT NULL,
  reason    TEXT NOT NULL
);
`;

/** Tables emptied by a rebuild (dropped and recreated: faster than deleting every row). */
export const REBUILT_TABLES = [
  'sessions',
  'claude_ids',
  'transcript_uuids',
  'fingerprints',
  'links',
  'events',
  'log_issues',
  'meta',
];

// The lookup tables are plain rowid tables whose unique indexes are built after a bulk load
// (a sort, instead of one random B-tree insert per row).
const INDEXES = `
CREATE UNIQUE INDEX IF NOT EXISTS sessions_key ON sessions (stable_id);
CREATE UNIQUE INDEX IF NOT EXISTS claude_ids_key ON claude_ids (csid, seq);
CREATE UNIQUE INDEX IF NOT EXISTS transcript_uuids_key ON transcript_uuids (uuid, seq, role);
CREATE UNIQUE INDEX IF NOT EXISTS fingerprints_key ON fingerprints (name, value, seq);
CREATE UNIQUE INDEX IF NOT EXISTS links_key ON links (kind, name, seq);
CREATE UNIQUE INDEX IF NOT EXISTS events_key ON events (seq, offset);
CREATE INDEX IF NOT EXISTS sessions_by_progress ON sessions (last_progress_at DESC, seq);
CREATE INDEX IF NOT EXISTS sessions_by_created ON sessions (created_at DESC, seq);
CREATE INDEX IF NOT EXISTS sessions_by_parent ON sessions (parent_session_id);
CREATE INDEX IF NOT EXISTS sessions_by_alias ON sessions (alias);
CREATE INDEX IF NOT EXISTS sessions_by_clear_end ON sessions (claude_pid, end_reason, ended_at);
`;

/** The secondary indexes, created after a bulk rebuild (faster than maintaining them row by row). */
export function createIndexes(db: Database.Database): void {
  db.exec(INDEXES);
}

/** Page size of a new index. */
const PAGE_SIZE = 8192;

/** Connection settings: WAL, normal sync (the log, not the index, is the durable truth). */
export function configureConnection(db: Database.Database, busyTimeoutMs: number): void {
  // Session rows are ~2 KB: 8 KiB pages hold three or four each instead of one per 4 KiB page.
  // (Takes effect only on a new, empty database, before WAL is switched on.)
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma('foreign_keys = OFF');
}

/**
 * Make sure the tables of the current layout exist. Returns the layout version the index had
 * (SQLite's `user_version`; 0 for a new index). A current index is recognised without running any
 * DDL, so opening the store stays cheap on the hook's path. An index of another layout is reset
 * to empty current tables (under the write lock, re-checked there in case another process just
 * did it); the caller then rebuilds it from the log.
 */
export function ensureSchema(db: Database.Database): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  const marked = (): boolean =>
    (db.pragma('application_id', { simple: true }) as number) === INDEX_APPLICATION_ID;
  if (version === INDEX_SCHEMA_VERSION && marked()) return version;
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (!marked()) db.pragma(`application_id = ${INDEX_APPLICATION_ID}`);
    if (current !== INDEX_SCHEMA_VERSION) {
      const tables = db
        .prepare<[], { name: string }>(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
        )
        .all();
      for (const { name } of tables) db.exec(`DROP TABLE IF EXISTS "${name.replace(/"/g, '""')}"`);
      db.exec(TABLES);
      db.exec(INDEXES);
    }
    db.exec('COMMIT');
    return current;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Record that the index now has the current layout (after a rebuild, in its transaction). */
export function markSchemaCurrent(db: Database.Database): void {
  db.pragma(`user_version = ${INDEX_SCHEMA_VERSION}`);
}

/**
 * Empty every table for a rebuild (inside the caller's transaction): drop and recreate them
 * without their secondary indexes, which `createIndexes` builds after the bulk load.
 */
export function resetTablesForRebuild(db: Database.Database): void {
  for (const table of REBUILT_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  db.exec(TABLES);
}
