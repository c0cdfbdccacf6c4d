import type Database from 'better-sqlite3';
import { SESSION_ROW_BITS, SESSION_ROW_SPAN } from './content-schema.js';
import type { ContentRole } from './extract-rows.js';
import type { SearchHit, SearchOptions } from './search-content.js';
import { inSessionsOf, rowConditions } from './search-filters.js';
import { snippetsOf } from './search-snippets.js';
import { statement } from './statements.js';

/** One ranked session: its number, its best chunk's bm25 and the time of that chunk's last row. */
interface RankedSession {
  readonly session: number;
  readonly score: number;
}

/** A row of the rank's page: the session, and the top it was taken from (see `rankPage`). */
interface RankedPage extends RankedSession {
  /** How many sessions the top kept, the worst score kept, and the page's last score. */
  readonly taken: number;
  readonly last: number;
  readonly cutoff: number | null;
}

/** A shown session's rows that match: how many, the latest, and its snippet when made. */
interface SessionMatches {
  readonly n: number;
  readonly id: number;
  readonly snippet?: string;
}

/**
 * The SQL function a prefix query's one pass calls for each matching row, newest first: 1 for
 * the first row of a session it sees (the session's latest), then 0, so `snippet()` is made for
 * that row only (a second pass for the snippets merged the prefix's lists again, ~22 ms at
 * 2 GB). The sessions seen are reset before each pass; better-sqlite3 runs one statement at a
 * time.
 */
const FIRST_OF_SESSION = 'sessions_db_first_of_session';
const seenSessions = new Set<number>();
/** Connections {@link FIRST_OF_SESSION} is registered on. */
const withFirstOfSession = new WeakSet<Database.Database>();

function registerFirstOfSession(db: Database.Database): void {
  if (withFirstOfSession.has(db)) return;
  db.function(FIRST_OF_SESSION, { deterministic: false }, (session: unknown) => {
    const no = Number(session);
    if (seenSessions.has(no)) return 0;
    seenSessions.add(no);
    return 1;
  });
  withFirstOfSession.add(db);
}

/** A row's stored columns, read for the hits shown. */
interface HitRow {
  readonly row_id: number;
  readonly stable_id: string;
  readonly claude_session_id: string;
  readonly role: ContentRole;
  readonly ts: string;
  readonly uuid: string;
}

/**
 * The session-level search (`content_chunks`, see `session-chunks.ts`): the sessions are ranked
 * by the bm25 of their best chunk (ties: the more recent chunk first), then, for the sessions
 * shown only, the rows that match in each (FTS5 seeks the session's rowid range): how many
 * (`more_matches`) and the latest, whose snippet is shown. A session whose chunk matches but
 * none of whose rows does (the words of an `AND`, `NEAR` or phrase spread over several rows) is
 * not a hit, as before: the next ranked session takes its place. `role` is a column filter of
 * the chunk query and a filter of the rows; with `since` only the chunks whose latest row is at
 * or after it are ranked (a chunk reaching past it is ranked on all its text), and only the rows
 * at or after it are counted and shown. Its work grows with the number of chunks that match
 * (about one per transcript per indexing batch), not with the number of rows. Throws SQLite's
 * error for a malformed query.
 */
