import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  archiveKey,
  archiveTranscript,
  freshArchiveDir,
  listVersions,
  planArchive,
  publishFreshDir,
  removeAbandonedFreshDirs,
  syncPath,
  syncPaths,
  writeArchive,
} from './archive.js';
import type { ArchivePlan } from './archive.js';
import { encodeFrame, encodeFrameAsync } from './archive-format.js';
import { isCodexPath } from './archived-rows.js';
import { indexArchived, indexArchivedInTransaction } from './content-index.js';
import type { ArchivedTail, ContentIndex } from './content-index.js';
import { tryLock } from './file-lock.js';
import type { FileLock } from './file-lock.js';
import { BULK_FTS_HASH_BYTES, mergeFtsSegments, setFtsHashSize } from './fts-config.js';
import { isSqliteBusy } from './sqlite-busy.js';
import { startWalCheckpointer } from './wal-checkpointer.js';
import type { WalCheckpointer } from './wal-checkpointer.js';

/** One transcript (main or subagent file) of a recorded session. */
export interface TranscriptRef {
  /** Absolute path of the original transcript. */
  readonly path: string;
  readonly claudeSessionId: string;
  /** Stable id of the logical session it belongs to. */
  readonly stableId: string;
  /**
   * When the file stops being written without an event in the store's log (epoch ms): its session
   * was ended by the agent's own hook, and only a new hook event (a resume) writes to it after
   * this. Once a catch-up has seen the file at or after this time it need not stat it again.
   * Absent or `null`: the file can grow at any time (it is stat'ed by every catch-up).
   */
  readonly settleAfter?: number | null;
  /**
   * Set when the file's session was ended without the agent's hook (by `import`): no event tells
   * when it is written again, so the file settles once a catch-up saw it unmodified for this long
   * (its modification time at least this many ms before the look; see {@link settleAfterFor}).
   * Used only when `settleAfter` is absent or `null`.
   */
  readonly settleIdleMs?: number;
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
 * WAL bytes (frames since the last time it was emptied) past which the writer waits for the
 * checkpoint worker to copy the whole WAL before its next transaction, so that transaction starts
 * the WAL over. The worker's checkpoints run beside the writer's transactions, whose frames go
 * on at the WAL's end: without that wait the WAL would never be reused and grow with the import.
 */
const BULK_WAL_BOUND_BYTES = 128 * 1024 * 1024;

/**
 * Sets the bulk cache and checkpoint sizes on `db` and FTS5's bulk `hashsize` on the index's
 * FTS5 tables ({@link BULK_FTS_HASH_BYTES}), and returns what puts them back (the connection is
 * the caller's; a search on it afterwards keeps the usual footprint). Putting `hashsize` back is
 * a write: when another writer holds the index past the busy timeout it is left as it is, which
 * is harmless (see {@link setFtsHashSize}).
 */
function bulkSettings(db: ContentIndex['db']): () => void {
  const hashSize = setFtsHashSize(db, BULK_FTS_HASH_BYTES);
  const cache = db.pragma('cache_size', { simple: true }) as number;
  const checkpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma(`cache_size = ${String(-BULK_CACHE_KIB)}`);
  db.pragma(`wal_autocheckpoint = ${String(BULK_CHECKPOINT_PAGES)}`);
  return () => {
    db.pragma(`cache_size = ${String(cache)}`);
    db.pragma(`wal_autocheckpoint = ${String(checkpoint)}`);
    try {
      hashSize();
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
    }
  };
}

/**
 * Who checkpoints the WAL while indexing in bulk. With one batch, its commit checkpoints as any
 * transaction does (at {@link BULK_CHECKPOINT_PAGES}, inside `COMMIT`); when another batch
 * follows, a worker thread with its own connection takes over ({@link startWalCheckpointer}):
 * the writer's automatic checkpoint is off, and as each batch's indexing starts (its archive
 * files synced) the worker checkpoints what the batches before committed, beside it. Past
 * {@link BULK_WAL_BOUND_BYTES} of WAL the writer waits for that checkpoint before its
 * transaction, which then starts the WAL over. Most of a `COMMIT`'s time was its checkpoint's
 * `fsync`s (wave 9: 6.5–10.8 s of wall for 2.2–2.5 s of CPU over 10k transcripts). If the worker
 * cannot start or fails, the writer checkpoints as with one batch.
 */
interface BulkCheckpoints {
  /** Before a batch's transaction; `more`: another batch follows it. */
  beforeBatch(more: boolean): Promise<void>;
  /** Checkpoints what the last batch committed, waits for it and ends the worker. */
  close(): Promise<void>;
}

function bulkCheckpoints(db: ContentIndex['db']): BulkCheckpoints {
  let worker: WalCheckpointer | null | undefined;
  const frameBytes = (db.pragma('page_size', { simple: true }) as number) + 24;
  return {
    async beforeBatch(more) {
      if (worker === undefined && more && db.name !== ':memory:') {
        worker = startWalCheckpointer(db.name);
        if (worker !== null) db.pragma('wal_autocheckpoint = 0');
      }
      if (worker === null || worker === undefined) return;
      if (!worker.working()) {
        db.pragma(`wal_autocheckpoint = ${String(BULK_CHECKPOINT_PAGES)}`);
        worker = null;
        return;
      }
      worker.request();
      if (worker.framesSinceSettled() * frameBytes >= BULK_WAL_BOUND_BYTES) await worker.settled();
    },
    async close() {
      if (worker === null || worker === undefined) return;
      worker.request();
      await worker.close();
    },
  };
}

/**
 * One transcript of a batch: its lock is held until the batch's rows are committed. A new
 * transcript (no archive directory yet) has no lock: its directory is made under a temporary
 * name that nobody else uses (`fresh`) and renamed into place before its rows are indexed.
 */
interface Held {
  readonly file: TranscriptRef;
  readonly key: string;
  lock: FileLock | undefined;
  /** What is to be archived; undefined when nothing is (archiving off, or the original is gone). */
  readonly plan: ArchivePlan | undefined;
  /** The temporary directory of a new transcript, until it is renamed into place. */
  fresh?: string | undefined;
  /** The bytes just archived, once written (indexed from them, not read back). */
  tail?: ArchivedTail | undefined;
  /** Another indexer holds the transcript (found at renaming): not indexed by this run. */
  skipped?: boolean;
}

/** Transcripts archived (or being archived) together, then indexed in one transaction. */
interface Batch {
  readonly held: Held[];
  /** Files and directories written and not yet synced (the batch's rows wait for them). */
  readonly unsynced: string[];
  released: boolean;
}

/** What one run has done so far, and where it is in its list of transcripts. */
interface Progress {
  readonly files: readonly TranscriptRef[];
  readonly options: UpdateContentOptions;
  next: number;
  done: number;
  archivedBytes: number;
  indexedRows: number;
  skippedLocked: number;
  missing: number;
}

function startProgress(files: readonly TranscriptRef[], options: UpdateContentOptions): Progress {
  return {
    files,
    options,
    next: 0,
    done: 0,
    archivedBytes: 0,
    indexedRows: 0,
    skippedLocked: 0,
    missing: 0,
  };
}

function fileDone(progress: Progress): void {
  progress.done += 1;
  progress.options.onFile?.(progress.done, progress.files.length);
}

function resultOf(progress: Progress): UpdateContentResult {
  const { archivedBytes, indexedRows, skippedLocked, missing } = progress;
  return { archivedBytes, indexedRows, skippedLocked, missing };
}

/**
 * Takes the next transcripts' locks and reads what is new in each (up to {@link BATCH_FILES}
 * transcripts or {@link BATCH_BYTES} new bytes), writing only their archive directories and
 * `source.json`. A transcript whose archive key is in `busy` (the batch before, still held)
 * ends the batch: it goes in the next one. On a throw, the batch's locks are released.
 */
function prepareBatch(progress: Progress, busy: ReadonlySet<string>): Batch {
  const { files, options } = progress;
  const batch: Batch = { held: [], unsynced: [], released: false };
  let batchBytes = 0;
  try {
    while (
      progress.next < files.length &&
      batch.held.length < BATCH_FILES &&
      batchBytes < BATCH_BYTES
    ) {
      const file = files[progress.next] as TranscriptRef;
      const key = archiveKey(file.path);
      if (busy.has(key)) break;
      progress.next += 1;
      const keyDir = join(options.archiveDir, key);
      if (!existsSync(keyDir)) {
        if (options.archive === false || !existsSync(file.path)) {
          // Nothing of this transcript was ever archived, and nothing is to be (archiving off, or
          // the original is gone): nothing to index, and nothing to create in the archive.
          if (!existsSync(file.path)) progress.missing += 1;
          fileDone(progress);
          continue;
        }
        const fresh = prepareFresh(progress, file, key);
        if (fresh !== undefined) {
          batch.held.push(fresh);
          for (const raw of fresh.plan?.segments ?? []) batchBytes += raw.length;
          continue;
        }
      }
      if (mkdirSync(keyDir, { recursive: true, mode: 0o700 }) !== undefined)
        batch.unsynced.push(options.archiveDir);
      const lock = tryLock(join(keyDir, 'lock'));
      if (lock === undefined) {
        progress.skippedLocked += 1;
        fileDone(progress);
        continue;
      }
      let plan: ArchivePlan | undefined;
      try {
        if (!existsSync(file.path)) progress.missing += 1;
        else if (options.archive !== false) {
          plan = planArchive(
            options.archiveDir,
            { path: file.path, claudeSessionId: file.claudeSessionId },
            { sync: false, keyDirMade: key },
          );
          for (const raw of plan.segments) batchBytes += raw.length;
        }
      } catch (error) {
        lock.release();
        throw error;
      }
      batch.held.push({ file, key, lock, plan });
    }
  } catch (error) {
    releaseBatch(progress, batch);
    throw error;
  }
  return batch;
}

/**
 * A new transcript's archive directory made under its temporary name (`source.json` written,
 * its bytes read; no lock: nobody else sees the directory), or undefined when this process
 * already has one of that name (the transcript then takes the locked path).
 */
function prepareFresh(progress: Progress, file: TranscriptRef, key: string): Held | undefined {
  const { archiveDir } = progress.options;
  const fresh = freshArchiveDir(archiveDir, key);
  try {
    mkdirSync(fresh, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  try {
    const plan = planArchive(
      archiveDir,
      { path: file.path, claudeSessionId: file.claudeSessionId },
      { sync: false, keyDirMade: key, freshDir: fresh },
    );
    return { file, key, lock: undefined, plan, fresh };
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Renames the batch's new transcripts' directories into place (their files are on disk); the
 * caller syncs the archive directory after, when this returns true (some were). One whose
 * directory another indexer made meanwhile is archived there under its lock instead (synced),
 * or skipped when that indexer holds it.
 */
function publishBatch(progress: Progress, batch: Batch): boolean {
  const { archiveDir } = progress.options;
  let published = false;
  for (const held of batch.held) {
    if (held.fresh === undefined) continue;
    const fresh = held.fresh;
    held.fresh = undefined;
    if (publishFreshDir(archiveDir, held.key, fresh)) {
      published = true;
      continue;
    }
    // not archived by this run after all: archived again where the other indexer made it
    progress.archivedBytes -= held.tail?.bytes.length ?? 0;
    held.tail = undefined;
    held.lock = tryLock(join(archiveDir, held.key, 'lock'));
    if (held.lock === undefined) {
      held.skipped = true;
      progress.skippedLocked += 1;
      continue;
    }
    const result = archiveTranscript(archiveDir, {
      path: held.file.path,
      claudeSessionId: held.file.claudeSessionId,
    });
    progress.archivedBytes += result.appendedBytes;
    held.tail = {
      version: result.version,
      from: result.archivedBytes - result.appendedBytes,
      bytes: result.appended,
    };
  }
  return published;
}

/** Syncs a written batch's files, renames its new transcripts' directories into place, syncs that. */
async function syncAndPublish(progress: Progress, batch: Batch): Promise<void> {
  await syncPaths(batch.unsynced);
  if (publishBatch(progress, batch)) await syncPaths([progress.options.archiveDir]);
}

/**
 * Appends each transcript's frames (`frames[i]`: the encoded segments of `batch.held[i]`'s plan)
 * to its archive version, unsynced: the paths join `batch.unsynced`.
 */
function writeBatch(
  progress: Progress,
  batch: Batch,
  frames: readonly (readonly Buffer[])[],
): void {
  batch.held.forEach((held, i) => {
    if (held.plan === undefined) return;
    const result = writeArchive(held.plan, frames[i] ?? [], { sync: false });
    progress.archivedBytes += result.appendedBytes;
    batch.unsynced.push(...result.unsynced);
    held.tail = {
      version: result.version,
      from: result.archivedBytes - result.appendedBytes,
      bytes: result.appended,
    };
  });
}

/** Indexes one transcript of a batch whose archive files are on disk, in the batch's transaction. */
function indexHeld(progress: Progress, { file, key, tail, skipped }: Held): void {
  const { index, archiveDir } = progress.options;
  if (skipped === true) return;
  if (tail !== undefined || listVersions(archiveDir, key).length > 0)
    progress.indexedRows += indexArchivedInTransaction(
      index,
      archiveDir,
      key,
      file,
      isCodexPath(file.path),
      tail,
    ).rowsAdded;
}

/** Indexes a batch whose archive files are on disk, in one transaction. */
function indexBatch(progress: Progress, batch: Batch): void {
  progress.options.index.db.transaction(() => {
    for (const held of batch.held) indexHeld(progress, held);
  })();
}

/** Lets the event loop run what is ready (callbacks of the thread pool) before going on. */
function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * {@link indexBatch} that lets the event loop run between transcripts (the transaction stays
 * open meanwhile: nothing else uses the connection while {@link updateContentInBulk} runs), so
 * the next batch's compression, one segment at a time on the thread pool, goes on beside it.
 */
async function indexBatchYielding(progress: Progress, batch: Batch): Promise<void> {
  const { db } = progress.options.index;
  db.exec('BEGIN');
  try {
    for (const held of batch.held) {
      indexHeld(progress, held);
      await yieldToLoop();
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Segments being compressed on the thread pool at once (see {@link encodeInOrder}). */
const ENCODING_AT_ONCE = 2;

/**
 * The frames of a batch's segments (`[i]`: those of `batch.held[i]`'s plan), compressed on
 * libuv's thread pool two segments at a time. All at once, the pool's four threads each made a
 * fresh zlib state per segment in their own allocator arena and took ~1.5× the CPU per byte
 * (a bench transcript of 41 KB is one segment); one at a time, each segment waited for the main
 * thread between zlib's steps (at least two trips through its event loop per segment, which the
 * index transaction lets run once per transcript), so at 210 KB per transcript a batch's
 * compression was not done when its index turn came (~0.3 s waited per 32 MB batch). Two at a
 * time cost ~5 % more CPU per byte than one (85 MB of 210 KB segments, main thread idle).
 */
async function encodeInOrder(batch: Batch): Promise<Buffer[][]> {
  const frames: Buffer[][] = batch.held.map(() => []);
  const jobs = batch.held.flatMap((held, i) =>
    (held.plan?.segments ?? []).map((raw, j) => ({ raw, i, j })),
  );
  let next = 0;
  const encodeNext = async (): Promise<void> => {
    for (let job = jobs[next]; job !== undefined; job = jobs[next]) {
      next += 1;
      (frames[job.i] as Buffer[])[job.j] = await encodeFrameAsync(job.raw);
    }
  };
  await Promise.all(Array.from({ length: ENCODING_AT_ONCE }, encodeNext));
  return frames;
}

/**
 * Releases a batch's locks (once), each transcript counted done; a new transcript's directory
 * not renamed into place (the batch failed before) is removed.
 */
function releaseBatch(progress: Progress, batch: Batch): void {
  if (batch.released) return;
  batch.released = true;
  for (const held of batch.held) {
    held.lock?.release();
    if (held.fresh !== undefined) rmSync(held.fresh, { recursive: true, force: true });
    fileDone(progress);
  }
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
  if (mkdirSync(options.archiveDir, { recursive: true, mode: 0o700 }) !== undefined)
    syncPath(dirname(options.archiveDir));
  const progress = startProgress(files, options);
  while (progress.next < files.length) {
    const batch = prepareBatch(progress, new Set());
    try {
      writeBatch(
        progress,
        batch,
        batch.held.map((held) => held.plan?.segments.map(encodeFrame) ?? []),
      );
      // The archive's new bytes are on disk before any index row names them.
      for (const path of new Set(batch.unsynced)) syncPath(path);
      if (publishBatch(progress, batch)) syncPath(options.archiveDir);
      indexBatch(progress, batch);
    } finally {
      releaseBatch(progress, batch);
    }
  }
  return resultOf(progress);
}

/** Keeps a promise's rejection from being reported as unhandled before it is awaited. */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * {@link updateContent} for many transcripts (`import`, the background indexer): the same work,
 * pipelined over the two cores: while one batch is indexed (SQLite, on this thread, letting the
 * event loop run between transcripts), the next one's segments are compressed on libuv's thread
 * pool two at a time (see {@link encodeInOrder}), and while the next one is read, the one
 * before's archive files are synced to disk (concurrently: the file system commits them
 * together). A batch's rows still commit only after its archive files are synced, and each
 * transcript's lock is held from its reading to its batch's commit (a transcript of the batch
 * still held waits for the next batch). A larger SQLite page cache is used while it runs, and
 * from the second batch on the WAL is checkpointed by a worker thread, not in the commits (see
 * {@link bulkCheckpoints}; both put back when it returns), and FTS5 flushes each batch's terms
 * once, at its commit (`hashsize`, see {@link setFtsHashSize}). After a large import (see
 * {@link isLargeImport}) each FTS5 table is merged into one segment, in short transactions
 * ({@link mergeFtsSegments}), so that every later search opens one segment per table.
 */
export async function updateContentInBulk(
  files: readonly TranscriptRef[],
  options: UpdateContentOptions,
): Promise<UpdateContentResult> {
  if (mkdirSync(options.archiveDir, { recursive: true, mode: 0o700 }) !== undefined)
    await syncPaths([dirname(options.archiveDir)]);
  removeAbandonedFreshDirs(options.archiveDir);
  const progress = startProgress(files, options);
  const restore = bulkSettings(options.index.db);
  const checkpoints = bulkCheckpoints(options.index.db);
  let previous: { batch: Batch; synced: Promise<void> } | undefined;
  let current: Batch | undefined;
  let batches = 0;
  try {
    while (progress.next < files.length || previous !== undefined) {
      current = undefined;
      let frames: Promise<Buffer[][]> | undefined;
      if (progress.next < files.length) {
        current = prepareBatch(progress, new Set(previous?.batch.held.map((held) => held.key)));
        frames = awaitedLater(encodeInOrder(current));
      }
      if (previous !== undefined) {
        // The archive's new bytes are on disk before any index row names them.
        await previous.synced;
        await checkpoints.beforeBatch(current !== undefined);
        await indexBatchYielding(progress, previous.batch);
        batches += 1;
        releaseBatch(progress, previous.batch);
        previous = undefined;
      }
      if (current !== undefined && frames !== undefined) {
        writeBatch(progress, current, await frames);
        previous = { batch: current, synced: awaitedLater(syncAndPublish(progress, current)) };
      }
    }
    // the merge's steps checkpointed as the batches were (the WAL bounded alike)
    if (isLargeImport(options.index.db, batches, progress.indexedRows))
      await mergeFtsSegments(options.index.db, () => checkpoints.beforeBatch(true));
    return resultOf(progress);
  } finally {
    if (current !== undefined) releaseBatch(progress, current);
    if (previous !== undefined) releaseBatch(progress, previous.batch);
    await checkpoints.close();
    restore();
  }
}

/**
 * Whether a bulk update was large enough to merge the FTS5 tables' segments after it
 * ({@link mergeFtsSegments}): more than one batch, and at least half of the index's rows its own
 * (the merge rewrites the whole index, so an index is rewritten at most once each time it
 * doubles, and a catch-up of a few transcripts never pays it).
 */
function isLargeImport(db: ContentIndex['db'], batches: number, indexedRows: number): boolean {
  if (batches < 2) return false;
  const { n } = db.prepare('SELECT count(*) AS n FROM content_rows').get() as { n: number };
  return indexedRows * 2 >= n;
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
