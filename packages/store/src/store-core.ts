import type Database from 'better-sqlite3';
import { encodeEvent, generateEventId, generateSessionId, newEvent } from '@sessions-db/event-log';
import type { EventEnvelope } from '@sessions-db/event-log';

import { stableIdForClaudeSession } from './claude-mint.js';
import { StoreError, isIndexNotWritable, isSqliteBusy } from './errors.js';
import type { LogPort } from './log-port.js';
import { assertIndexIsOurs, configureConnection, ensureSchema } from './schema.js';
import type { IdentityIndex } from '@sessions-db/identity';
import { createSqliteIdentityIndex } from './sqlite-identity-index.js';
import { SqliteIndex } from './sqlite-index.js';
import { SqliteReads } from './sqlite-reads.js';
import type { IndexState, LoggedLine } from './sqlite-index.js';
import type { StoreClock, StorePaths, WritePoint } from './types.js';

/** The default clock: wall time, UUIDv7 ids, new sessions' ids derived from their Claude session id. */
export const systemClock: StoreClock = {
  now: () => Date.now(),
  newSessionId: generateSessionId,
  newEventId: generateEventId,
  sessionIdForClaudeSession: stableIdForClaudeSession,
};

/** An event the store is about to append (envelope fields filled by the store). */
export interface PendingEvent {
  readonly op: string;
  readonly stable_id: string;
  readonly payload: Record<string, unknown>;
  readonly ts?: string;
  /**
   * `JSON.stringify(payload)` when the decider already encoded it (`fitPayload`'s size check): the
   * log line is assembled around it instead of encoding the payload a second time.
   */
  readonly payloadJson?: string;
}

/** What a transaction body returns: events to append, and a value for the caller. */
export interface TransactionPlan<T> {
  readonly events: readonly PendingEvent[];
  readonly result: (written: readonly EventEnvelope[]) => T;
}

/** One body of a write transaction: reads the caught-up index, returns its events and result. */
export type TransactionBody<T> = (state: IndexState) => TransactionPlan<T>;

/**
 * What became of one unit of {@link StoreCore.transactBatch}: the results of its bodies that
 * wrote, and, when one failed, its error (the bodies after it did not run).
 */
export type UnitOutcome<T> =
  | { readonly ok: true; readonly values: readonly T[] }
  | { readonly ok: false; readonly values: readonly T[]; readonly error: unknown };

/** Options of {@link StoreCore.transactBatch}. */
export interface BatchOptions {
  /** Absolute deadline (`performance.now()` ms) for taking the write lock. */
  readonly deadline?: number | undefined;
  /** Start no new unit once the lock has been held this long (ms); the first unit always runs. */
  readonly maxHoldMs?: number | undefined;
  /**
   * The transaction may change many pages (a sweep of every session): its savepoint journal goes
   * to a temporary file, not memory (see `StoreCore.placeJournal`).
   */
  readonly large?: boolean | undefined;
  /**
   * Within a unit, a step's last session row stays held (folded, not yet written) for the next
   * step and is written once by the fold that ends it (`SqliteIndex`'s held row): for bodies that
   * read the index only through the core (`index`, `identityIndex()`, `reads`, `db`), which see
   * or settle it.
   */
  readonly holdRows?: boolean | undefined;
}

/**
 * Log bytes the index has not applied past which the catch-up of a transaction counts as large
 * (about 200 events; see `StoreCore.placeJournal`).
 */
const LARGE_CATCH_UP_BYTES = 256 * 1024;

interface DoneStep<T> {
  readonly plan: TransactionPlan<T>;
  readonly written: readonly EventEnvelope[];
}

/** Where a step began in a batch's lines, their bytes and the lines folded. */
interface StepMark {
  readonly lines: number;
  readonly bytes: number;
  readonly folded: number;
}

interface DoneUnit<T> {
  readonly steps: DoneStep<T>[];
  error: { readonly error: unknown } | undefined;
}

/** A copy of the bookkeeping to restore after a rollback (the fold updates `meta` in place). */
function copyState(state: IndexState): IndexState {
  return {
    ...state,
    meta: { ...state.meta, fingerprint_versions: [...state.meta.fingerprint_versions] },
  };
}

/** The outcomes of the units that ran, each body's result computed from its written events. */
function outcomesOf<T>(done: readonly DoneUnit<T>[]): UnitOutcome<T>[] {
  return done.map((unit) => {
    const values = unit.steps.map((step) => step.plan.result(step.written));
    return unit.error === undefined
      ? { ok: true, values }
      : { ok: false, values, error: unit.error.error };
  });
}

