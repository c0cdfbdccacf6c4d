import type Database from 'better-sqlite3';
import { ROWS_TIME_INDEX, SESSION_ROW_BITS } from './content-schema.js';
import type { SearchHit, SearchOptions } from './search-content.js';
import { inSessionsOf, rowConditions } from './search-filters.js';
import { snippetsOf } from './search-snippets.js';

/**
 * The row-level search: every matching row is ranked (FTS5's bm25), one hit per logical session
 * (its best row). Used for an index opened read-only in the layout before the session-level
 * one. Its work grows with the number of matching rows.
 * `timeIndex`: whether the index has `ROWS_TIME_INDEX`. Throws SQLite's error for a malformed
 * query.
 */
export function searchRows(
  db: Database.Database,
  query: string,
  options: SearchOptions,
  timeIndex: boolean,
): SearchHit[] {
  const rows = rowConditions(options);
  const rowFilters = [...rows.conditions];
  const params: unknown[] = [query, ...rows.params];
  if (options.stableIds !== undefined) {
    rowFilters.push(inSessionsOf('t.rowid'));
    params.push(JSON.stringify(options.stableIds));
  }
  const limit = options.limit ?? 20;
  // Every match is ranked (FTS5's rank: bm25) and grouped by its session, which its row id tells
  // without reading the row (see SESSION_ROW_BITS), in one pass: a session's best row is its
  // first match of the lowest rank (min()'s bare column). Only the rows filtered by role or time
  // are read; the best row of each session that can be shown (ties with the last shown one
  // included) is ordered by its time read from ROWS_TIME_INDEX (the recency tiebreak), and only
  // the rows shown are read. Snippets are made only for the sessions shown.
  const joinRows = rows.conditions.length > 0;
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
  const best = db.prepare(bestSql).all(...params, limit - 1, limit) as (Omit<
    SearchHit,
    'more_matches' | 'snippet'
  > & { row_id: number; matches: number })[];
  const snippets = snippetsOf(
    db,
    query,
    best.map((row) => row.row_id),
    options.highlight,
  );
  return best.map(({ row_id, matches, ...row }) => ({
    ...row,
    snippet: snippets.get(row_id) ?? '',
    more_matches: matches - 1,
  }));
}
