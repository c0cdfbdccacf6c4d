import {
  applyEventToMeta,
  applyEventToSession,
  emptyProjection,
  validateEvent,
} from '@sessions-db/projection';
import type {
  FoldableEvent,
  ProjectionMeta,
  SessionRecord,
  ValidEvent,
} from '@sessions-db/projection';
import type { LogCorruption } from '@sessions-db/event-log';

import type { ProjectionSink } from './projection-worker.js';
import { headMatches, readEnvelopeHead, readEnvelopeHeadBytes } from './envelope-head.js';
import { EventColumns } from './event-columns.js';
import { IdInterner } from './id-interner.js';
import { RebuildRows } from './rebuild-rows.js';
import { createIndexes, markSchemaCurrent, resetTablesForRebuild } from './schema.js';
import type { StoreCore } from './store-core.js';
import type { IndexState } from './sqlite-index.js';
import type { ProgressListener } from './types.js';

/**
 * SQLite page cache while the rows are appended, KiB: each table only grows at its right edge, so
 * a small cache serves it, and every page goes to the WAL once either way.
 */
const FOLD_CACHE_KIB = 8 * 1024;

/** SQLite page cache while the indexes are built, KiB (it also bounds each sorter's memory). */
const INDEX_CACHE_KIB = 32 * 1024;

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

/** What the first pass learned. */
interface FirstPass {
  readonly scan: ReturnType<StoreCore['log']['scanSync']>;
  /** Every event's session seq, offset and length, in log order. */
  readonly events: EventColumns;
  readonly sessionCount: number;
  /** `_meta` after the whole log, where the last event was, the first event. */
  readonly state: IndexState;
  readonly skippedEvents: number;
}

/**
 * Pass 1: stream the log, validate each line (an invalid one is recorded as a tolerated log
 * issue), apply the replay guard and `_meta`, number the sessions in creation order and note each
 * event. The session ids are numbered in typed arrays (`IdInterner`) that are garbage once this
 * returns, before pass 2 allocates. With `readHeads`, a line that starts as our writer's lines do
 * is taken from its head alone (`envelope-head.ts`), unparsed: pass 2 parses it and checks the head
 * against it ({@link LineMisreadError}); a replay, which pass 2 never reads, is always parsed.
 */
function scanSessions(
  core: StoreCore,
  report: (done: number) => void,
  readHeads: boolean,
): FirstPass {
  const events = new EventColumns();
  const ids = new IdInterner();
  const state: IndexState = {
    meta: emptyProjection()._meta,
    logOffset: 0,
    lastEventOffset: -1,
    firstEvent: null,
  };
  let skippedEvents = 0;
  const note = (event: FoldableEvent, info: { offset: number; bytes: number }): void => {
    events.push(ids.intern(event.stable_id), info.offset, info.bytes);
    state.meta = applyEventToMeta(state.meta, event);
    state.lastEventOffset = info.offset;
    if (state.firstEvent === null && event.event_id !== undefined) {
      state.firstEvent = { offset: info.offset, eventId: event.event_id };
    }
    if (events.length % PROGRESS_EVERY === 0) report(info.offset);
  };
  const claim = (bytes: Buffer, info: { offset: number; bytes: number }): boolean => {
    const head = readEnvelopeHeadBytes(bytes);
    if (head === undefined || head.eventId === state.meta.last_event_id) return false;
    const { ts, eventId, op, stableId } = head;
    note({ ts, event_id: eventId, op, stable_id: stableId }, info);
    return true;
  };
  const scan = core.log.scanSync(
    0,
    (value, info) => {
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
      note(event, info);
    },
    readHeads ? claim : undefined,
  );
  return { scan, events, sessionCount: ids.size, state, skippedEvents };
}

/**
 * Thrown (after the rollback) by a rebuild whose first pass took a line from its head and pass 2
 * found the line otherwise: not JSON (a corruption the first pass would have reported), or
 * repeating an envelope key further on. The rebuild must run again with `readHeads: false`, which
 * parses every line in pass 1; {@link rebuildIndex} does so by itself when it writes no projection.
 */
export class LineMisreadError extends Error {
  constructor(offset: number) {
    super(`rebuild: the line at byte ${offset} is not what its head showed`);
    this.name = 'LineMisreadError';
  }
}

/** The event at `text` (a line pass 1 noted), validated; with `readHeads`, checked against its head. */
function eventAt(text: string | undefined, offset: number, readHeads: boolean): ValidEvent {
  let value: unknown;
  try {
    value = text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    value = undefined;
  }
  const validation = validateEvent(value);
  if (readHeads) {
    const head = text === undefined ? undefined : readEnvelopeHead(text);
    if (!validation.ok || (head !== undefined && !headMatches(head, validation.event)))
      throw new LineMisreadError(offset);
  }
  if (!validation.ok)
    throw new Error(`rebuild: the line at byte ${offset} changed during the rebuild`);
  return validation.event;
}

/**
 * Pass 2: group the events by session, read each session's lines again by offset and length
 * (through the reader's block cache), fold them, and append the session's row, lookup rows and
 * event rows; hand each record to `projection` in creation order. `report` gets how far into the
 * log's bytes the pass is (proportionally to events done). Clears `events` when done.
 */
