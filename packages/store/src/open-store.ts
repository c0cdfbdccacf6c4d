import { closeSync, existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';

import { StoreError, isIndexNotWritable, isSqliteBusy } from './errors.js';
import { withProjectionFile, writeProjectionFile, writeProjectionJson } from './export-json.js';
import { createFileLog, createMemoryLog } from './log-port.js';
import type { LogPort } from './log-port.js';
import * as ops from './operations.js';
import { findSessions, sessionTimeline, sessionTree, storeHealth, storeStats } from './queries.js';
import { startProjectionWorker } from './projection-worker.js';
import { LineMisreadError, rebuildIndex } from './rebuild.js';
import type { RebuildOutcome } from './rebuild.js';
import { catchUpHeads } from './late-heads.js';
import { recordSessionEnd, recordSessionSeen, recordSessions } from './record-session.js';
import { resolveReference } from './references.js';
import { INDEX_SCHEMA_VERSION } from './schema.js';
import { DEFAULT_BUSY_TIMEOUT_MS, StoreCore, sleepMs, systemClock } from './store-core.js';
import type { StoreClock, WritePoint } from './types.js';
import { sqliteOpenOptions } from './sqlite-addon.js';
import { assertStoreSafe } from './store-safety.js';
import { storeExists } from './store-files.js';
import { runSweep } from './sweep.js';
import type { IndexRecovery, RebuildResult, SessionsStore, StorePaths } from './types.js';

/** Options of `openStore` / `createMemoryStore`. */
export interface OpenStoreOptions {
  /**
   * How long a write waits for another writer's lock, and each attempt to open the index for a
   * process that holds it (ms, default 5000).
   */
  readonly busyTimeoutMs?: number;
  /** fdatasync the log after each append (default false; the hook path may turn it on). */
  readonly fsync?: boolean;
  /** Injected clock and id sources (tests). */
  readonly clock?: Partial<StoreClock>;
  /** Observer of the write path's named points (crash tests). */
  readonly onWritePoint?: (point: WritePoint) => void;
  /**
   * When the index file cannot be used at all (another application's database, a file SQLite
   * cannot open even after moving a damaged one aside), fold the log into an in-memory index
   * instead of failing, so a write still reaches the log (the hook's path: the event log is what
   * must never miss a session). The index file is left untouched; `health().indexFallback` says
   * why. Unsafe stores (`STORE_UNSAFE`) are still refused. Default false.
   */
  readonly memoryIndexFallback?: boolean;
  /**
   * With {@link memoryIndexFallback}: until when (a `performance.now()` time) an index that is
   * only busy at open (`SQLITE_BUSY`: another process checkpointing it as it closes, say) is
   * opened again rather than folded in memory (whose writes then take the index file's write lock
   * through a second connection, within their deadline). Default: no retry.
   */
  readonly openBusyUntil?: number;
}

/** The largest busy timeout better-sqlite3 accepts (ms). */
const MAX_TIMEOUT_MS = 0x7fffffff;

/** Pause between two attempts to open an index that was busy (ms). */
const OPEN_BUSY_RETRY_MS = 5;

function ensurePrivateFile(path: string): void {
  if (existsSync(path)) return;
  closeSync(openSync(path, 'a', 0o600));
}

/** SQLite's answer for a file that is not a database, or a database whose pages are damaged. */
function isUnreadableDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/**
 * The index holds sessions but the log no longer holds the events they were folded from (the log
 * was emptied, truncated or replaced): the index is kept aside rather than silently rebuilt.
 */
class LogReplacedError extends Error {
  override readonly name = 'LogReplacedError';
}

/**
 * Move an index (and SQLite's side files) aside as `<index>.<why>-<time>`: it is a cache, but a
 * file we cannot read, or the only copy of what a replaced log held, is never deleted. Returns the
 * new path of the index.
 */
function moveIndexAside(indexPath: string, now: Date, why: 'corrupt' | 'replaced'): string {
  const stamp = `${indexPath}.${why}-${now.toISOString().replace(/[:.]/g, '-')}`;
  let target = stamp;
  // Never over an earlier copy moved aside in the same millisecond.
  for (let n = 1; existsSync(target); n += 1) target = `${stamp}-${n}`;
  renameSync(indexPath, target);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(indexPath + suffix)) renameSync(indexPath + suffix, target + suffix);
  }
  return target;
}

