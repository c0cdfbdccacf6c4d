import type Database from 'better-sqlite3';

/** Version of the SQLite index layout; a different stored version triggers a rebuild. */
export const INDEX_SCHEMA_VERSION = 1;

const TABLES = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sessions (
  seq               INTEGER PRIMARY KEY,
  stable_id         TEXT NOT NULL UNIQUE,
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

CREATE TABLE IF NOT EXISTS claude_ids (
  csid      TEXT NOT NULL,
  stable_id TEXT NOT NULL,
  PRIMARY KEY (csid, stable_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS transcript_uuids (
  uuid      TEXT NOT NULL,
  stable_id TEXT NOT NULL,
  role      TEXT NOT NULL,
  PRIMARY KEY (uuid, stable_id, role)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS fingerprints (
  name      TEXT NOT NULL,
  value     TEXT NOT NULL,
  stable_id TEXT NOT NULL,
  PRIMARY KEY (name, value, stable_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS links (
  kind      TEXT NOT NULL,
  name      TEXT NOT NULL,
  stable_id TEXT NOT NULL,
  PRIMARY KEY (kind, name, stable_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS events (
  stable_id TEXT NOT NULL,
  offset    INTEGER NOT NULL,
  PRIMARY KEY (stable_id, offset)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS log_issues (
  offset    INTEGER PRIMARY KEY,
  line      INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  tolerated INTEGER NOT NULL,
  excerpt   TEXT NOT NULL,
  reason    TEXT NOT NULL
);
`;

const INDEXES = `
CREATE INDEX IF NOT EXISTS sessions_by_progress ON sessions (last_progress_at DESC, seq);
CREATE INDEX IF NOT EXISTS sessions_by_created ON sessions (created_at DESC, seq);
CREATE INDEX IF NOT EXISTS sessions_by_parent ON sessions (parent_session_id);
CREATE INDEX IF NOT EXISTS sessions_by_alias ON sessions (alias);
CREATE INDEX IF NOT EXISTS sessions_by_clear_end ON sessions (claude_pid, end_reason, ended_at);
CREATE INDEX IF NOT EXISTS claude_ids_by_session ON claude_ids (stable_id);
CREATE INDEX IF NOT EXISTS transcript_uuids_by_session ON transcript_uuids (stable_id);
CREATE INDEX IF NOT EXISTS fingerprints_by_session ON fingerprints (stable_id);
CREATE INDEX IF NOT EXISTS links_by_session ON links (stable_id);
`;

/** The secondary indexes, created after a bulk rebuild (faster than maintaining them row by row). */
export function createIndexes(db: Database.Database): void {
  db.exec(INDEXES);
}

/** Drop the secondary indexes before a bulk rebuild. */
export function dropIndexes(db: Database.Database): void {
  for (const match of INDEXES.matchAll(/CREATE INDEX IF NOT EXISTS (\w+)/g)) {
    db.exec(`DROP INDEX IF EXISTS ${match[1] ?? ''}`);
  }
}

/** Connection settings: WAL, normal sync (the log, not the index, is the durable truth). */
export function configureConnection(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma('foreign_keys = OFF');
}

/** Create the tables and indexes when missing. Returns the stored schema version (0 when new). */
export function ensureSchema(db: Database.Database): number {
  db.exec(TABLES);
  db.exec(INDEXES);
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as
    { value: string } | undefined;
  return row === undefined ? 0 : Number(row.value);
}

/** Empty every table (inside the caller's transaction). */
export function clearTables(db: Database.Database): void {
  for (const table of [
    'sessions',
    'claude_ids',
    'transcript_uuids',
    'fingerprints',
    'links',
    'events',
    'log_issues',
    'meta',
  ]) {
    db.exec(`DELETE FROM ${table}`);
  }
}