/** Default busy timeout of SQLite's write lock for interactive commands (ms). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * The engine under every store handle: one SQLite connection, one log, and the single write path
 * (`transact`): take the write lock (`BEGIN IMMEDIATE`), catch up on log lines the index has not
 * applied, let the body read through the indexes and decide its events, append them to the log,
 * apply the log tail (our lines and any another process appended) and commit.
 */
export class StoreCore {
  /** The connection (reach it through {@link db}, which writes a held row first). */
  private readonly connection: Database.Database;
  readonly log: LogPort;
  readonly index: SqliteIndex;
  /** The index's read queries (reach them through {@link reads}, which writes a held row first). */
  private readonly sqliteReads: SqliteReads;
  /** The identity index over the SQLite tables (statements prepared on first use). */
  private identity: IdentityIndex | undefined;
  readonly paths: StorePaths | null;
  readonly clock: StoreClock;
  readonly fsync: boolean;
  /** The index layout version found when the connection was opened (0 = new index). */
  readonly schemaVersionAtOpen: number;
  private busyTimeoutMs: number;
  private readonly onWritePoint: ((point: WritePoint) => void) | undefined;
  /** Lines of the batch in progress by offset: folded into the index, not yet in the log. */
  private readonly pendingLines = new Map<number, string>();
  /** Whether {@link placeJournal} has set `temp_store = MEMORY` on the connection (now). */
  private journalInMemory = false;
  /** Events applied from the log by this handle (all transactions). */
  private appliedTotal = 0;
  /**
   * Why the index file did not take this handle's events (read-only, disk full, or an in-memory
   * stand-in was used): they are durable in the log and the index applies them when it next can.
   * Null while the index file is up to date with this handle's writes.
   */
  indexPending: string | null;
  /**
   * A second connection, to the index file, whose write lock every transaction of this handle
   * holds too: the handle of an in-memory stand-in for an index file that was busy at open, so
   * that it still decides and appends under the store's lock (one record per hook event).
   */
  private readonly fileLock: Database.Database | undefined;

  constructor(options: {
    db: Database.Database;
    log: LogPort;
    paths: StorePaths | null;
    clock?: StoreClock | undefined;
    busyTimeoutMs?: number | undefined;
    fsync?: boolean | undefined;
    onWritePoint?: ((point: WritePoint) => void) | undefined;
    /** The index is an in-memory stand-in for a file that cannot be written: why. */
    indexPending?: string | null | undefined;
    /** See {@link StoreCore.fileLock}. */
    fileLock?: Database.Database | undefined;
  }) {
    this.indexPending = options.indexPending ?? null;
    this.fileLock = options.fileLock;
    this.fileLock?.pragma('busy_timeout = 0');
    this.onWritePoint = options.onWritePoint;
    this.connection = options.db;
    this.log = options.log;
    this.paths = options.paths;
    this.clock = options.clock ?? systemClock;
    this.busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.fsync = options.fsync ?? false;
    // Before anything that writes (journal_mode included): a database that is not ours is refused.
    assertIndexIsOurs(this.connection, options.paths?.indexPath ?? ':memory:');
    configureConnection(this.connection, this.busyTimeoutMs);
    this.schemaVersionAtOpen = ensureSchema(this.connection);
    this.index = new SqliteIndex(this.connection);
    this.sqliteReads = new SqliteReads(this.connection);
  }

  /**
   * The SQLite connection. Inside a transaction it settles the index's held row first (see
   * `SqliteIndex`), so whatever is read through it sees every fold so far.
   */
  get db(): Database.Database {
    this.index.settle();
    return this.connection;
  }

  /** The index's read queries; like {@link db}, it settles the held row first. */
  get reads(): SqliteReads {
    this.index.settle();
    return this.sqliteReads;
  }

  /**
   * The identity resolver's view of the index (`@sessions-db/identity`'s port); it sees the
   * index's held row (`createSqliteIdentityIndex`).
   */
  identityIndex(): IdentityIndex {
    return (this.identity ??= createSqliteIdentityIndex(this.connection, this.index));
  }

