import type { ContentIndex } from './content-index.js';
import { hasRowsTimeIndex } from './content-schema.js';
import type { ContentRole } from './extract-rows.js';
import { searchRows } from './search-rows.js';
import { searchSessions } from './search-sessions.js';
import { hasSessionChunks } from './session-chunks.js';

/**
 * SQLite's page cache of a connection that searches, in KiB (its default, 2 MiB, is smaller than
 * what one search of a common word reads: each query read its pages again from the OS, about
 * twice the time of a warm one). Set on a connection's first search only, so indexing (import)
 * keeps the default and its memory.
 */
const SEARCH_CACHE_KIB = 64 * 1024;
/**
 * Connections that searched before, and whether their index has `ROWS_TIME_INDEX` and the
 * session-level table (`content_chunks`; a read-only open of layout 2 has neither, maybe).
 */
const searching = new WeakMap<ContentIndex['db'], { timeIndex: boolean; chunks: boolean }>();

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

/** One logical session found: its latest matching row, and how well the session matched. */
export interface SearchHit {
  readonly stable_id: string;
  readonly claude_session_id: string;
  readonly role: ContentRole;
  readonly ts: string;
  readonly uuid: string;
  readonly snippet: string;
  /**
   * bm25 score, lower is better: of the session's best chunk (the session-level index), or of
   * its best row (an index of the layout before it, opened read-only).
   */
  readonly score: number;
  /** How many more rows of this logical session matched (the role and time filters applied). */
  readonly more_matches: number;
}

/**
 * Searches the index with FTS5 query syntax: one hit per logical session that has a matching
 * row, the sessions ranked by bm25 with recency as a tiebreak: by their best chunk in the
 * session-level index, each hit showing the session's latest matching row (`searchSessions`: the
 * work grows with the sessions, not the rows). An index of layout 2 opened read-only has no
 * session-level index: every matching row is ranked and each hit shows the session's best row
 * (`searchRows`). Throws {@link ContentQueryError} for a malformed query.
 */
export function searchContent(
  index: ContentIndex,
  query: string,
  options: SearchOptions = {},
): SearchHit[] {
  if (query.trim() === '') throw new ContentQueryError('the search query is empty');
  let layout = searching.get(index.db);
  if (layout === undefined) {
    index.db.pragma(`cache_size = -${String(SEARCH_CACHE_KIB)}`);
    layout = { timeIndex: hasRowsTimeIndex(index.db), chunks: hasSessionChunks(index.db) };
    searching.set(index.db, layout);
  }
  if (options.stableIds?.length === 0) return [];
  const { timeIndex, chunks } = layout;
  try {
    return chunks
      ? searchSessions(index.db, query, options)
      : searchRows(index.db, query, options, timeIndex);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/fts5|syntax error|no such column|unterminated|unknown special query/i.test(message)) {
      // `word:` reads as an FTS5 column filter; the index's columns are not part of the syntax
      const hint = /no such column/i.test(message)
        ? ' (a word followed by `:` is read as a column name; quote it, e.g. "a:b", or use --role to search one role)'
        : '';
      throw new ContentQueryError(
        `malformed search query ${JSON.stringify(query)}: ${message}${hint}`,
      );
    }
    throw error;
  }
}
