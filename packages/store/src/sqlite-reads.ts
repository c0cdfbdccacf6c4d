import type Database from 'better-sqlite3';
import type { SessionRecord } from '@sessions-db/projection';
import type { LogCorruption } from '@sessions-db/event-log';

import { DEFAULT_FIND_LIMIT } from './limits.js';
import type { FindQuery } from './types.js';

type RecordRow = { record: string };
type IdRow = { stable_id: string };

function parseRows(rows: readonly RecordRow[]): SessionRecord[] {
  return rows.map((row) => JSON.parse(row.record) as SessionRecord);
}

/**
 * The exclusive upper bound of the texts that start with `prefix` in SQLite's BINARY order (UTF-8
 * bytes): the prefix followed by the greatest code point.
 */
function afterPrefix(prefix: string): string {
  return `${prefix}\u{10ffff}`;
}

/**
 * The read queries of the SQLite index (the table module's read side; writes and the fold live in
 * `SqliteIndex`, bulk loading in `rebuild.ts`). Statements are prepared once per connection.
 * Nothing outside the table modules writes SQL.
 */
export class SqliteReads {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(db: Database.Database) {
    this.db = db;
    this.stmts = {
      children: db.prepare<[string], RecordRow>(
        'SELECT record FROM sessions WHERE parent_session_id = ? ORDER BY seq',
      ),
      eventOffsets: db.prepare<[string, number], { offset: number }>(
        'SELECT e.offset FROM events e JOIN sessions s ON s.seq = e.seq WHERE s.stable_id = ? ORDER BY e.offset DESC LIMIT ?',
      ),
      sessionCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sessions'),
      byCsid: db.prepare<[string], IdRow>(
        'SELECT s.stable_id FROM claude_ids c JOIN sessions s ON s.seq = c.seq WHERE c.csid = ? ORDER BY s.stable_id',
      ),
      byAlias: db.prepare<[string], IdRow>(
        'SELECT stable_id FROM sessions WHERE alias = ? ORDER BY seq',
      ),
      // Prefixes as ranges of the unique indexes (`LIKE` is case-insensitive, so SQLite cannot
      // use a BINARY index for it and read every session row: seconds at 100k sessions).
      byIdPrefix: db.prepare<[string, string, string, string, number], IdRow>(
        `SELECT stable_id FROM sessions
         WHERE (stable_id >= ? AND stable_id < ?) OR (stable_id >= ? AND stable_id < ?)
         ORDER BY seq LIMIT ?`,
      ),
      byCsidPrefix: db.prepare<[string, string, number], IdRow>(
        `SELECT DISTINCT s.stable_id FROM claude_ids c JOIN sessions s ON s.seq = c.seq
         WHERE c.csid >= ? AND c.csid < ? LIMIT ?`,
      ),
      hasCsid: db.prepare<[string], { n: number }>(
        'SELECT count(*) AS n FROM claude_ids WHERE csid = ?',
      ),
      logIssues: db.prepare<
        [],
        {
          offset: number;
          line: number;
          kind: string;
          tolerated: number;
          excerpt: string;
          reason: string;
        }
      >('SELECT offset, line, kind, tolerated, excerpt, reason FROM log_issues ORDER BY offset'),
    };
  }