function foldSessions(
  core: StoreCore,
  events: EventColumns,
  sessionCount: number,
  options: {
    readonly meta: ProjectionMeta;
    readonly readHeads: boolean;
    readonly report: (done: number) => void;
    readonly projection?: ProjectionSink;
  },
): void {
  const total = core.log.size();
  const { order, starts } = events.groupBySession(sessionCount);
  const rows = new RebuildRows(core.db);
  const projection = options.projection;
  projection?.begin(options.meta);
  const reader = core.log.openLineReader();
  try {
    for (let seq = 1; seq <= sessionCount; seq += 1) {
      let record: SessionRecord | undefined;
      const first = starts[seq] ?? 0;
      const end = starts[seq + 1] ?? 0;
      // Sessions go in creation order: their first events move forward through the log, and the
      // reader keeps the blocks there; a session's later events (days later, say) are read alone.
      const front = events.offset(order[first] ?? 0);
      for (let k = first; k < end; k += 1) {
        const i = order[k] ?? 0;
        const offset = events.offset(i);
        const text = reader.textAt(offset, events.bytes(i), front);
        record = applyEventToSession(record, eventAt(text, offset, options.readHeads));
        rows.addEvent(seq, offset);
        if ((k + 1) % PROGRESS_EVERY === 0)
          options.report(Math.round((total * (k + 1)) / Math.max(1, order.length)));
      }
      if (record === undefined) continue;
      const recordJson = JSON.stringify(record);
      rows.addSession(seq, record, recordJson);
      projection?.session(record.stable_id, recordJson);
    }
    rows.finish();
    projection?.end();
  } finally {
    reader.close();
    // Garbage (with the order, local here) before SQLite's sorters build the indexes.
    events.clear();
  }
}

/**
 * Rebuild the whole index from the log in one transaction, in bounded memory and with every
 * session row written once, in order:
 *
 * 1. Stream the log (1 MiB chunks): validate each line, apply the replay guard and `_meta`, give
 *    each session its seq at its first event (ids numbered in typed arrays, `id-interner.ts`),
 *    and note each event's seq, offset and length in chunked typed arrays (10 bytes an event,
 *    `event-columns.ts`).
 * 2. Group the events by seq with a counting sort, read each line again by offset and
 *    length (through a 16 MiB block cache for the lines near the current session's first
 *    event, the others alone), fold one session at a time and append its row, lookup rows and
 *    event rows.
 * 3. Build the unique and secondary indexes in bulk.
 *
 * A middle corruption (a damaged line nobody repaired) aborts and rolls back after pass 1,
 * leaving the old index untouched.
 *
 * Pass 1 takes the lines that start as our writer's do from their head alone (`readHeads`, on by
 * default), so each line is parsed once, in pass 2. Should pass 2 find such a line was not what
 * its head showed, the rebuild rolls back and runs again parsing every line in pass 1: by itself
 * without a `projection`, else by throwing {@link LineMisreadError} for the caller to run it
 * again (with a fresh `sessions-db.json`) and `readHeads: false`.
 */
export function rebuildIndex(
  core: StoreCore,
  options: {
    readonly onProgress?: ProgressListener;
    /** Also hand each folded record, in creation order, to `sessions-db.json`'s writer. */
    readonly projection?: ProjectionSink;
    /** Whether pass 1 may take a line from its head (default true). */
    readonly readHeads?: boolean;
  } = {},
): RebuildOutcome {
  try {
    return rebuildOnce(core, options, options.readHeads ?? true);
  } catch (error) {
    if (!(error instanceof LineMisreadError) || options.projection !== undefined) throw error;
    return rebuildOnce(core, options, false);
  }
}

function rebuildOnce(
  core: StoreCore,
  options: {
    readonly onProgress?: ProgressListener;
    readonly projection?: ProjectionSink;
  },
  readHeads: boolean,
): RebuildOutcome {
  const { db, log } = core;
  db.pragma('busy_timeout = 30000');
  // A larger page cache while bulk loading; restored after.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${FOLD_CACHE_KIB}`);
  db.exec('BEGIN IMMEDIATE');
  try {
    resetTablesForRebuild(db);
    const total = log.size();
    const report = (done: number): void => options.onProgress?.({ done, total: 2 * total });

    // Pass 1: which events belong to which session, in creation order.
    const { scan, events, sessionCount, state, skippedEvents } = scanSessions(
      core,
      report,
      readHeads,
    );
    if (scan.corruptions.some((c) => !c.tolerated)) {
      db.exec('ROLLBACK');
      return { ok: false, corruptions: scan.corruptions };
    }
    for (const corruption of scan.corruptions) {
      if (corruption.kind !== 'tail_partial') core.index.addLogIssue(corruption);
    }

    // Pass 2: fold each session's events and append its rows, in seq order.
    foldSessions(core, events, sessionCount, {
      meta: state.meta,
      readHeads,
      report: (done) => report(total + done),
      ...(options.projection === undefined ? {} : { projection: options.projection }),
    });

    db.pragma(`cache_size = -${INDEX_CACHE_KIB}`);
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