  /** ISO timestamp of the store's clock. */
  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Build a full envelope for a pending event (with `eventId`, that id instead of a minted one). */
  envelope(pending: PendingEvent, eventId?: string): EventEnvelope {
    return newEvent(
      {
        op: pending.op,
        stable_id: pending.stable_id,
        payload: pending.payload,
        ...(pending.ts === undefined ? {} : { ts: pending.ts }),
        ...(eventId === undefined ? {} : { event_id: eventId }),
      },
      { now: this.clock.now, newEventId: this.clock.newEventId },
    );
  }

  /**
   * Take SQLite's write lock (`BEGIN IMMEDIATE`) by the deadline. Instead of SQLite's busy
   * handler, whose back-off sleeps grow to 100 ms (so a lock freed after 5 ms may sit idle for
   * 95), retry every few milliseconds with jitter: under a burst of hooks the lock passes from
   * writer to writer as soon as it is free. With a {@link fileLock}, its lock is taken first.
   *
   * @throws StoreError `STORE_BUSY` when the lock cannot be had in time.
   */
  private beginImmediate(deadline: number | undefined): void {
    const limit = deadline ?? performance.now() + this.busyTimeoutMs;
    this.connection.pragma('busy_timeout = 0');
    for (;;) {
      try {
        if (this.fileLock?.inTransaction === false) this.fileLock.exec('BEGIN IMMEDIATE');
        this.connection.exec('BEGIN IMMEDIATE');
        break;
      } catch (error) {
        const left = limit - performance.now();
        if (!isSqliteBusy(error) || left <= 0) {
          this.releaseFileLock();
          throw new StoreError(
            'STORE_BUSY',
            `the store is locked by another writer (${describe(error)})`,
            {
              cause: error,
            },
          );
        }
        sleepMs(Math.min(left, LOCK_RETRY_MIN_MS + Math.random() * LOCK_RETRY_JITTER_MS));
      }
    }
    // Statements inside the transaction (rare WAL contention) may still wait, within the deadline.
    this.connection.pragma(`busy_timeout = ${Math.max(0, Math.floor(limit - performance.now()))}`);
  }

  /**
   * Where the next transaction keeps its savepoint journal (`temp_store`, set between
   * transactions). SQLite copies every page a transaction changes into that journal once. By
   * default it is in memory up to 64 KiB, then a file in the temp directory, one write per page
   * (tooling/bench/README.md "Where import's time goes"); one hook event already changes ~11
   * pages of 8 KiB, so a small transaction keeps it in memory (`temp_store = MEMORY`). A large
   * one (`large`: a sweep of every session; or a catch-up of more than
   * {@link LARGE_CATCH_UP_BYTES} of log) keeps SQLite's default: an in-memory journal is walked at
   * the end of every statement, so its cost grew with the square of the changes (the sweep after
   * importing 10k sessions took 22.7 s and ~200 MB more memory; 1.3 s with the file).
   */
  private placeJournal(large: boolean): void {
    if (this.connection.inTransaction) return;
    const inMemory = !large && this.catchUpBytes() <= LARGE_CATCH_UP_BYTES;
    if (inMemory === this.journalInMemory) return;
    this.connection.pragma(inMemory ? 'temp_store = MEMORY' : 'temp_store = DEFAULT');
    this.journalInMemory = inMemory;
  }

  /**
   * About how much log the next transaction will catch up on: an estimate read before the lock,
   * so a failure to read it (the index busy at that instant: the connection's busy timeout is
   * what the last transaction's deadline left) counts as nothing to catch up, never as an error
   * of the transaction.
   */
  private catchUpBytes(): number {
    try {
      return this.log.size() - this.index.readState().logOffset;
    } catch {
      return 0;
    }
  }

  /**
   * Run one write transaction: {@link transactBatch} with one unit of one body.
   *
   * @throws StoreError `STORE_BUSY` when the write lock cannot be had before the deadline;
   *   errors of the body, the log append (e.g. `EVENT_TOO_LARGE`, ENOSPC) or SQLite.
   */
  transact<T>(body: TransactionBody<T>, options: Pick<BatchOptions, 'deadline' | 'large'> = {}): T {
    const [outcome] = this.transactBatch([[body]], options);
    if (outcome === undefined) throw new Error('transact: the transaction ran no body');
    if (!outcome.ok) throw outcome.error;
    return outcome.values[0] as T;
  }