/** A rebuild that refused to run (a middle corruption): carries its outcome out of the file write. */
class RebuildRefused extends Error {
  override readonly name = 'RebuildRefused';
  constructor(readonly outcome: Extract<RebuildOutcome, { ok: false }>) {
    super('rebuild refused');
  }
}

/**
 * The system clock with the caller's pins. A pinned `newSessionId` also mints new sessions (no
 * derived id) unless the caller pins `sessionIdForClaudeSession` too.
 */
function storeClock(pins: Partial<StoreClock> | undefined): StoreClock {
  if (pins?.newSessionId === undefined) return { ...systemClock, ...pins };
  const { sessionIdForClaudeSession: _derived, ...system } = systemClock;
  return { ...system, ...pins };
}

/**
 * Open the store in `paths.dir` (created `0700` when missing; index and log files `0600`). The
 * directory and its files are checked first (ours, no symlinks: see `assertStoreSafe`), and an
 * index that is another application's database is refused untouched. The SQLite index is a cache:
 * when it is missing, from another schema version, or no longer matches the log (log replaced or
 * truncated), it is rebuilt from the log first; when it is unreadable (not a database, damaged
 * pages) it is moved aside as `sessions-db.sqlite.corrupt-<time>` and rebuilt (`health()` says
 * so); when it is only behind (a writer died after appending), it catches up.
 *
 * @throws StoreError `STORE_UNSAFE` (the store's directory or files are not safely the user's),
 * `STORE_FOREIGN_INDEX` (the index is not ours), `STORE_UNAVAILABLE` (cannot be opened).
 */
export function openStore(paths: StorePaths, options: OpenStoreOptions = {}): SessionsStore {
  let recovery: IndexRecovery | null = null;
  const openTimeoutMs = Math.min(
    MAX_TIMEOUT_MS,
    Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS)),
  );
  for (let attempt = 0; ; attempt += 1) {
    let db: Database.Database | undefined;
    try {
      assertStoreSafe(paths);
      storeExists(paths); // an unreadable directory or a file in its place is an error here
      mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
      const indexExisted = existsSync(paths.indexPath);
      ensurePrivateFile(paths.indexPath);
      // The store's busy timeout from the first read (is it ours?), not better-sqlite3's 5 s: a
      // hook must not sit out its deadline behind a process holding the index exclusively (a
      // checkpoint as it closes); a busy open is retried above while there is time.
      db = new Database(paths.indexPath, { ...sqliteOpenOptions(), timeout: openTimeoutMs });
      const store = createStoreHandle(db, createFileLog(paths.eventsPath), paths, options, {
        indexExisted,
        recovery,
        fallback: null,
      });
      return store;
    } catch (error) {
      if (db?.open === true) db.close();
      if (error instanceof StoreError && error.code === 'STORE_UNSAFE') throw error;
      const replaced = error instanceof LogReplacedError;
      if (
        attempt === 0 &&
        (replaced || (!(error instanceof StoreError) && isUnreadableDatabase(error)))
      ) {
        try {
          const now = new Date(options.clock?.now?.() ?? Date.now());
          const movedTo = moveIndexAside(paths.indexPath, now, replaced ? 'replaced' : 'corrupt');
          recovery = { movedTo, reason: (error as Error).message };
          continue;
        } catch (moveError) {
          // Another process moved it first: open what it left.
          if ((moveError as { code?: unknown }).code === 'ENOENT') continue;
          // cannot move it (read-only directory): fall through to the fallback or the error
        }
      }
      const busy = isSqliteBusy((error as { cause?: unknown }).cause ?? error);
      if (
        options.memoryIndexFallback === true &&
        busy &&
        performance.now() + OPEN_BUSY_RETRY_MS < (options.openBusyUntil ?? 0)
      ) {
        sleepMs(OPEN_BUSY_RETRY_MS);
        continue;
      }
      const failure =
        error instanceof StoreError
          ? error
          : new StoreError(
              'STORE_UNAVAILABLE',
              `cannot open the store in ${paths.dir}: ${(error as Error).message}`,
              { cause: error },
            );
      // An index that cannot be written (read-only, disk full) is ours and intact: reads fold the
      // log in memory and writes still reach the log; the file catches up when it can be written.
      const unwritable = isIndexNotWritable(error);
      if ((options.memoryIndexFallback !== true && !unwritable) || !existsSync(paths.dir))
        throw failure;
      // Only busy: its writers still decide under its write lock, and so does this handle.
      const fileLock = busy && !unwritable ? openFileLock(paths.indexPath) : undefined;
      try {
        return createStoreHandle(
          new Database(':memory:'),
          createFileLog(paths.eventsPath),
          paths,
          options,
          {
            indexExisted: false,
            recovery,
            fallback: unwritable
              ? `the index cannot be written (${(error as Error).message})`
              : `${failure.code}: ${failure.message}`,
            fileLock,
          },
        );
      } catch (fallbackError) {
        fileLock?.close();
        throw fallbackError;
      }
    }
  }
}

