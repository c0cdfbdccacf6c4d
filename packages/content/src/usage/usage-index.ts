/**
 * Usage stored beside the content index (issue 15): one row per API response per archived
 * transcript, filled from the same archive reads as the text rows, so it survives the agent's
 * cleanup and grows incrementally. Deduplication across transcripts happens when it is read.
 */
import type Database from 'better-sqlite3';

import { schemaSql, statement } from '../statements.js';
import { codexRolloutUsage } from './codex-usage.js';
import { addTokens, claudeUsageOf, extractClaudeUsage, maxTokens } from './extract-usage.js';
import type { TokenCounts, UsageRecord } from './extract-usage.js';

/** The usage tables (created with the content index's schema). */
const USAGE_SCHEMA = `
CREATE TABLE IF NOT EXISTS usage_responses (
  file_key TEXT NOT NULL,
  response_key TEXT NOT NULL,
  stable_id TEXT NOT NULL,
  model TEXT NOT NULL,
  ts TEXT NOT NULL,
  input INTEGER NOT NULL,
  output INTEGER NOT NULL,
  cache_write_5m INTEGER NOT NULL,
  cache_write_1h INTEGER NOT NULL,
  cache_read INTEGER NOT NULL,
  PRIMARY KEY (response_key, stable_id, file_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS usage_by_file ON usage_responses (file_key);
CREATE TABLE IF NOT EXISTS usage_files (
  key TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  stable_id TEXT NOT NULL
) WITHOUT ROWID;
`;

/**
 * Create the usage tables. A layout from before the table was clustered by response (keyed by
 * file first) is dropped: usage is a cache of the archive, and `catchUpUsage` fills it again.
 * The responses and the files' states go together, in one transaction: file states left without
 * their responses (an index an earlier version left between its two drops) would say usage was
 * indexed that is not there, and nothing would fill it again.
 */
export function ensureUsageSchema(db: Database.Database): void {
  const current = (): boolean => {
    const responses = schemaSql(db, 'table', 'usage_responses');
    if (responses === undefined) return schemaSql(db, 'table', 'usage_files') === undefined;
    return responses.includes('PRIMARY KEY (response_key, stable_id, file_key)');
  };
  if (!current())
    db.transaction(() => {
      // looked at again under the write lock: another process may have converted it meanwhile
      if (current()) return;
      db.exec('DROP TABLE IF EXISTS usage_responses; DROP TABLE IF EXISTS usage_files;');
      db.exec(USAGE_SCHEMA);
    }).immediate();
  db.exec(USAGE_SCHEMA);
}

/** The response key under which a Codex rollout's cumulative totals are stored (one per file). */
const codexTotalKey = (fileKey: string): string => `codex:${fileKey}`;

/** Where usage of one archived transcript stands. */
export interface UsageFileState {
  readonly version: number;
  readonly bytes: number;
  readonly stableId: string;
}

/** The usage state of `key`, or undefined when none was recorded. */
export function usageFileState(db: Database.Database, key: string): UsageFileState | undefined {
  const row = statement(db, 'SELECT version, bytes, stable_id FROM usage_files WHERE key = ?').get(
    key,
  ) as { version: number; bytes: number; stable_id: string } | undefined;
  return row === undefined
    ? undefined
    : { version: row.version, bytes: row.bytes, stableId: row.stable_id };
}

/**
 * The usage of one transcript's new lines, collected without a database (the extraction half of
 * indexing): `line` takes each complete new line, `records` gives each response once. Claude rows
 * give one response each (the rows of one response share its key; the kind-by-kind maximum is
 * kept, as the upsert would merge them); a Codex rollout's cumulative `token_count` totals are
 * kept as one response per file (the largest).
 */
export interface UsageCollector {
  /** Takes one line; `parsed`, when given, is the line already parsed (JSON, or `null`). */
  line(line: string, parsed?: unknown): void;
  /** The responses taken so far, each once, in the order first seen. */
  records(): UsageRecord[];
}