export function searchSessions(
  db: Database.Database,
  query: string,
  options: SearchOptions,
): SearchHit[] {
  const limit = options.limit ?? 20;
  const { role } = options;
  if (role !== undefined) {
    // the query alone first: a column filter around a malformed query could parse (`a) OR (b`)
    statement(db, 'SELECT 1 FROM content_chunks WHERE content_chunks MATCH ? AND rowid = 0').all(
      query,
    );
  }
  const match = role === undefined ? query : `{${role}} : (${query})`;
  const filters: string[] = [];
  const filterParams: unknown[] = [];
  if (options.since !== undefined) {
    // a chunk whose latest row is older holds no row at or after the time
    filters.push('f.ts >= ?');
    filterParams.push(options.since);
  }
  if (options.stableIds !== undefined) {
    filters.push(inSessionsOf('c.rowid'));
    filterParams.push(JSON.stringify(options.stableIds));
  }
  // Every matching chunk is ranked and grouped by its session (its rowid says which) in one pass:
  // a session's best chunk is its first of the lowest rank (min()'s bare column). Only the `taken`
  // best sessions are kept (a top-N sort, no table of every session written and read twice);
  // those that can be on this page (ties with its last one included) are ordered by their best
  // chunk's time. When the last one kept ties the page's last score, sessions of that score may
  // have been left out: `rankPage` asks again for more. `edge` is read first (`CROSS JOIN` keeps
  // the order), so the query runs, and a malformed one throws, however empty the index.
  const rankSql = `WITH top AS MATERIALIZED (
      SELECT c.rowid >> ${String(SESSION_ROW_BITS)} AS session, c.rowid AS chunk,
        min(c.rank) AS score
      FROM content_chunks c${options.since === undefined ? '' : ' JOIN content_chunk_files f ON f.id = c.rowid'}
      WHERE content_chunks MATCH ?${filters.map((f) => ` AND ${f}`).join('')}
      GROUP BY session ORDER BY score LIMIT ?),
    edge AS (SELECT count(*) AS taken, max(score) AS last,
      (SELECT score FROM top ORDER BY score LIMIT 1 OFFSET ?) AS cutoff FROM top)
    SELECT b.session, b.score, edge.taken, edge.last, edge.cutoff
    FROM edge CROSS JOIN top b CROSS JOIN content_chunk_files f ON f.id = b.chunk
    WHERE b.score <= coalesce(edge.cutoff, 1e308)
    ORDER BY b.score, f.ts DESC, b.session DESC LIMIT ? OFFSET ?`;
  const rank = db.prepare(rankSql);
  /** The sessions ranked `offset` to `offset + page - 1`, as if every session had been ranked. */
  const rankPage = (offset: number, page: number): RankedSession[] => {
    for (let taken = offset + page + 1; ; taken *= 2) {
      const rows = rank.all(
        match,
        ...filterParams,
        taken,
        offset + page - 1,
        page,
        offset,
      ) as RankedPage[];
      const edge = rows[0];
      // every session of a score up to the cutoff is kept when fewer than asked for were found or
      // the last one kept scores worse than the cutoff
      if (
        edge === undefined ||
        edge.taken < taken ||
        edge.cutoff === null ||
        edge.last > edge.cutoff
      )
        return rows.map(({ session, score }) => ({ session, score }));
    }
  };
  const shown: { session: RankedSession; rows: SessionMatches }[] = [];
  let offset = 0;
  let page = limit;
  while (shown.length < limit) {
    const ranked = rankPage(offset, page);
    const found = matchesOf(
      db,
      query,
      ranked.map((r) => r.session),
      options,
    );
    for (const session of ranked) {
      const rows = found.get(session.session);
      if (rows !== undefined) shown.push({ session, rows });
      if (shown.length === limit) break;
    }
    if (ranked.length < page) break;
    offset += page;
    page *= 2;
  }
  if (shown.length === 0) return [];
  const ids = shown.map((hit) => hit.rows.id);
  const stored = new Map(
    (
      db
        .prepare(
          `SELECT id AS row_id, stable_id, claude_session_id, role, ts, uuid FROM content_rows
           WHERE id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(ids)) as HitRow[]
    ).map((row) => [row.row_id, row]),
  );
  const snippets = snippetsOf(
    db,
    query,
    shown.filter((hit) => hit.rows.snippet === undefined).map((hit) => hit.rows.id),
    options.highlight,
  );
  return shown.flatMap(({ session, rows }) => {
    const row = stored.get(rows.id);
    if (row === undefined) return [];
    const { row_id, ...columns } = row;
    return [
      {
        ...columns,
        snippet: rows.snippet ?? snippets.get(row_id) ?? '',
        score: session.score,
        more_matches: rows.n - 1,
      },
    ];
  });
}

/**
 * The rows that match `query` (of `role`, at or after `since`) in each of `sessions`, by session number: how many and
 * the latest; a session with none is left out. FTS5 builds a prefix query's merged list of
 * matches again for each statement (~6 ms at 2 GB), so a query with a `*` reads the matches of
 * all the sessions in one pass over the rowid range they span (`+… IN` only filters), making the
 * latest row's snippet on the way (see {@link FIRST_OF_SESSION}), and any other query seeks
 * each session's range.
 */
function matchesOf(
  db: Database.Database,
  query: string,
  sessions: readonly number[],
  options: SearchOptions,
): Map<number, SessionMatches> {
  const found = new Map<number, SessionMatches>();
  if (sessions.length === 0) return found;
  const { conditions, params: rowParams } = rowConditions(options);
  const joinRows = conditions.length === 0 ? '' : ' JOIN content_rows r ON r.id = t.rowid';
  const rowFilter = conditions.map((condition) => ` AND ${condition}`).join('');
  if (query.includes('*')) {
    // newest first, so the first row of a session is its latest, the only one given a snippet
    registerFirstOfSession(db);
    const [open, close] = options.highlight ?? ['[', ']'];
    const first = Math.min(...sessions) * SESSION_ROW_SPAN;
    const last = (Math.max(...sessions) + 1) * SESSION_ROW_SPAN;
    seenSessions.clear();
    const rows = db
      .prepare(
        `SELECT t.rowid AS id, CASE WHEN ${FIRST_OF_SESSION}(t.rowid >> ${String(SESSION_ROW_BITS)})
             THEN snippet(content_text, 0, ?, ?, '…', 16) END AS snippet
         FROM content_text t${joinRows}
         WHERE content_text MATCH ? AND t.rowid >= CAST(? AS INTEGER)
           AND t.rowid < CAST(? AS INTEGER)
           AND +(t.rowid >> ${String(SESSION_ROW_BITS)}) IN (SELECT value FROM json_each(?))${rowFilter}
         ORDER BY t.rowid DESC`,
      )
      .all(open, close, query, first, last, JSON.stringify(sessions), ...rowParams) as {
      id: number;
      snippet: string | null;
    }[];
    seenSessions.clear();
    const snippets = new Map<number, string>();
    for (const row of rows) {
      const session = Math.floor(row.id / SESSION_ROW_SPAN);
      const known = found.get(session);
      found.set(session, {
        n: (known?.n ?? 0) + 1,
        id: Math.max(known?.id ?? row.id, row.id),
      });
      if (row.snippet !== null) snippets.set(row.id, row.snippet);
    }
    // the snippet made is the latest row's when the rows came newest first (else made after)
    for (const [session, matches] of found) {
      const snippet = snippets.get(matches.id);
      if (snippet !== undefined) found.set(session, { ...matches, snippet });
    }
    return found;
  }
  const seek = statement(
    db,
    `SELECT count(*) AS n, max(t.rowid) AS id FROM content_text t${joinRows}
     WHERE content_text MATCH ? AND t.rowid >= CAST(? AS INTEGER)
       AND t.rowid < CAST(? AS INTEGER)${rowFilter}`,
  );
  for (const session of sessions) {
    const first = session * SESSION_ROW_SPAN;
    const row = seek.get(query, first, first + SESSION_ROW_SPAN, ...rowParams) as {
      n: number;
      id: number | null;
    };
    if (row.id !== null) found.set(session, { n: row.n, id: row.id });
  }
  return found;
}