/**
 * A connection to the index file used only for its write lock (see `StoreCore`'s `fileLock`), or
 * undefined when it cannot be opened: the in-memory stand-in then decides without the lock.
 */
function openFileLock(indexPath: string): Database.Database | undefined {
  try {
    return new Database(indexPath, { ...sqliteOpenOptions(), fileMustExist: true, timeout: 0 });
  } catch {
    return undefined;
  }
}

/** A store held entirely in memory (SQLite `:memory:` and an in-memory log), for tests. */
export function createMemoryStore(options: OpenStoreOptions = {}): SessionsStore {
  return createStoreHandle(
    new Database(':memory:', sqliteOpenOptions()),
    createMemoryLog(),
    null,
    options,
    {
      indexExisted: true,
      recovery: null,
      fallback: null,
    },
  );
}

function createStoreHandle(
  db: Database.Database,
  log: LogPort,
  paths: StorePaths | null,
  options: OpenStoreOptions,
  opened: {
    readonly indexExisted: boolean;
    readonly recovery: IndexRecovery | null;
    readonly fallback: string | null;
    readonly fileLock?: Database.Database | undefined;
  },
): SessionsStore {
  const { indexExisted } = opened;
  const core = new StoreCore({
    db,
    log,
    paths,
    clock: storeClock(options.clock),
    busyTimeoutMs: options.busyTimeoutMs,
    fsync: options.fsync,
    onWritePoint: options.onWritePoint,
    indexPending: opened.fallback,
    fileLock: opened.fileLock,
  });
  const drift = core.schemaVersionAtOpen === INDEX_SCHEMA_VERSION ? core.drift() : 'none';
  const drifted = drift !== 'none';
  if (drift === 'replaced' && paths !== null && opened.recovery === null) {
    const state = core.index.readState();
    if (state.meta.event_count > 0)
      throw new LogReplacedError(
        `the event log no longer holds the ${state.meta.event_count} event(s) this index was built from (it was emptied, truncated or replaced)`,
      );
  }
  if (core.schemaVersionAtOpen !== INDEX_SCHEMA_VERSION || drifted) {
    rebuildIndex(core);
  } else {
    try {
      core.catchUpIfBehind();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'STORE_BUSY') throw error;
      // Another writer holds the lock; it will apply the pending lines. Reads see the index as is.
    }
  }

  const rebuild = async (
    rebuildOptions: Parameters<SessionsStore['rebuild']>[0] = {},
  ): Promise<RebuildResult> => {
    if (opened.fallback !== null) {
      return {
        ok: false,
        error: {
          code: 'STORE_UNAVAILABLE',
          message: `cannot rebuild the index: ${opened.fallback}`,
        },
      };
    }
    const progress =
      rebuildOptions.onProgress === undefined ? {} : { onProgress: rebuildOptions.onProgress };
    let outcome: RebuildOutcome;
    let projectionPath: string | null = null;
    if (paths !== null && rebuildOptions.writeProjectionJson !== false) {
      // sessions-db.json is written from the records as they are folded, into a temp file that
      // replaces the old one only when the rebuild committed.
      const projectionFile = paths.projectionPath;
      const run = (readHeads: boolean): Promise<RebuildOutcome> =>
        withProjectionFile(projectionFile, async (fd) => {
          const writer = startProjectionWorker(fd, core.nowIso());
          try {
            const folded = rebuildIndex(core, { ...progress, projection: writer, readHeads });
            if (!folded.ok) throw new RebuildRefused(folded);
            await writer.finished();
            return folded;
          } finally {
            await writer.close();
          }
        });
      // A line pass 1 misread from its head: once more, every line parsed (rebuild.ts).
      outcome = await run(true)
        .catch((error: unknown) => {
          if (error instanceof LineMisreadError) return run(false);
          throw error;
        })
        .catch((error: unknown) => {
          if (error instanceof RebuildRefused) return error.outcome;
          throw error;
        });
      if (outcome.ok) projectionPath = paths.projectionPath;
    } else {
      outcome = rebuildIndex(core, progress);
    }
    if (!outcome.ok) {
      const fatal = outcome.corruptions.filter((c) => !c.tolerated);
      const lines = fatal.slice(0, 5).map((c) => `line ${c.line}: ${c.reason}`);
      return {
        ok: false,
        error: {
          code: 'LOG_CORRUPTED',
          message:
            `events log middle-line corruption (${fatal.length} line${fatal.length === 1 ? '' : 's'}): ${lines.join('; ')}. ` +
            'The index was left as it was. Inspect those lines (they are not valid JSON), repair or remove them in a copy of the log, then run rebuild again.',
          corruptions: fatal,
        },
      };
    }
    return {
      ok: true,
      sessionCount: outcome.sessionCount,
      eventCount: outcome.eventCount,
      toleratedCorruptions: outcome.corruptions.length,
      corruptions: outcome.corruptions,
      skippedEvents: outcome.skippedEvents,
      projectionPath,
    };
  };

  return {
    paths,
    indexRecovery: opened.recovery,
    indexFallback: opened.fallback,
    recordSessionSeen: (input, o) => recordSessionSeen(core, input, o),
    recordSessionEnd: (input, o) => recordSessionEnd(core, input, o),
    recordSessions: (records, o) => recordSessions(core, records, o),
    catchUpHeads: (o) => catchUpHeads(core, o),
    setAlias: (ref, alias, o) => ops.setAlias(core, ref, alias, o),
    setParent: (child, parent, o) => ops.setParent(core, child, parent, o),
    closeSession: (ref, close, o) => ops.closeSession(core, ref, close, o),
    reopenSession: (ref, o) => ops.reopenSession(core, ref, o),
    linkSession: (ref, links, o) => ops.linkSession(core, ref, links, o),
    unlinkSession: (ref, links, o) => ops.unlinkSession(core, ref, links, o),
    addParentCandidates: (ref, refs, o) => ops.addParentCandidates(core, ref, refs, o),
    recordAiTitle: (ref, title, o) => ops.recordTitle(core, 'ai_title', ref, title, o),
    recordCustomTitle: (ref, title, o) => ops.recordTitle(core, 'custom_title', ref, title, o),
    findSessions: (query) => findSessions(core, query),
    getSession: (ref) => resolveReference(core, ref),
    sessionTree: (ref, o) => sessionTree(core, ref, o),
    sessionTimeline: (id, o) => sessionTimeline(core, id, o),
    hasClaudeSession: (csid) => core.reads.hasClaudeSession(csid),
    stats: () => storeStats(core),
    health: () => ({
      ...storeHealth(core, indexExisted),
      indexRecovery: opened.recovery,
      indexFallback: opened.fallback,
    }),
    runSweep: (o) => runSweep(core, o),
    rebuild,
    exportProjection: async (target) => ({
      sessionCount:
        typeof target === 'string'
          ? await writeProjectionFile(core, target)
          : await writeProjectionJson(core, target),
    }),
    catchUp: () => core.catchUpIfBehind(),
    close: () => {
      if (db.open) db.close();
      core.closeFileLock();
    },
  };
}