  /** Sessions matching `query` through the indexed columns, newest progress first (see `FindQuery`). */
  findRecords(query: FindQuery): SessionRecord[] {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    const add = (clause: string, name: string, value: string | undefined): void => {
      if (value === undefined || value.length === 0) return;
      where.push(clause);
      params[name] = value;
    };
    add('activity_state = @state', 'state', query.state);
    add('outcome = @outcome', 'outcome', query.outcome);
    add('instr(cwd_text, @cwd) > 0', 'cwd', query.cwd);
    add('(branch_current = @branch OR branch_at_start = @branch)', 'branch', query.branch);
    add('alias = @alias', 'alias', query.alias);
    add(`seq IN (SELECT seq FROM links WHERE kind = 'task' AND name = @task)`, 'task', query.task);
    add(
      `seq IN (SELECT seq FROM links WHERE kind = 'project' AND name = @project)`,
      'project',
      query.project,
    );
    add('last_progress_at >= @since', 'since', query.since);
    // A record without `agent` is Claude's (older logs never name one).
    add(`coalesce(json_extract(record, '$.agent'), 'claude') = @agent`, 'agent', query.agent);
    add('instr(search_text, @text) > 0', 'text', query.text?.toLowerCase());
    const order = query.sort === 'created' ? 'created_at DESC, seq' : 'last_progress_at DESC, seq';
    const limit =
      query.limit === null
        ? -1
        : query.limit === undefined || !(query.limit > 0)
          ? DEFAULT_FIND_LIMIT
          : Math.floor(query.limit);
    const sql = `SELECT record FROM sessions ${where.length > 0 ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY ${order} LIMIT ${limit}`;
    return parseRows(this.db.prepare<Record<string, string | number>, RecordRow>(sql).all(params));
  }

  /** Records whose `parent_session_id` is `parentId`, in index order (unfiltered, unsorted). */
  recordsWithParent(parentId: string): SessionRecord[] {
    return parseRows(this.stmts.children.all(parentId));
  }

  /** Log offsets of the last `limit` events of a session, oldest first. */
  eventOffsets(stableId: string, limit: number): number[] {
    return this.stmts.eventOffsets
      .all(stableId, limit)
      .map((row) => row.offset)
      .reverse();
  }

  /** Number of sessions in the index. */
  sessionCount(): number {
    return this.stmts.sessionCount.get()?.n ?? 0;
  }

  /** Sessions per value of a column (`-` for none). */
  countBy(column: 'activity_state' | 'outcome'): Record<string, number> {
    const counts: Record<string, number> = {};
    const rows = this.db
      .prepare<[], { key: string | null; n: number }>(
        `SELECT ${column} AS key, count(*) AS n FROM sessions GROUP BY ${column}`,
      )
      .all();
    for (const row of rows) counts[row.key ?? '-'] = row.n;
    return counts;
  }

  /** The index layout version (`PRAGMA user_version`). */
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** Stable ids of the sessions holding a Claude session id (lower case), by stable id. */
  stableIdsByClaudeId(csid: string): string[] {
    return this.stmts.byCsid.all(csid.toLowerCase()).map((row) => row.stable_id);
  }

  /** Stable ids of the sessions with this alias, in index order. */
  stableIdsByAlias(alias: string): string[] {
    return this.stmts.byAlias.all(alias).map((row) => row.stable_id);
  }

  /**
   * Stable ids (at most `limit`) whose stable id starts with `prefix` (with or without `sess_`)
   * or that hold a Claude session id starting with it.
   */
  stableIdsByPrefix(prefix: string, limit: number): string[] {
    // Ids are minted lowercase (stable ids, Claude and Codex session ids alike).
    const bare = prefix.toLowerCase();
    const withSess = `sess_${bare}`;
    const ids = new Set<string>();
    const rows = this.stmts.byIdPrefix.all(
      bare,
      afterPrefix(bare),
      withSess,
      afterPrefix(withSess),
      limit,
    );
    for (const row of rows) ids.add(row.stable_id);
    for (const row of this.stmts.byCsidPrefix.all(bare, afterPrefix(bare), limit))
      ids.add(row.stable_id);
    return [...ids];
  }

  /** Whether any session holds this Claude session id. */
  hasClaudeSession(csid: string): boolean {
    return (this.stmts.hasCsid.get(csid)?.n ?? 0) > 0;
  }

  /** Stored log issues (corrupt lines skipped by the live index), by offset. */
  logIssues(): LogCorruption[] {
    return this.stmts.logIssues.all().map((row) => ({
      offset: row.offset,
      line: row.line,
      kind: row.kind as LogCorruption['kind'],
      tolerated: row.tolerated === 1,
      excerpt: row.excerpt,
      reason: row.reason,
    }));
  }
}
