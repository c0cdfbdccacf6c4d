import type Database from 'better-sqlite3';
import { statement } from './statements.js';

/**
 * The snippets of the rows `ids` for `query` (the match between `highlight`'s markers, default
 * `[` and `]`), by row id. FTS5 builds a prefix query's merged list of matches again for each
 * statement (20 hits of `migration*` ~30 ms at 414 MB, ~130 ms at 2 GB one by one), so for a
 * query with a `*` they are read in one pass over the matches between the first and the last of
 * the rows (FTS5 takes the rowid range; `+rowid IN` is only a filter); any other query seeks each
 * row (that pass read every match in between: 73 ms for `retry OR timeout` at 2 GB, against 2).
 */
export function snippetsOf(
  db: Database.Database,
  query: string,
  ids: readonly number[],
  highlight: readonly [string, string] = ['[', ']'],
): Map<number, string> {
  const snippets = new Map<number, string>();
  if (ids.length === 0) return snippets;
  const [open, close] = highlight;
  // better-sqlite3 binds a number as a REAL, and FTS5 ignores a rowid constraint that is not an
  // INTEGER (the snippet was then the first match's in the whole index): cast it.
  const select = `SELECT rowid AS id, snippet(content_text, 0, ?, ?, '…', 16) AS snippet
    FROM content_text WHERE content_text MATCH ?`;
  if (!query.includes('*')) {
    const seek = statement(db, `${select} AND rowid = CAST(? AS INTEGER)`);
    for (const id of ids) {
      const row = seek.get(open, close, query, id) as { snippet: string } | undefined;
      if (row !== undefined) snippets.set(id, row.snippet);
    }
    return snippets;
  }
  const first = ids.reduce((a, b) => Math.min(a, b));
  const last = ids.reduce((a, b) => Math.max(a, b));
  const rows = db
    .prepare(
      `${select} AND rowid >= CAST(? AS INTEGER) AND rowid <= CAST(? AS INTEGER)
         AND +rowid IN (SELECT value FROM json_each(?))`,
    )
    .all(open, close, query, first, last, JSON.stringify(ids)) as {
    id: number;
    snippet: string;
  }[];
  for (const row of rows) snippets.set(row.id, row.snippet);
  return snippets;
}