  /**
   * The single write path: run units of bodies in ONE write transaction. Under the lock, catch up
   * on log lines the index has not applied; then each body, in order, reads the index (which
   * already holds the events of the bodies before it), decides its events, and has them encoded
   * and folded into the index from memory. A body that throws (or whose event cannot be encoded)
   * ends its unit and leaves nothing in the index; the other units go on (bodies only read the
   * index, so a failure before the fold has nothing to undo; a fold that fails after writing part
   * of its rows rolls the batch's savepoint back and folds the kept steps' lines again). Then every
   * decided line is appended to the log in ONE write (one `fdatasync` with `fsync`), and only
   * then is the index committed: the log always holds what a committed index reflects. When the
   * lines did not land where the index expects them (another writer appended without the lock,
   * or a fragment was closed first), the in-memory folds are rolled back and the log is folded as
   * it is. A crash at any instruction leaves either nothing (before the write), or log lines the
   * next writer folds during its catch-up.
   *
   * With `maxHoldMs`, no new unit starts once the lock has been held that long (the first always
   * runs), so a hook waiting for the lock is never starved; the outcomes then cover a prefix of
   * `units` and the caller runs the rest in another transaction.
   *
   * When the index cannot be written (read-only file, disk full) after bodies decided their
   * events, those events are still appended, `indexPending` says why, and they count as written
   * (the index applies them when it next can); the batch stops there.
   *
   * @throws StoreError `STORE_BUSY` when the write lock cannot be had before the deadline; errors
   *   of the catch-up, the log append (ENOSPC, …) or SQLite, which fail every unit.
   */
  transactBatch<T>(
    units: readonly (readonly TransactionBody<T>[])[],
    options: BatchOptions = {},
  ): UnitOutcome<T>[] {
    this.placeJournal(options.large === true);
    this.beginImmediate(options.deadline);
    const lockedAt = performance.now();
    const done: DoneUnit<T>[] = [];
    const lines: string[] = [];
    /** Where each of `lines` will start in the log, if nobody else appends first. */
    const offsets: number[] = [];
    let appended = false;
    let indexFailure: { readonly error: unknown } | undefined;
    try {
      this.onWritePoint?.('locked');
      const state = this.index.readState();
      this.applyLogTail(state);
      this.onWritePoint?.('caught-up');
      const base = state.logOffset;
      const caughtUp = copyState(state);
      /** The lines of the steps kept so far, as folded (refolded after a step's partial write). */
      const folded: LoggedLine[] = [];
      let bytes = 0;
      this.connection.exec('SAVEPOINT batch');
      for (const unit of units) {
        const held = performance.now() - lockedAt;
        if (done.length > 0 && options.maxHoldMs !== undefined && held >= options.maxHoldMs) break;
        const current: DoneUnit<T> = { steps: [], error: undefined };
        done.push(current);
        /** Where each kept step of this unit began in `lines`, `bytes` and `folded`. */
        const marks: StepMark[] = [];
        for (const [stepIndex, body] of unit.entries()) {
          const saved = copyState(state);
          const linesBefore = lines.length;
          const bytesBefore = bytes;
          const changesBefore = this.index.totalChanges();
          // The row the step before left held (not yet written): a failure of this step must
          // write it, so it folds the kept steps again rather than only restore the bookkeeping.
          const heldBefore = this.index.isHolding();
          let decided: DoneStep<T> | undefined;
          try {
            const plan = body(state);
            const written = plan.events.map((pending) => this.envelope(pending));
            const encoded = written.map((event, i) =>
              encodeEvent(event, plan.events[i]?.payloadJson),
            );
            decided = { plan, written };
            for (const line of encoded) {
              offsets.push(base + bytes);
              this.pendingLines.set(base + bytes, line);
              lines.push(line);
              bytes += Buffer.byteLength(line, 'utf8');
            }
            // The lines as the next reader of the log will parse them.
            const own = encoded.map((line, i) => {
              const number = linesBefore + i;
              return {
                value: JSON.parse(line) as unknown,
                offset: offsets[number] ?? base,
                lineOf: () => this.log.linesBefore(base) + number + 1,
              };
            });
            // Within a unit the last session's row stays held for the next step (an import's
            // `end` goes on with the session its `seen` wrote: one row write, not two); its
            // reads see it (`SqliteIndex`). The unit's last step writes it.
            this.index.applyLogged(
              own,
              state,
              options.holdRows === true && stepIndex < unit.length - 1,
            );
            marks.push({ lines: linesBefore, bytes: bytesBefore, folded: folded.length });
            folded.push(...own);
            current.steps.push(decided);
          } catch (error) {
            const heldDropped = this.index.dropHeld();
            if (isIndexNotWritable(error)) {
              // The index cannot take more: what was decided goes to the log all the same.
              if (decided !== undefined) current.steps.push(decided);
              if (stepIndex < unit.length - 1 || decided === undefined) current.error = { error };
              indexFailure = { error };
              break;
            }
            lines.length = linesBefore;
            for (const offset of offsets.splice(linesBefore)) this.pendingLines.delete(offset);
            bytes = bytesBefore;
            let failure: unknown = error;
            if (!heldBefore && !heldDropped && this.index.totalChanges() === changesBefore) {
              // Nothing of this step reached the index (a body fails before its fold): only the
              // bookkeeping is restored.
              Object.assign(state, saved);
            } else {
              // The fold failed after writing part of its rows, or a held row of the steps before
              // was not written yet: undo the batch's writes and fold the steps kept again (rare,
              // so no savepoint per step: each one copied every page it touched, a tenth of an
              // import's time). When that fold fails too, the held row was what the index
              // refused: the unit's steps are dropped from the last one on, as their own
              // failing fold would have, until the rest folds.
              for (;;) {
                this.connection.exec('ROLLBACK TO batch');
                Object.assign(state, copyState(caughtUp));
                try {
                  this.index.applyLogged(folded, state);
                  break;
                } catch (refoldError) {
                  this.index.dropHeld();
                  const mark = marks.pop();
                  if (mark === undefined || isIndexNotWritable(refoldError)) throw refoldError;
                  current.steps.pop();
                  lines.length = mark.lines;
                  for (const offset of offsets.splice(mark.lines)) this.pendingLines.delete(offset);
                  bytes = mark.bytes;
                  folded.length = mark.folded;
                  failure = refoldError;
                }
              }
            }
            current.error = { error: failure };
            break;
          }
        }
        if (indexFailure !== undefined) break;
      }
      if (indexFailure !== undefined) {
        this.index.dropHeld();
        rollbackQuietly(this.connection);
        if (lines.length === 0) throw indexFailure.error;
        this.log.appendLines(lines, { fsync: this.fsync });
        appended = true;
        this.onWritePoint?.('appended');
        this.indexPending = `the index could not be updated (${describe(indexFailure.error)})`;
        return outcomesOf(done);
      }
      if (lines.length > 0) {
        const at = this.log.appendLines(lines, { fsync: this.fsync });
        appended = true;
        this.onWritePoint?.('appended');
        if (at.exact && at.offset === base) {
          this.connection.exec('RELEASE batch');
          state.logOffset = base + bytes;
        } else {
          // Another writer's bytes came first (an unlocked append, a fragment closed by this
          // write): fold the log as it now is, our lines included, in its order.
          this.connection.exec('ROLLBACK TO batch');
          this.connection.exec('RELEASE batch');
          Object.assign(state, copyState(caughtUp));
        }
        // Our lines are applied; fold any line another writer appended without the lock.
        this.applyLogTail(state);
      } else {
        this.connection.exec('RELEASE batch');
      }
      this.index.writeState(state);
      this.onWritePoint?.('applied');
      this.connection.exec('COMMIT');
      this.onWritePoint?.('committed');
      return outcomesOf(done);
    } catch (error) {
      rollbackQuietly(this.connection);
      // The events are durable in the log; only the index could not take them. The write
      // happened: report it (a retry would duplicate it), and let the index catch up later.
      if (appended && isIndexNotWritable(error)) {
        this.indexPending = `the index could not be updated (${describe(error)})`;
        return outcomesOf(done);
      }
      throw error;
    } finally {
      this.index.dropHeld();
      this.pendingLines.clear();
      this.releaseFileLock();
    }
  }

