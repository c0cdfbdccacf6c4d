import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';

import { StoreError } from './errors.js';
import { writeProjectionFile, writeProjectionJson } from './export-json.js';
import { createFileLog, createMemoryLog } from './log-port.js';
import type { LogPort } from './log-port.js';
import * as ops from './operations.js';
import { findSessions, sessionTimeline, sessionTree, storeHealth, storeStats } from './queries.js';
import { rebuildIndex } from './rebuild.js';
import { recordSessionEnd, recordSessionSeen } from './record-session.js';
import { resolveReference } from './references.js';
import { INDEX_SCHEMA_VERSION } from './schema.js';
import { StoreCore, systemClock } from './store-core.js';
import type { StoreClock, WritePoint } from './types.js';
import { runSweep } from './sweep.js';
import type { RebuildResult, SessionsStore, StorePaths } from './types.js';

/** Options of `openStore` / `createMemoryStore`. */
export interface OpenStoreOptions {
  /** How long a write waits for another writer's lock (ms, default 5000). */
  readonly busyTimeoutMs?: number;
  /** fdatasync the log after each append (default false; the hook path may turn it on). */
  readonly fsync?: boolean;
  /** Injected clock and id sources (tests). */
  readonly clock?: Partial<StoreClock>;
  /** Observer of the write path's named points (crash tests). */
  readonly onWritePoint?: (point: WritePoint) => void;
}

function ensurePrivateFile(path: string): void {
  if (existsSync(path)) return;
  closeSync(openSync(path, 'a', 0o600));
}

/**
 * Open the store in `paths.dir` (created `0700` when missing; index and log files `0600`). The
 * SQLite index is a cache: when it is missing, from another schema version, or no longer matches
 * the log (log replaced or truncated), it is rebuilt from the log first; when it is only behind
 * (a writer died after appending), it catches up.
 *
 * @throws StoreError `STORE_UNAVAILABLE` when the directory or index cannot be opened.
 */
export function openStore(paths: StorePaths, options: OpenStoreOptions = {}): SessionsStore {
  let db: Database.Database;
  let indexExisted: boolean;
  try {
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    indexExisted = existsSync(paths.indexPath);
    ensurePrivateFile(paths.indexPath);
    db = new Database(paths.indexPath);
  } catch (error) {
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `cannot open the store in ${paths.dir}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return createStoreHandle(db, createFileLog(paths.eventsPath), paths, options, indexExisted);
}

/** A store held entirely in memory (SQLite `:memory:` and an in-memory log), for tests. */
export function createMemoryStore(options: OpenStoreOptions = {}): SessionsStore {
  return createStoreHandle(new Database(':memory:'), createMemoryLog(), null, options, true);
}

function createStoreHandle(
  db: Database.Database,
  log: LogPort,
  paths: StorePaths | null,
  options: OpenStoreOptions,
  indexExisted: boolean,
): SessionsStore {
  const core = new StoreCore({
    db,
    log,
    paths,
    clock: { ...systemClock, ...options.clock },
    busyTimeoutMs: options.busyTimeoutMs,
    fsync: options.fsync,
    onWritePoint: options.onWritePoint,
  });
  if (core.schemaVersionAtOpen !== INDEX_SCHEMA_VERSION || core.hasDrifted()) {
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
    const outcome = rebuildIndex(
      core,
      rebuildOptions.onProgress === undefined ? {} : { onProgress: rebuildOptions.onProgress },
    );
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
    let projectionPath: string | null = null;
    if (paths !== null && rebuildOptions.writeProjectionJson !== false) {
      await writeProjectionFile(core, paths.projectionPath);
      projectionPath = paths.projectionPath;
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
    recordSessionSeen: (input, o) => recordSessionSeen(core, input, o),
    recordSessionEnd: (input, o) => recordSessionEnd(core, input, o),
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
    hasClaudeSession: (csid) =>
      db
        .prepare<[string], { n: number }>('SELECT count(*) AS n FROM claude_ids WHERE csid = ?')
        .get(csid)!.n > 0,
    stats: () => storeStats(core),
    health: () => storeHealth(core, indexExisted),
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
    },
  };
}
