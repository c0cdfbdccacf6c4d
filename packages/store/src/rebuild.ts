import {
  applyEventToMeta,
  applyEventToSession,
  emptyProjection,
  validateEvent,
} from '@sessions-db/projection';
import type { SessionRecord } from '@sessions-db/projection';
import type { LogCorruption } from '@sessions-db/event-log';

import { indexKeys, sessionColumns } from './index-rows.js';
import { createIndexes, markSchemaCurrent, resetTablesForRebuild } from './schema.js';
import type { StoreCore } from './store-core.js';
import type { IndexState } from './sqlite-index.js';
import type { ProgressListener } from './types.js';

/** Records kept in memory while folding; older ones are written out and re-read on demand. */
const CACHE_SIZE = 10_000;

/** SQLite page cache during a rebuild, KiB. */
const REBUILD_CACHE_KIB = 32 * 1024;

/** How many events between progress reports. */
const PROGRESS_EVERY = 50_000;

/** Outcome of folding the whole log into the index. */
export type RebuildOutcome =
  | {
      readonly ok: true;
      readonly sessionCount: number;
      readonly eventCount: number;
      readonly corruptions: readonly LogCorruption[];
      readonly skippedEvents: number;
    }
  | { readonly ok: false; readonly corruptions: readonly LogCorruption[] };

interface Cached {
  record: SessionRecord;
  seq: number;
}

/**
 * Rebuild the whole index from the log in one transaction: stream the log (bounded memory: a
 * cache of hot records, the rest written to SQLite and re-read when needed), then derive the
 * lookup tables from the final records and recreate the secondary indexes. A middle corruption
 * (a damaged line nobody repaired) aborts and rolls back, leaving the old index untouched.
 */
export function rebuildIndex(
  core: StoreCore,
  options: { readonly onProgress?: ProgressListener } = {},
): RebuildOutcome {
  const { db, log } = core;
  db.pragma(`busy_timeout = 30000`);
  // A larger page cache while bulk loading (B-tree inserts thrash the default 2 MB); restored after.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${REBUILD_CACHE_KIB}`);
  db.exec('BEGIN IMMEDIATE');
  try {
    resetTablesForRebuild(db);
    const upsert = db.prepare(
      `INSERT INTO sessions (seq, stable_id, record, alias, activity_state, outcome, created_at, last_progress_at,
         parent_session_id, branch_current, branch_at_start, cwd_text, search_text, claude_pid, end_reason, ended_at)
       VALUES (@seq, @stable_id, @record, @alias, @activity_state, @outcome, @created_at, @last_progress_at,
         @parent_session_id, @branch_current, @branch_at_start, @cwd_text, @search_text, @claude_pid, @end_reason, @ended_at)
       ON CONFLICT (seq) DO UPDATE SET record = excluded.record, alias = excluded.alias,
         activity_state = excluded.activity_state, outcome = excluded.outcome, created_at = excluded.created_at,
         last_progress_at = excluded.last_progress_at, parent_session_id = excluded.parent_session_id,
         branch_current = excluded.branch_current, branch_at_start = excluded.branch_at_start,
         cwd_text = excluded.cwd_text, search_text = excluded.search_text, claude_pid = excluded.claude_pid,
         end_reason = excluded.end_reason, ended_at = excluded.ended_at`,
    );
    const load = db.prepare<[string], { seq: number; record: string }>(
      'SELECT seq, record FROM sessions WHERE stable_id = ?',
    );
    const addEvent = db.prepare('INSERT INTO events (seq, offset) VALUES (?, ?)');
    const cache = new Map<string, Cached>();
    let nextSeq = 1;
    const writeOut = (entry: Cached): void => {
      upsert.run({
        seq: entry.seq,
        stable_id: entry.record.stable_id,
        record: JSON.stringify(entry.record),
        ...sessionColumns(entry.record),
      });
    };
    const state: IndexState = {
      meta: emptyProjection()._meta,
      logOffset: 0,
      lastEventOffset: -1,
      firstEvent: null,
    };
    let skippedEvents = 0;
    let folded = 0;
    const total = log.size();
    const result = log.scanSync(0, (value, info) => {
      const validation = validateEvent(value);
      if (!validation.ok) {
        skippedEvents += 1;
        core.index.addLogIssue({
          offset: info.offset,
          line: info.line,
          kind: 'invalid_event',
          tolerated: true,
          excerpt: String(JSON.stringify(value)).slice(0, 80),
          reason: validation.reason,
        });
        return;
      }
      const event = validation.event;
      if (event.event_id !== undefined && event.event_id === state.meta.last_event_id) return;
      const id = event.stable_id;
      const found = cache.get(id);
      let seq: number;
      let current: SessionRecord | undefined;
      if (found !== undefined) {
        cache.delete(id);
        seq = found.seq;
        current = found.record;
      } else {
        const row = load.get(id);
        seq = row?.seq ?? nextSeq++;
        current = row === undefined ? undefined : (JSON.parse(row.record) as SessionRecord);
      }
      cache.set(id, { record: applyEventToSession(current, event), seq });
      addEvent.run(seq, info.offset);
      state.meta = applyEventToMeta(state.meta, event);
      state.lastEventOffset = info.offset;
      if (state.firstEvent === null && event.event_id !== undefined)
        state.firstEvent = { offset: info.offset, eventId: event.event_id };
      if (cache.size > CACHE_SIZE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) {
          const evicted = cache.get(oldest);
          cache.delete(oldest);
          if (evicted !== undefined) writeOut(evicted);
        }
      }
      folded += 1;
      if (folded % PROGRESS_EVERY === 0) options.onProgress?.({ done: info.offset, total });
    });
    const fatal = result.corruptions.filter((c) => !c.tolerated);
    if (fatal.length > 0) {
      db.exec('ROLLBACK');
      return { ok: false, corruptions: result.corruptions };
    }
    for (const entry of cache.values()) writeOut(entry);
    cache.clear();
    for (const corruption of result.corruptions) {
      if (corruption.kind !== 'tail_partial') core.index.addLogIssue(corruption);
    }
    deriveLookupTables(core);
    createIndexes(db);
    state.logOffset = result.endOffset;
    core.index.writeState(state);
    markSchemaCurrent(db);
    db.exec('COMMIT');
    options.onProgress?.({ done: total, total });
    const sessionCount =
      db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sessions').get()?.n ?? 0;
    return {
      ok: true,
      sessionCount,
      eventCount: state.meta.event_count,
      corruptions: result.corruptions,
      skippedEvents,
    };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
}

/** Fill the lookup tables (Claude ids, transcript uuids, fingerprints, links) from every record. */
function deriveLookupTables(core: StoreCore): void {
  const page = core.db.prepare<[number], { seq: number; record: string }>(
    'SELECT seq, record FROM sessions WHERE seq > ? ORDER BY seq LIMIT 5000',
  );
  let after = 0;
  for (;;) {
    const rows = page.all(after);
    if (rows.length === 0) return;
    for (const row of rows) {
      const record = JSON.parse(row.record) as SessionRecord;
      core.index.syncKeys(row.seq, undefined, indexKeys(record));
    }
    after = rows[rows.length - 1]?.seq ?? after;
  }
}
