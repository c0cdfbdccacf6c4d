import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { archivedLength, listVersions, readArchived } from './archive.js';
import { extractorFor, isCodexArchive } from './archived-rows.js';
import type { ContentRole } from './extract-rows.js';
import { ensureUsageSchema, usageFileState, usageWriter } from './usage/usage-index.js';

/** An open content index (SQLite FTS5, its own database file beside the store's index). */
export interface ContentIndex {
  readonly db: Database.Database;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS content_files (
  key TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  indexed_bytes INTEGER NOT NULL,
  stable_id TEXT NOT NULL,
  claude_session_id TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS content_rows USING fts5(
  text, stable_id UNINDEXED, claude_session_id UNINDEXED, role UNINDEXED, ts UNINDEXED,
  uuid UNINDEXED, file_key UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
);
`;

/** Opens (creating when missing) the content index at `dbPath`, file mode 0600. */
export function openContentIndex(dbPath: string): ContentIndex {
  closeSync(openSync(dbPath, 'a', 0o600));
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  // A cache of the archive (rebuilt by `rebuild --content`): a commit need not wait for the disk;
  // with WAL a crash loses at most the last commits, never the database.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
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
    index.db.exec('DELETE FROM content_rows');
    index.db.exec('DELETE FROM content_files');
    index.db.exec('DELETE FROM usage_responses');
    index.db.exec('DELETE FROM usage_files');
  })();
}

/**
 * Indexes what the archive holds for `key` beyond what the index already has: its text rows and
 * its usage (each with its own byte count, so an index from before usage was kept catches up
 * on usage alone), complete lines only, in one transaction (a crash leaves the index as it was).
 * A new archive version, or another stable id, replaces the rows of the old one.
 */
export function indexArchived(
  index: ContentIndex,
  archiveDir: string,
  key: string,
  ids: { readonly stableId: string; readonly claudeSessionId: string },
): IndexFileResult {
  const version = listVersions(archiveDir, key).at(-1);
  if (version === undefined) return { rowsAdded: 0, bytesIndexed: 0 };
  const { db } = index;
  const state = db
    .prepare('SELECT version, indexed_bytes, stable_id FROM content_files WHERE key = ?')
    .get(key) as { version: number; indexed_bytes: number; stable_id: string } | undefined;
  const restart =
    state === undefined || state.version !== version || state.stable_id !== ids.stableId;
  const from = restart ? 0 : state.indexed_bytes;
  const usage = usageFileState(db, key);
  const usageRestart =
    usage === undefined || usage.version !== version || usage.stableId !== ids.stableId;
  const usageFrom = usageRestart ? 0 : usage.bytes;
  const start = Math.min(from, usageFrom);
  if (archivedLength(archiveDir, key, version) <= start) return { rowsAdded: 0, bytesIndexed: 0 };
  const bytes = readArchived(archiveDir, key, version, start);
  const lastNewline = bytes.lastIndexOf(0x0a);
  const complete = lastNewline < 0 ? 0 : lastNewline + 1;
  const insert = db.prepare(
    'INSERT INTO content_rows (text, stable_id, claude_session_id, role, ts, uuid, file_key) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const codex = isCodexArchive(archiveDir, key);
  const extract = extractorFor(codex);
  const usageRows = usageWriter(db, key, { stableId: ids.stableId, version, codex });
  let rowsAdded = 0;
  db.transaction(() => {
    // Rows of an earlier version (or of another session) go first. A file never indexed has
    // none: skip the delete, which scans the whole FTS table (file_key is not indexed there).
    if (restart && state !== undefined)
      db.prepare('DELETE FROM content_rows WHERE file_key = ?').run(key);
    if (usageRestart && usage !== undefined) usageRows.restart();
    let at = 0;
    while (at < complete) {
      const end = bytes.indexOf(0x0a, at);
      const offset = start + at;
      if (end > at) {
        const line = bytes.toString('utf8', at, end);
        if (offset >= from) {
          for (const row of extract(line)) {
            insert.run(
              row.text,
              ids.stableId,
              ids.claudeSessionId,
              row.role,
              row.ts,
              row.uuid,
              key,
            );
            rowsAdded += 1;
          }
        }
        if (offset >= usageFrom) usageRows.line(line);
      }
      at = end + 1;
    }
    db.prepare(
      `INSERT INTO content_files (key, version, indexed_bytes, stable_id, claude_session_id)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET version = excluded.version,
         indexed_bytes = excluded.indexed_bytes, stable_id = excluded.stable_id,
         claude_session_id = excluded.claude_session_id`,
    ).run(key, version, start + complete, ids.stableId, ids.claudeSessionId);
    usageRows.finish(start + complete);
  })();
  return { rowsAdded, bytesIndexed: start + complete - from };
}

/** Bytes of each archived transcript already in the index, by archive key. */
export function indexedBytes(index: ContentIndex): Map<string, { version: number; bytes: number }> {
  // What both the text rows and the usage hold: an index from before usage was kept is behind.
  const rows = index.db
    .prepare(
      `SELECT c.key, c.version, min(c.indexed_bytes, coalesce(u.bytes, 0)) AS indexed_bytes
       FROM content_files c LEFT JOIN usage_files u ON u.key = c.key`,
    )
    .all() as {
    key: string;
    version: number;
    indexed_bytes: number;
  }[];
  return new Map(rows.map((r) => [r.key, { version: r.version, bytes: r.indexed_bytes }]));
}

/**
 * Opens the content index at `dbPath` for reading only (`sessions-db mcp`): nothing is created,
 * written or caught up; `null` when the file does not exist yet (nothing indexed).
 */
export function openContentIndexReadOnly(dbPath: string): ContentIndex | null {
  if (!existsSync(dbPath)) return null;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return { db, close: () => db.close() };
}

/** A malformed FTS5 query: an argument error, never a crash. */
export class ContentQueryError extends Error {
  override readonly name = 'ContentQueryError';
}

/** Filters of {@link searchContent}. */
export interface SearchOptions {
  /** Only these logical sessions (e.g. after the caller filtered by project, branch or cwd). */
  readonly stableIds?: readonly string[];
  readonly role?: ContentRole;
  /** Only rows at or after this ISO timestamp. */
  readonly since?: string;
  /** Most hits (logical sessions) returned; default 20. */
  readonly limit?: number;
  /** Markers around the match in the snippet; default `[` and `]`. */
  readonly highlight?: readonly [string, string];
}

/** One logical session's best match. */
export interface SearchHit {
  readonly stable_id: string;
  readonly claude_session_id: string;
  readonly role: ContentRole;
  readonly ts: string;
  readonly uuid: string;
  readonly snippet: string;
  /** bm25 score; lower is better. */
  readonly score: number;
  /** How many more rows of this logical session matched. */
  readonly more_matches: number;
}

/**
 * Searches the index with FTS5 query syntax; bm25 ranking with recency as a tiebreak, one hit per
 * logical session (its best match plus how many more matched). Throws {@link ContentQueryError}
 * for a malformed query.
 */
export function searchContent(
  index: ContentIndex,
  query: string,
  options: SearchOptions = {},
): SearchHit[] {
  if (query.trim() === '') throw new ContentQueryError('the search query is empty');
  const [open, close] = options.highlight ?? ['[', ']'];
  const where = ['content_rows MATCH ?'];
  const params: unknown[] = [query];
  if (options.role !== undefined) {
    where.push('role = ?');
    params.push(options.role);
  }
  if (options.since !== undefined) {
    where.push('ts >= ?');
    params.push(options.since);
  }
  if (options.stableIds !== undefined) {
    if (options.stableIds.length === 0) return [];
    where.push(`stable_id IN (${options.stableIds.map(() => '?').join(',')})`);
    params.push(...options.stableIds);
  }
  const limit = options.limit ?? 20;
  // One pass in SQLite ranks every match and keeps each session's best row (SQLite takes the
  // bare columns from the row of min()); snippets are made only for the sessions shown.
  const bestSql = `WITH matched AS MATERIALIZED (
      SELECT rowid AS row_id, stable_id, claude_session_id, role, ts, uuid,
        bm25(content_rows) AS score
      FROM content_rows WHERE ${where.join(' AND ')})
    SELECT row_id, stable_id, claude_session_id, role, ts, uuid,
      min(score) AS score, count(*) AS matches
    FROM matched GROUP BY stable_id ORDER BY score, ts DESC LIMIT ?`;
  const snippetSql = `SELECT snippet(content_rows, 0, ?, ?, '…', 16) AS snippet
    FROM content_rows WHERE content_rows MATCH ? AND rowid = ?`;
  try {
    const best = index.db.prepare(bestSql).all(...params, limit) as (Omit<
      SearchHit,
      'more_matches' | 'snippet'
    > & { row_id: number; matches: number })[];
    const snippet = index.db.prepare(snippetSql);
    return best.map(({ row_id, matches, ...row }) => ({
      ...row,
      snippet:
        (snippet.get(open, close, query, row_id) as { snippet: string } | undefined)?.snippet ?? '',
      more_matches: matches - 1,
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/fts5|syntax error|no such column|unterminated|unknown special query/i.test(message)) {
      throw new ContentQueryError(`malformed search query ${JSON.stringify(query)}: ${message}`);
    }
    throw error;
  }
}
