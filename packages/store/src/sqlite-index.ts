import type Database from 'better-sqlite3';
import {
  applyEventToMeta,
  applyEventToSession,
  emptyProjection,
  validateEvent,
} from '@sessions-db/projection';
import type { ProjectionMeta, SessionRecord } from '@sessions-db/projection';
import type { LogCorruption } from '@sessions-db/event-log';

import {
  diffSets,
  indexKeys,
  KEY_SEP,
  SESSION_COLUMN_NAMES,
  sessionColumns,
} from './index-rows.js';
import type { IndexKeys } from './index-rows.js';

/** Bookkeeping the index keeps about the log it has applied. */
export interface IndexState {
  /** The projection `_meta` (event count, last event id, ...). */
  meta: ProjectionMeta;
  /** Byte offset up to which the log has been applied. */
  logOffset: number;
  /** Offset of the line of the last applied event (drift check), or -1. */
  lastEventOffset: number;
  /** Offset and id of the first applied event (drift check: a replaced log changes it). */
  firstEvent: { readonly offset: number; readonly eventId: string } | null;
}

/** A session's events folded in memory: its record, its keys in the index before them, their lines. */
interface FoldRun {
  readonly stableId: string;
  readonly before: IndexKeys | undefined;
  record: SessionRecord;
  readonly offsets: number[];
}

/**
 * Row-level access to the SQLite index: session rows with their derived index rows, and the
 * applied-log bookkeeping. All methods run inside the caller's transaction.
 *
 * A fold may leave its last session's row unwritten (`applyLogged`'s `hold`): the *held row*,
 * written by the next fold (merged when it goes on with the same session) or by {@link settle}.
 * While a row is held, {@link getRecord} answers from it, the identity index
 * (`createSqliteIdentityIndex`) answers its exact lookup from it or settles it first, and every
 * other method that reads or writes rows settles it first; {@link totalChanges} does not count it.
 */
export class SqliteIndex {
  readonly db: Database.Database;
  private readonly stmts;
  /** The held row: folded, not yet written (see the class comment). */
  private held: FoldRun | undefined;

  constructor(db: Database.Database) {
    this.db = db;
    this.stmts = {
      getRecord: db.prepare<[string], { record: string }>(
        'SELECT record FROM sessions WHERE stable_id = ?',
      ),
      upsert: db.prepare(
        `${insertSessionSql(['stable_id'])}
         ON CONFLICT (stable_id) DO UPDATE SET ${ROW_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
         RETURNING seq`,
      ),
      addCsid: db.prepare('INSERT OR IGNORE INTO claude_ids (csid, seq) VALUES (?, ?)'),
      delCsid: db.prepare('DELETE FROM claude_ids WHERE csid = ? AND seq = ?'),
      addUuid: db.prepare(
        'INSERT OR IGNORE INTO transcript_uuids (uuid, seq, role) VALUES (?, ?, ?)',
      ),
      delUuid: db.prepare('DELETE FROM transcript_uuids WHERE uuid = ? AND seq = ? AND role = ?'),
      addFp: db.prepare('INSERT OR IGNORE INTO fingerprints (name, value, seq) VALUES (?, ?, ?)'),
      delFp: db.prepare('DELETE FROM fingerprints WHERE name = ? AND value = ? AND seq = ?'),
      addLink: db.prepare('INSERT OR IGNORE INTO links (kind, name, seq) VALUES (?, ?, ?)'),
      delLink: db.prepare('DELETE FROM links WHERE kind = ? AND name = ? AND seq = ?'),
      addEvent: db.prepare('INSERT OR IGNORE INTO events (seq, offset) VALUES (?, ?)'),
      totalChanges: db.prepare<[], number>('SELECT total_changes()').pluck(),
      getMeta: db.prepare<[], { key: string; value: string }>('SELECT key, value FROM meta'),
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      addIssue: db.prepare(
        `INSERT OR REPLACE INTO log_issues (offset, line, kind, tolerated, excerpt, reason)
         VALUES (@offset, @line, @kind, @tolerated, @excerpt, @reason)`,
      ),
    };
  }

  /**
   * The record of `stableId` (the held row's when it is that session's: a copy, since the fold
   * goes on changing its own), or undefined.
   */
  getRecord(stableId: string): SessionRecord | undefined {
    const held = this.held;
    if (held !== undefined && held.stableId === stableId)
      return JSON.parse(JSON.stringify(held.record)) as SessionRecord;
    const row = this.stmts.getRecord.get(stableId);
    return row === undefined ? undefined : (JSON.parse(row.record) as SessionRecord);
  }

