import type Database from 'better-sqlite3';
import { TOKENIZE } from './content-schema.js';
import { statement } from './statements.js';

/**
 * The scratch full-text table the snippets are made in: temporary (this connection's, never in
 * the index file), holding only the rows whose snippets are asked for, so one `MATCH` of one
 * small segment makes them all. Each `MATCH` on `content_text` itself opens every segment of the
 * index (15 at 2 GB) and cost ~1.2 M instructions, one per snippet.
 */
const SCRATCH = 'sessions_db_snippets';

/**
 * The snippets of the rows `ids` for `query` (the match between `highlight`'s markers, default
 * `[` and `]`), by row id: the rows' text is copied into a temporary FTS5 table of the index's
 * tokenizer and matched there, which gives each row the snippet `content_text` would (the same
 * text, tokens and query; a snippet depends on nothing else). A row the query does not match has
 * none.
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
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.${SCRATCH} USING fts5(text, ${TOKENIZE})`);
  statement(db, `DELETE FROM temp.${SCRATCH}`).run();
  statement(
    db,
    `INSERT INTO temp.${SCRATCH} (rowid, text)
     SELECT id, text FROM content_rows WHERE id IN (SELECT value FROM json_each(?))`,
  ).run(JSON.stringify(ids));
  const rows = statement(
    db,
    `SELECT rowid AS id, snippet(${SCRATCH}, 0, ?, ?, '…', 16) AS snippet
     FROM temp.${SCRATCH} WHERE ${SCRATCH} MATCH ?`,
  ).all(open, close, query) as { id: number; snippet: string }[];
  for (const row of rows) snippets.set(row.id, row.snippet);
  return snippets;
}
