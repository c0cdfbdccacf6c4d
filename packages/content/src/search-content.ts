import type { ContentIndex } from './content-index.js';
import { hasRowsTimeIndex, ROWS_TIME_INDEX, SESSION_ROW_BITS } from './content-schema.js';
import type { ContentRole } from './extract-rows.js';

/**
 * SQLite's page cache of a connection that searches, in KiB (its default, 2 MiB, is smaller than
 * what one search of a common word reads: each query read its pages again from the OS, about
 * twice the time of a warm one). Set on a connection's first search only, so indexing (import)
 * keeps the default and its memory.
 */
const SEARCH_CACHE_KIB = 64 * 1024;
/** Connections that searched before, and whether their index has `ROWS_TIME_INDEX`. */
const searching = new WeakMap<ContentIndex['db'], boolean>();

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
  let timeIndex = searching.get(index.db);
  if (timeIndex === undefined) {
    index.db.pragma(`cache_size = -${String(SEARCH_CACHE_KIB)}`);
    timeIndex = hasRowsTimeIndex(index.db);
    searching.set(index.db, timeIndex);
  }
  const [open, close] = options.highlight ?? ['[', ']'];
  const rowFilters: string[] = [];
  const params: unknown[] = [query];
  if (options.role !== undefined) {
    rowFilters.push('r.role = ?');
    params.push(options.role);
  }
  if (options.since !== undefined) {
    rowFilters.push('r.ts >= ?');
    params.push(options.since);
  }
  if (options.stableIds !== undefined) {
    if (options.stableIds.length === 0) return [];
    rowFilters.push(`(t.rowid >> ${String(SESSION_ROW_BITS)}) IN (SELECT no FROM content_sessions
      WHERE stable_id IN (SELECT value FROM json_each(?)))`);
    params.push(JSON.stringify(options.stableIds));
  }
  const limit = options.limit ?? 20;
  // Every match is ranked (FTS5's rank: bm25) and grouped by its session, which its row id tells
  // without reading the row (see SESSION_ROW_BITS), in one pass: a session's best row is its
  // first match of the lowest rank (min()'s bare column). Only the rows filtered by role or time
  // are read; the best row of each session that can be shown (ties with the last shown one
  // included) is ordered by its time read from ROWS_TIME_INDEX (the recency tiebreak), and only
  // the rows shown are read. Snippets are made only for the sessions shown.
  const joinRows = options.role !== undefined || options.since !== undefined;
  const bestSql = `WITH best AS MATERIALIZED (
      SELECT t.rowid >> ${String(SESSION_ROW_BITS)} AS session, t.rowid AS id, min(t.rank) AS score,
        count(*) AS matches
      FROM content_text t${joinRows ? ' JOIN content_rows r ON r.id = t.rowid' : ''}
      WHERE content_text MATCH ?${rowFilters.map((f) => ` AND ${f}`).join('')}
      GROUP BY session),
    top AS MATERIALIZED (
      SELECT b.id, b.score, b.matches, k.ts
      FROM best b JOIN content_rows k${timeIndex ? ` INDEXED BY ${ROWS_TIME_INDEX}` : ''}
        ON k.id = b.id
      WHERE b.score <= coalesce((SELECT score FROM best ORDER BY score LIMIT 1 OFFSET ?), 1e308)
      ORDER BY b.score, k.ts DESC LIMIT ?)
    SELECT r.id AS row_id, r.stable_id, r.claude_session_id, r.role, r.ts, r.uuid, top.score,
      top.matches
    FROM top JOIN content_rows r ON r.id = top.id
    ORDER BY top.score, top.ts DESC`;
  // The snippets of the rows shown, in one pass over the matches between the first and the last
  // of them (FTS5 takes the rowid range; `+rowid IN` is only a filter): a query per row built a
  // prefix query's merged list of matches again for each (20 hits of `migration*` ~30 ms).
  // better-sqlite3 binds a number as a REAL, and FTS5 ignores a rowid constraint that is not an
  // INTEGER (the snippet was then the first match's in the whole index): cast it.
  const snippetSql = `SELECT rowid AS id, snippet(content_text, 0, ?, ?, '…', 16) AS snippet
    FROM content_text WHERE content_text MATCH ? AND rowid >= CAST(? AS INTEGER)
      AND rowid <= CAST(? AS INTEGER) AND +rowid IN (SELECT value FROM json_each(?))`;
  try {
    const best = index.db.prepare(bestSql).all(...params, limit - 1, limit) as (Omit<
      SearchHit,
      'more_matches' | 'snippet'
    > & { row_id: number; matches: number })[];
    const ids = best.map((row) => row.row_id);
    const snippets = new Map<number, string>();
    if (ids.length > 0) {
      const first = ids.reduce((a, b) => Math.min(a, b));
      const last = ids.reduce((a, b) => Math.max(a, b));
      const rows = index.db
        .prepare(snippetSql)
        .all(open, close, query, first, last, JSON.stringify(ids)) as {
        id: number;
        snippet: string;
      }[];
      for (const row of rows) snippets.set(row.id, row.snippet);
    }
    return best.map(({ row_id, matches, ...row }) => ({
      ...row,
      snippet: snippets.get(row_id) ?? '',
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