  /**
   * The held row's session and whether its record holds Claude session id `csid` (as the
   * `claude_ids` rows written for it will), or undefined when no row is held. What the identity
   * index's exact lookup needs to answer without writing the row.
   */
  heldClaudeId(
    csid: string,
  ): { readonly stableId: string; readonly record: Readonly<SessionRecord> | null } | undefined {
    const held = this.held;
    if (held === undefined) return undefined;
    const holds = indexKeys(held.record).csids.has(csid);
    return { stableId: held.stableId, record: holds ? held.record : null };
  }

  /** Whether a row is held (folded, not yet written). */
  isHolding(): boolean {
    return this.held !== undefined;
  }

  /** Write the held row, if any: afterwards every row is as the folds so far left it. */
  settle(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    this.writeRun(held);
  }

  /**
   * Forget the held row without writing it (the caller rolls back, or folds its lines again).
   * Returns whether one was held.
   */
  dropHeld(): boolean {
    const held = this.held !== undefined;
    this.held = undefined;
    return held;
  }

  /**
   * Every session row in creation (seq) order, a page at a time, so a store of a million sessions
   * is never held in memory at once. Other statements may run between pages.
   */
  *sessionPages(pageSize: number): Generator<{ seq: number; stable_id: string; record: string }[]> {
    this.settle();
    const page = this.db.prepare<[number], { seq: number; stable_id: string; record: string }>(
      `SELECT seq, stable_id, record FROM sessions WHERE seq > ? ORDER BY seq LIMIT ${Math.floor(pageSize)}`,
    );
    let after = 0;
    for (;;) {
      const rows = page.all(after);
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]?.seq ?? after;
    }
  }

  /** Write `record`, keeping the derived index rows in step with its keys `before` (undefined = new). */
  putRecord(record: SessionRecord, before: IndexKeys | undefined): number {
    this.settle();
    return this.writeRecord(record, before);
  }

  /** {@link putRecord} without settling the held row (the fold's own write). */
  private writeRecord(record: SessionRecord, before: IndexKeys | undefined): number {
    // Positional values (named ones cost better-sqlite3 a property lookup each: ~15 % of the
    // statement's instructions).
    const derived = sessionColumns(record);
    const values: (string | number | null)[] = [record.stable_id, JSON.stringify(record)];
    for (const name of SESSION_COLUMN_NAMES) values.push(derived[name]);
    const row = this.stmts.upsert.get(values) as { seq: number };
    this.syncKeys(row.seq, before, indexKeys(record));
    return row.seq;
  }

  /** Insert the index rows of `next` that `prev` lacks and delete the ones it no longer has. */
  private syncKeys(id: number, prev: IndexKeys | undefined, next: IndexKeys): void {
    const s = this.stmts;
    const csids = diffSets(prev?.csids, next.csids);
    for (const csid of csids.added) s.addCsid.run(csid, id);
    for (const csid of csids.removed) s.delCsid.run(csid, id);
    const uuids = diffSets(prev?.uuids, next.uuids);
    for (const key of uuids.added) s.addUuid.run(...splitKey(key, id));
    for (const key of uuids.removed) s.delUuid.run(...splitKey(key, id));
    const fps = diffSets(prev?.fingerprints, next.fingerprints);
    for (const key of fps.added) s.addFp.run(...splitPair(key), id);
    for (const key of fps.removed) s.delFp.run(...splitPair(key), id);
    const links = diffSets(prev?.links, next.links);
    for (const key of links.added) s.addLink.run(...splitPair(key), id);
    for (const key of links.removed) s.delLink.run(...splitPair(key), id);
  }

  /** Write a fold's row and its events' references. */
  private writeRun(run: FoldRun): void {
    const seq = this.writeRecord(run.record, run.before);
    for (const offset of run.offsets) this.addEventRef(seq, offset);
  }

  /**
   * Rows inserted, updated or deleted through this connection since it was opened (SQLite's
   * `total_changes()`): a step whose count moved wrote to the index. A held row is not written,
   * so not counted.
   */
  totalChanges(): number {
    return this.stmts.totalChanges.get() as number;
  }

  /** Remember that the event at `offset` belongs to session `seq` (for timelines). */
  addEventRef(seq: number, offset: number): void {
    this.stmts.addEvent.run(seq, offset);
  }

  /** Record a log line the index could not apply. */
  addLogIssue(
    issue:
      | LogCorruption
      | {
          readonly offset: number;
          readonly line: number;
          readonly kind: string;
          readonly tolerated: boolean;
          readonly excerpt: string;
          readonly reason: string;
        },
  ): void {
    this.stmts.addIssue.run({ ...issue, tolerated: issue.tolerated ? 1 : 0 });
  }

  /** Read the bookkeeping. */
  readState(): IndexState {
    this.settle();
    const values = new Map(this.stmts.getMeta.all().map((row) => [row.key, row.value]));
    const metaJson = values.get('projection_meta');
    return {
      meta:
        metaJson === undefined ? emptyProjection()._meta : (JSON.parse(metaJson) as ProjectionMeta),
      logOffset: Number(values.get('log_offset') ?? 0),
      lastEventOffset: Number(values.get('last_event_offset') ?? -1),
      firstEvent: values.has('first_event')
        ? (JSON.parse(values.get('first_event') ?? 'null') as IndexState['firstEvent'])
        : null,
    };
  }

  /** Write the bookkeeping. */
  writeState(state: IndexState): void {
    this.settle();
    this.stmts.setMeta.run('projection_meta', JSON.stringify(state.meta));
    this.stmts.setMeta.run('log_offset', String(state.logOffset));
    this.stmts.setMeta.run('last_event_offset', String(state.lastEventOffset));
    this.stmts.setMeta.run('first_event', JSON.stringify(state.firstEvent));
  }

  /**
   * Fold parsed log lines, in order, into the index and `state`. Consecutive events of one session
   * (a `session_seen` and its `parent_set` and titles) are folded in memory and its row is written
   * once, with the same result as writing it after each. A line that is not a usable event is
   * recorded as a log issue; a replay of the last event is skipped. Returns how many were applied.
   *
   * With `hold`, the last session's row is not written but held (see the class comment): a next
   * fold that begins with the same session goes on folding into it, so a session whose events
   * come from two decisions in a row (an import's `seen`, then its `end`) is written once. The
   * held row is whatever the previous fold left, so the lines go on from it exactly as if it had
   * been written and read back.
   */
  applyLogged(lines: readonly LoggedLine[], state: IndexState, hold = false): number {
    let applied = 0;
    let run: FoldRun | undefined = this.held;
    this.held = undefined;
    const flush = (): void => {
      if (run === undefined) return;
      this.writeRun(run);
      run = undefined;
    };
    for (const line of lines) {
      const validation = validateEvent(line.value);
      if (!validation.ok) {
        this.addLogIssue({
          offset: line.offset,
          line: line.lineOf(),
          kind: 'invalid_event',
          tolerated: true,
          excerpt: excerptOf(line.value),
          reason: validation.reason,
        });
        continue;
      }
      const event = validation.event;
      if (event.event_id !== undefined && event.event_id === state.meta.last_event_id) continue;
      if (run?.stableId !== event.stable_id) {
        flush();
        const previous = this.getRecord(event.stable_id);
        run = {
          stableId: event.stable_id,
          before: previous === undefined ? undefined : indexKeys(previous),
          record: applyEventToSession(previous, event),
          offsets: [line.offset],
        };
      } else {
        run.record = applyEventToSession(run.record, event);
        run.offsets.push(line.offset);
      }
      state.meta = applyEventToMeta(state.meta, event);
      state.lastEventOffset = line.offset;
      if (state.firstEvent === null && event.event_id !== undefined)
        state.firstEvent = { offset: line.offset, eventId: event.event_id };
      applied += 1;
    }
    if (hold) this.held = run;
    else flush();
    return applied;
  }
}

/** A parsed log line to fold: its value, its offset, and its line number (counted on demand). */
export interface LoggedLine {
  readonly value: unknown;
  readonly offset: number;
  readonly lineOf: () => number;
}

/** The columns a session write sets besides its key: the record and the derived columns. */
const ROW_COLUMNS = ['record', ...SESSION_COLUMN_NAMES] as const;

/** `INSERT INTO sessions (<keys>, record, <derived columns>) VALUES (?, …)`, values in that order. */
function insertSessionSql(keys: readonly string[]): string {
  const columns = [...keys, ...ROW_COLUMNS];
  return `INSERT INTO sessions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

function splitKey(key: string, id: number): [string, number, string] {
  const [uuid = '', role = ''] = key.split(KEY_SEP);
  return [uuid, id, role];
}

function splitPair(key: string): [string, string] {
  const [a = '', b = ''] = key.split(KEY_SEP);
  return [a, b];
}

function excerptOf(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.slice(0, 80);
}
