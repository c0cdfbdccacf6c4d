import {
  applyEventToMeta,
  applyEventToSession,
  emptyProjection,
  validateEvent,
} from '@sessions-db/projection';
import type { SessionRecord } from '@sessions-db/projection';
import type { LogCorruption } from '@sessions-db/event-log';

import { createIndexes, markSchemaCurrent, resetTablesForRebuild } from './schema.js';
import type { StoreCore } from './store-core.js';
import type { IndexState } from './sqlite-index.js';
import type { ProgressListener } from './types.js';

/** SQLite page cache during a rebuild, KiB. */
const REBUILD_CACHE_KIB = 32 * 1024;

/** Event offsets read per page in the second pass. */
const PAGE = 20_000;

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

function excerpt(value: unknown): string {
  return String(JSON.stringify(value)).slice(0, 80);
}

/**
 * Rebuild the whole index from the log in one transaction, in bounded memory and with every
 * session row written once, in order:
 *
 * 1. Stream the log (1 MiB chunks): validate each line, apply the replay guard and `_meta`, give
 *    each session its seq at its first event, and append `(seq, offset)` to the events table.
 * 2. Walk the events ordered by `(seq, offset)`, read each line again by offset, fold one
 *    session at a time and append its row and lookup rows.
 * 3. Build the unique and secondary indexes in bulk.
 *
 * A middle corruption (a damaged line nobody repaired) aborts and rolls back after pass 1,
 * leaving the old index untouched.
 */
export function rebuildIndex(
  core: StoreCore,
  options: { readonly onProgress?: ProgressListener } = {},
): RebuildOutcome {
  const { db, log } = core;
  db.pragma('busy_timeout = 30000');
  // A larger page cache while bulk loading; restored after.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${REBUILD_CACHE_KIB}`);
  db.exec('BEGIN IMMEDIATE');
  try {
    resetTablesForRebuild(db);
    const total = log.size();
    const report = (done: number): void => options.onProgress?.({ done, total: 2 * total });

    // Pass 1: which events belong to which session, in creation order.
    const addEvent = db.prepare('INSERT INTO events (seq, offset) VALUES (?, ?)');
    const seqOf = new Map<string, number>();
    const state: IndexState = {
      meta: emptyProjection()._meta,
      logOffset: 0,
      lastEventOffset: -1,
      firstEvent: null,
    };
    let skippedEvents = 0;
    let folded = 0;
    const scan = log.scanSync(0, (value, info) => {
      const validation = validateEvent(value);
      if (!validation.ok) {
        skippedEvents += 1;
        core.index.addLogIssue({
          offset: info.offset,
          line: info.line,
          kind: 'invalid_event',
          tolerated: true,
          excerpt: excerpt(value),
          reason: validation.reason,
        });
        return;
      }
      const event = validation.event;
      if (event.event_id !== undefined && event.event_id === state.meta.last_event_id) return;
      let seq = seqOf.get(event.stable_id);
      if (seq === undefined) {
        seq = seqOf.size + 1;
        seqOf.set(event.stable_id, seq);
      }
      addEvent.run(seq, info.offset);
      state.meta = applyEventToMeta(state.meta, event);
      state.lastEventOffset = info.offset;
      if (state.firstEvent === null && event.event_id !== undefined) {
        state.firstEvent = { offset: info.offset, eventId: event.event_id };
      }
      folded += 1;
      if (folded % PROGRESS_EVERY === 0) report(info.offset);
    });
    if (scan.corruptions.some((c) => !c.tolerated)) {
      db.exec('ROLLBACK');
      return { ok: false, corruptions: scan.corruptions };
    }
    const sessionCount = seqOf.size;
    seqOf.clear();
    for (const corruption of scan.corruptions) {
      if (corruption.kind !== 'tail_partial') core.index.addLogIssue(corruption);
    }

    // Pass 2: fold each session's events and append its rows, in seq order.
    db.exec('CREATE UNIQUE INDEX IF NOT EXISTS events_key ON events (seq, offset)');
    const page = db.prepare<[number, number], { seq: number; offset: number }>(
      `SELECT seq, offset FROM events WHERE (seq, offset) > (?, ?) ORDER BY seq, offset LIMIT ${PAGE}`,
    );
    const reader = log.openLineReader();
    try {
      let current: { seq: number; record: SessionRecord } | undefined;
      let after: [number, number] = [0, -1];
      let replayed = 0;
      for (;;) {
        const rows = page.all(...after);
        if (rows.length === 0) break;
        for (const { seq, offset } of rows) {
          const validation = validateEvent(reader.lineAt(offset));
          if (!validation.ok)
            throw new Error(`rebuild: the line at byte ${offset} changed during the rebuild`);
          if (current !== undefined && current.seq !== seq) {
            core.index.insertRecord(current.seq, current.record);
            current = undefined;
          }
          current = { seq, record: applyEventToSession(current?.record, validation.event) };
          replayed += 1;
          if (replayed % PROGRESS_EVERY === 0)
            report(total + Math.round((total * replayed) / Math.max(1, folded)));
        }
        const last = rows[rows.length - 1];
        if (last !== undefined) after = [last.seq, last.offset];
      }
      if (current !== undefined) core.index.insertRecord(current.seq, current.record);
    } finally {
      reader.close();
    }

    createIndexes(db);
    state.logOffset = scan.endOffset;
    core.index.writeState(state);
    markSchemaCurrent(db);
    db.exec('COMMIT');
    report(2 * total);
    return {
      ok: true,
      sessionCount,
      eventCount: state.meta.event_count,
      corruptions: scan.corruptions,
      skippedEvents,
    };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
}
