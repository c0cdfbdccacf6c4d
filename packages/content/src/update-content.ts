import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { archiveKey, archiveTranscript, listVersions, syncPath, syncPaths } from './archive.js';
import { isCodexPath } from './archived-rows.js';
import { indexArchived, indexArchivedInTransaction } from './content-index.js';
import type { ArchivedTail, ContentIndex } from './content-index.js';
import { tryLock } from './file-lock.js';
import type { FileLock } from './file-lock.js';

/** One transcript (main or subagent file) of a recorded session. */
export interface TranscriptRef {
  /** Absolute path of the original transcript. */
  readonly path: string;
  readonly claudeSessionId: string;
  /** Stable id of the logical session it belongs to. */
  readonly stableId: string;
}

/** Options of {@link updateContent}. */
export interface UpdateContentOptions {
  /** `archive/` inside the store. */
  readonly archiveDir: string;
  readonly index: ContentIndex;
  /** False when `SESSIONS_DB_ARCHIVE=0`: nothing new is archived (the index still reads what is). */
  readonly archive?: boolean;
  /** Called after each transcript, for progress bars. */
  readonly onFile?: (done: number, total: number) => void;
}

/** What {@link updateContent} did. */
export interface UpdateContentResult {
  readonly archivedBytes: number;
  readonly indexedRows: number;
  /** Transcripts another indexer was working on. */
  readonly skippedLocked: number;
  /** Transcripts whose original is gone (the archive still serves them). */
  readonly missing: number;
}

/** Transcripts archived before their rows are committed together (one index transaction). */
const BATCH_FILES = 256;
/** New transcript bytes archived before their rows are committed together. */
const BATCH_BYTES = 32 * 1024 * 1024;

/**
 * SQLite's page cache while indexing in bulk (KiB; the default is 2 MB): a batch's transaction
 * touches more pages than that, and SQLite wrote the overflow to the WAL mid-transaction, then
 * again at the commit (10k transcripts: 127k writes to the WAL, 88k with this).
 */
const BULK_CACHE_KIB = 64 * 1024;
/** WAL pages before a commit checkpoints them into the database while indexing in bulk (64 MB). */
const BULK_CHECKPOINT_PAGES = 16_384;

/**
 * Sets the bulk cache and checkpoint sizes on `db` and returns what puts them back (the
 * connection is the caller's; a search on it afterwards keeps the usual footprint).
 */
function bulkSettings(db: ContentIndex['db']): () => void {
  const cache = db.pragma('cache_size', { simple: true }) as number;
  const checkpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma(`cache_size = ${String(-BULK_CACHE_KIB)}`);
  db.pragma(`wal_autocheckpoint = ${String(BULK_CHECKPOINT_PAGES)}`);
  return () => {
    db.pragma(`cache_size = ${String(cache)}`);
    db.pragma(`wal_autocheckpoint = ${String(checkpoint)}`);
  };
}

/** One transcript of a batch: its lock is held until the batch's rows are committed. */
interface Held {
  readonly file: TranscriptRef;
  readonly key: string;
  readonly lock: FileLock;
  readonly tail: ArchivedTail | undefined;
}

/**
 * The work of {@link updateContent} and {@link updateContentInBulk}: between archiving a batch
 * and committing its rows it yields the paths to sync to disk, and resumes once they are.
 */