  /** Release the {@link fileLock}'s write lock, if held (it never wrote anything). */
  private releaseFileLock(): void {
    if (this.fileLock?.inTransaction === true) rollbackQuietly(this.fileLock);
  }

  /** Close the {@link fileLock} connection, if any (the handle's own connection is the caller's). */
  closeFileLock(): void {
    if (this.fileLock?.open === true) this.fileLock.close();
  }

  /**
   * The parsed log line at `offset`, including the lines of the transaction in progress that are
   * folded into the index but not yet written to the log.
   */
  lineAt(offset: number): unknown {
    const pending = this.pendingLines.get(offset);
    return pending === undefined ? this.log.lineAt(offset) : (JSON.parse(pending) as unknown);
  }

  /**
   * Apply the log lines after the applied offset (inside a transaction). Corrupt middle lines
   * are recorded as log issues and skipped, so one bad line never blocks later events.
   *
   * @throws StoreError `LOG_REWRITTEN` when the log is shorter than the applied offset.
   */
  applyLogTail(state: IndexState): number {
    const size = this.log.size();
    if (state.logOffset > size) {
      throw new StoreError(
        'LOG_REWRITTEN',
        `the event log is shorter (${size} bytes) than the index has applied (${state.logOffset} bytes); run rebuild`,
      );
    }
    if (state.logOffset === size) return 0;
    const slice = this.log.readFrom(state.logOffset);
    // Issues carry line numbers from the top of the file; counting them costs a scan, so only
    // when there is an issue to report.
    let linesBeforeStart: number | undefined;
    const startLine = (): number => (linesBeforeStart ??= this.log.linesBefore(state.logOffset));
    const applied = this.index.applyLogged(
      slice.events.map((value, i) => {
        const offset = slice.eventOffsets[i] ?? state.logOffset;
        return { value, offset, lineOf: () => this.log.linesBefore(offset) + 1 };
      }),
      state,
    );
    for (const corruption of slice.corruptions) {
      if (corruption.kind !== 'tail_partial') {
        this.index.addLogIssue({ ...corruption, line: startLine() + corruption.line });
      }
    }
    state.logOffset = slice.offset;
    this.appliedTotal += applied;
    return applied;
  }