/** A {@link UsageCollector} for the transcript `key` (`codex`: a Codex rollout). */
export function usageCollector(key: string, codex: boolean): UsageCollector {
  const pending = new Map<string, UsageRecord>();
  const merge = (record: UsageRecord): void => {
    const seen = pending.get(record.key);
    pending.set(
      record.key,
      seen === undefined
        ? record
        : {
            key: record.key,
            model: seen.model === '' ? record.model : seen.model,
            ts: record.ts > seen.ts ? record.ts : seen.ts,
            tokens: maxTokens(seen.tokens, record.tokens),
          },
    );
  };
  return {
    line: (line, parsed) => {
      if (codex) {
        const tokens = codexRolloutUsage([line]);
        if (tokens.input + tokens.output + tokens.cacheRead > 0)
          merge({ key: codexTotalKey(key), model: '', ts: codexTimestamp(line), tokens });
        return;
      }
      const record = parsed === undefined ? extractClaudeUsage(line) : claudeUsageOf(parsed);
      if (record !== null) merge(record);
    },
    records: () => [...pending.values()],
  };
}

/**
 * Writes one transcript's usage inside the caller's transaction (the writing half of indexing):
 * `restart` drops what an earlier version (or another session) left; `finish` writes the
 * responses a {@link UsageCollector} gave (each upserted: a response already stored keeps the
 * kind-by-kind maximum) and records how far the file's usage goes.
 */
export function writeUsage(
  db: Database.Database,
  key: string,
  ids: { readonly stableId: string; readonly version: number },
): { restart(): void; finish(records: readonly UsageRecord[], bytes: number): void } {
  const upsert = statement(
    db,
    `INSERT INTO usage_responses (file_key, response_key, stable_id, model, ts, input, output,
       cache_write_5m, cache_write_1h, cache_read)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(response_key, stable_id, file_key) DO UPDATE SET
       model = CASE WHEN model = '' THEN excluded.model ELSE model END,
       ts = max(ts, excluded.ts),
       input = max(input, excluded.input), output = max(output, excluded.output),
       cache_write_5m = max(cache_write_5m, excluded.cache_write_5m),
       cache_write_1h = max(cache_write_1h, excluded.cache_write_1h),
       cache_read = max(cache_read, excluded.cache_read)`,
  );
  return {
    restart: () => {
      statement(db, 'DELETE FROM usage_responses WHERE file_key = ?').run(key);
    },
    finish: (records, bytes) => {
      for (const record of records) {
        const t = record.tokens;
        upsert.run(
          key,
          record.key,
          ids.stableId,
          record.model,
          record.ts,
          t.input,
          t.output,
          t.cacheWrite5m,
          t.cacheWrite1h,
          t.cacheRead,
        );
      }
      statement(
        db,
        `INSERT INTO usage_files (key, version, bytes, stable_id) VALUES (?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET version = excluded.version, bytes = excluded.bytes,
           stable_id = excluded.stable_id`,
      ).run(key, ids.version, bytes, ids.stableId);
    },
  };
}

function codexTimestamp(line: string): string {
  try {
    const parsed = JSON.parse(line) as { timestamp?: unknown };
    return typeof parsed.timestamp === 'string' ? parsed.timestamp : '';
  } catch {
    return '';
  }
}

/** Tokens of one logical session, model and day after deduplication. */
export interface UsageRow {
  readonly stableId: string;
  /** The model, or '' when the rows named none (cost unknown). */
  readonly model: string;
  /** UTC day of the response (`YYYY-MM-DD`), or '' when the rows carried no timestamp. */
  readonly day: string;
  /** API responses counted. */
  readonly responses: number;
  readonly tokens: TokenCounts;
}

/** Options of {@link readUsage}. */
export interface ReadUsageOptions {
  /**
   * Which logical session a response shared by several is billed to: the first in this order
   * (negative: `a` before `b`). The caller orders origins before their forks (ancestors first,
   * then creation time), so a fork's copied history stays with its origin. Ties go to the smaller
   * stable id.
   */
  readonly order: (a: string, b: string) => number;
  /** Only responses at or after this ISO time. */
  readonly since?: string;
  /**
   * Only the usage of these logical sessions (`show`, `find --cost`): only their responses and the
   * copies of them elsewhere are read, so the answer is the same as the whole table's, for them.
   */
  readonly stableIds?: readonly string[];
}

type ResponseRow = {
  response_key: string;
  stable_id: string;
  model: string;
  ts: string;
  input: number;
  output: number;
  cw5: number;
  cw1: number;
  cr: number;
};

const tokensOf = (row: Omit<ResponseRow, 'response_key' | 'stable_id' | 'model' | 'ts'>) => ({
  input: row.input,
  output: row.output,
  cacheWrite5m: row.cw5,
  cacheWrite1h: row.cw1,
  cacheRead: row.cr,
});