function* contentBatches(
  files: readonly TranscriptRef[],
  options: UpdateContentOptions,
): Generator<readonly string[], UpdateContentResult, undefined> {
  if (mkdirSync(options.archiveDir, { recursive: true, mode: 0o700 }) !== undefined)
    yield [dirname(options.archiveDir)];
  let archivedBytes = 0;
  let indexedRows = 0;
  let skippedLocked = 0;
  let missing = 0;
  let done = 0;
  let next = 0;
  while (next < files.length) {
    const batch: Held[] = [];
    const unsynced: string[] = [];
    let batchBytes = 0;
    try {
      while (next < files.length && batch.length < BATCH_FILES && batchBytes < BATCH_BYTES) {
        const file = files[next] as TranscriptRef;
        next += 1;
        const key = archiveKey(file.path);
        const keyDir = join(options.archiveDir, key);
        if (options.archive === false && !existsSync(keyDir)) {
          // Archiving is off and nothing of this transcript was ever archived: nothing to index,
          // and nothing to create in the archive (no directory, no lock).
          if (!existsSync(file.path)) missing += 1;
          done += 1;
          options.onFile?.(done, files.length);
          continue;
        }
        if (mkdirSync(keyDir, { recursive: true, mode: 0o700 }) !== undefined)
          unsynced.push(options.archiveDir);
        const lock = tryLock(join(keyDir, 'lock'));
        if (lock === undefined) {
          skippedLocked += 1;
          done += 1;
          options.onFile?.(done, files.length);
          continue;
        }
        let tail: ArchivedTail | undefined;
        try {
          if (!existsSync(file.path)) missing += 1;
          else if (options.archive !== false) {
            const result = archiveTranscript(
              options.archiveDir,
              { path: file.path, claudeSessionId: file.claudeSessionId },
              { sync: false },
            );
            archivedBytes += result.appendedBytes;
            batchBytes += result.appendedBytes;
            unsynced.push(...result.unsynced);
            tail = {
              version: result.version,
              from: result.archivedBytes - result.appendedBytes,
              bytes: result.appended,
            };
          }
        } catch (error) {
          lock.release();
          throw error;
        }
        batch.push({ file, key, lock, tail });
      }
      // The archive's new bytes are on disk before any index row names them.
      if (unsynced.length > 0) yield [...new Set(unsynced)];
      options.index.db.transaction(() => {
        for (const { file, key, tail } of batch) {
          if (tail !== undefined || listVersions(options.archiveDir, key).length > 0)
            indexedRows += indexArchivedInTransaction(
              options.index,
              options.archiveDir,
              key,
              file,
              isCodexPath(file.path),
              tail,
            ).rowsAdded;
        }
      })();
    } finally {
      for (const held of batch) {
        held.lock.release();
        done += 1;
        options.onFile?.(done, files.length);
      }
    }
  }
  return { archivedBytes, indexedRows, skippedLocked, missing };
}

/**
 * Archives what is new in each transcript and indexes it, each transcript under its own lock so
 * two indexers never work on one file. Transcripts go in batches (up to 256 files or 32 MB of new
 * bytes): each is archived, the batch's new archive files are synced to disk, then its rows are
 * indexed from the bytes just archived in one transaction, then the locks are released. Safe to
 * kill at any instruction: the archive ignores a torn segment, and a batch whose rows were not
 * committed is indexed again from the archive by the next run. Syncs one file at a time; see
 * {@link updateContentInBulk} for many transcripts.
 */
export function updateContent(
  files: readonly TranscriptRef[],
  options: UpdateContentOptions,
): UpdateContentResult {
  const work = contentBatches(files, options);
  let step = work.next();
  while (step.done !== true) {
    try {
      for (const path of step.value) syncPath(path);
    } catch (error) {
      work.throw(error); // releases the batch's locks, and throws
    }
    step = work.next();
  }
  return step.value;
}

/**
 * {@link updateContent} for many transcripts (`import`, the background indexer): the same work,
 * with each batch's archive files synced to disk concurrently (the file system commits them
 * together; one at a time, syncing was most of an import's time) and a larger SQLite page cache
 * and checkpoint interval while it runs (put back when it returns).
 */
export async function updateContentInBulk(
  files: readonly TranscriptRef[],
  options: UpdateContentOptions,
): Promise<UpdateContentResult> {
  const restore = bulkSettings(options.index.db);
  try {
    const work = contentBatches(files, options);
    let step = work.next();
    while (step.done !== true) {
      try {
        await syncPaths(step.value);
      } catch (error) {
        work.throw(error); // releases the batch's locks, and throws
      }
      step = work.next();
    }
    return step.value;
  } finally {
    restore();
  }
}

/**
 * Index the usage of archived transcripts whose text rows are further along than their usage (an
 * index from before usage was kept, or a transcript whose original is gone), from the archive,
 * each under its transcript's lock (a locked one is left for the next run). Returns how many
 * transcripts were brought up to date.
 */
export function catchUpUsage(index: ContentIndex, archiveDir: string): number {
  const behind = index.db
    .prepare(
      `SELECT c.key, c.stable_id, c.claude_session_id FROM content_files c
       LEFT JOIN usage_files u ON u.key = c.key
       WHERE u.key IS NULL OR u.version != c.version OR u.bytes < c.indexed_bytes
         OR u.stable_id != c.stable_id`,
    )
    .all() as { key: string; stable_id: string; claude_session_id: string }[];
  let done = 0;
  for (const file of behind) {
    const lock = tryLock(join(archiveDir, file.key, 'lock'));
    if (lock === undefined) continue;
    try {
      indexArchived(index, archiveDir, file.key, {
        stableId: file.stable_id,
        claudeSessionId: file.claude_session_id,
      });
      done += 1;
    } finally {
      lock.release();
    }
  }
  return done;
}