  /**
   * Append events to the log WITHOUT the write lock or any index update (each append is one
   * `O_APPEND` write, so it never interleaves with another writer's line). The next transaction,
   * in this or any process, applies them during its catch-up. Used only when the lock stayed
   * busy until a deadline, so that a session is recorded rather than lost.
   */
  appendUnlocked(events: readonly PendingEvent[]): EventEnvelope[] {
    return events.map((pending) => {
      const event = this.envelope(pending);
      this.log.append(event, { fsync: this.fsync });
      return event;
    });
  }

  /** Apply pending log lines when the index is behind (takes the write lock only then). */
  catchUpIfBehind(): number {
    if (!this.isBehind()) return 0;
    const before = this.appliedTotal;
    this.transact(() => ({ events: [], result: () => undefined }));
    return this.appliedTotal - before;
  }

  /**
   * Whether another connection holds the write lock right now: one attempt to take it without
   * waiting, released at once. The connection's busy timeout is restored afterwards.
   */
  isWriteLocked(): boolean {
    const saved = this.connection.pragma('busy_timeout', { simple: true }) as number;
    this.connection.pragma('busy_timeout = 0');
    try {
      this.connection.exec('BEGIN IMMEDIATE');
      this.connection.exec('ROLLBACK');
      return false;
    } catch (error) {
      return isSqliteBusy(error);
    } finally {
      this.connection.pragma(`busy_timeout = ${saved}`);
    }
  }

  /** Whether the log holds bytes the index has not applied. */
  isBehind(): boolean {
    return this.index.readState().logOffset !== this.log.size();
  }

  /**
   * How the log differs from what the index applied: `none`; `replaced` when it is shorter than
   * the applied offset or its first applied event is another (emptied, truncated, or another log
   * put in its place); `changed` when only a later line moved (a line inserted or edited).
   */
  drift(): 'none' | 'replaced' | 'changed' {
    const state = this.index.readState();
    if (state.logOffset > this.log.size()) return 'replaced';
    const idAt = (offset: number): unknown => {
      const line = this.log.lineAt(offset);
      return line !== null && typeof line === 'object'
        ? (line as { event_id?: unknown }).event_id
        : undefined;
    };
    if (state.firstEvent !== null && idAt(state.firstEvent.offset) !== state.firstEvent.eventId)
      return 'replaced';
    if (state.lastEventOffset < 0 || state.meta.last_event_id === null) return 'none';
    return idAt(state.lastEventOffset) !== state.meta.last_event_id ? 'changed' : 'none';
  }
}

/** Shortest pause between attempts to take the write lock (ms). */
const LOCK_RETRY_MIN_MS = 1;
/** Random extra pause, so waiting writers do not retry in lockstep (ms). */
const LOCK_RETRY_JITTER_MS = 4;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Block this thread for `ms` milliseconds (the store's API is synchronous). */
export function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Roll back the open transaction, if any; a failing rollback never hides the original error. */
function rollbackQuietly(db: Database.Database): void {
  try {
    if (db.inTransaction) db.exec('ROLLBACK');
  } catch {
    // SQLite rolls back by itself when it cannot (the connection's state says so).
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