/**
 * Every API response counted once, as totals per logical session, model and day. The rows of one
 * response (in one file, or copied into another file of the same session) count once with their
 * kind-by-kind maximum; a response found in the files of several logical sessions (a fork copies
 * its origin's history) is billed to the one `order` puts first. Responses that belong to one
 * session only are summed inside SQLite; only shared ones are resolved here.
 */
export function readUsage(db: Database.Database, options: ReadUsageOptions): UsageRow[] {
  const since = options.since ?? '';
  const scope = options.stableIds;
  if (scope !== undefined && scope.length === 0) return [];
  const marks = scope === undefined ? '' : scope.map(() => '?').join(',');
  // Scoped: the responses of the sessions' own files, and every copy of them anywhere.
  const rows =
    scope === undefined
      ? 'usage_responses'
      : `(SELECT * FROM usage_responses WHERE response_key IN (
           SELECT response_key FROM usage_responses WHERE file_key IN (
             SELECT key FROM usage_files WHERE stable_id IN (${marks}))))`;
  const params = scope ?? [];
  // Every stored row summed per session, model and day (one grouping pass); then the responses
  // stored more than once (copies in other files: a resume's or a fork's history) are taken out
  // row by row and added back once, to their owner. Copies are few; the sums stay in SQLite.
  const grouped = db
    .prepare(
      `SELECT stable_id, model, substr(ts, 1, 10) AS ts, count(*) AS responses,
         sum(input) AS input, sum(output) AS output, sum(cache_write_5m) AS cw5,
         sum(cache_write_1h) AS cw1, sum(cache_read) AS cr
       FROM ${rows} WHERE ts >= ? GROUP BY stable_id, model, substr(ts, 1, 10)`,
    )
    .all(...params, since) as (ResponseRow & { responses: number })[];
  const copies = db
    .prepare(
      `SELECT response_key, stable_id, model, ts, input, output, cache_write_5m AS cw5,
         cache_write_1h AS cw1, cache_read AS cr
       FROM ${rows} WHERE response_key IN (
         SELECT response_key FROM ${rows} GROUP BY response_key HAVING count(*) > 1)
       ORDER BY response_key`,
    )
    .all(...params, ...params) as ResponseRow[];

  const totals = new Map<string, { row: UsageRow; tokens: TokenCounts; responses: number }>();
  const add = (stableId: string, model: string, day: string, n: number, t: TokenCounts): void => {
    const id = `${stableId}\u0000${model}\u0000${day}`;
    const total = totals.get(id);
    if (total === undefined) {
      totals.set(id, {
        row: { stableId, model, day, responses: 0, tokens: t },
        tokens: t,
        responses: n,
      });
      return;
    }
    total.responses += n;
    total.tokens = addTokens(total.tokens, t);
  };
  for (const row of grouped) add(row.stable_id, row.model, row.ts, row.responses, tokensOf(row));
  for (const copy of copies) {
    if (copy.ts < since) continue;
    const t = tokensOf(copy);
    add(copy.stable_id, copy.model, copy.ts.slice(0, 10), -1, {
      input: -t.input,
      output: -t.output,
      cacheWrite5m: -t.cacheWrite5m,
      cacheWrite1h: -t.cacheWrite1h,
      cacheRead: -t.cacheRead,
    });
  }
  for (let i = 0; i < copies.length;) {
    let j = i;
    let owner = copies[i] as ResponseRow;
    let model = owner.model;
    let ts = owner.ts;
    let tokens = tokensOf(owner);
    for (; j < copies.length && copies[j]?.response_key === owner.response_key; j += 1) {
      const copy = copies[j] as ResponseRow;
      const better =
        options.order(copy.stable_id, owner.stable_id) ||
        (copy.stable_id < owner.stable_id ? -1 : 0);
      if (better < 0) owner = copy;
      if (model === '') model = copy.model;
      if (copy.ts !== '' && (ts === '' || copy.ts < ts)) ts = copy.ts;
      tokens = maxTokens(tokens, tokensOf(copy));
    }
    if (ts >= since) add(owner.stable_id, model, ts.slice(0, 10), 1, tokens);
    i = j;
  }
  const wanted = scope === undefined ? null : new Set(scope);
  return [...totals.values()]
    .filter(({ row, responses }) => responses > 0 && (wanted === null || wanted.has(row.stableId)))
    .map(({ row, tokens, responses }) => ({ ...row, tokens, responses }));
}
