/**
 * The single-writer cap of a content import (`content-floor.ts --writes`): SQLite has one writer,
 * so a batch's row and FTS5 inserts, its usage rows, its `COMMIT` and the final FTS5 merge run one
 * after another whatever else overlaps them. This measures only those writes, made by the import's
 * own writing half (`writeExtracted`, as `indexArchivedInTransaction` calls it), into a fresh
 * content index with the import's bulk settings (64 MiB page cache, FTS5 `hashsize` 16 MiB), one
 * transaction per batch of the import's size (32 MB of transcript or 256 files). Each batch is
 * read and extracted (`extractTranscript`: every line parsed once for its rows and usage) before
 * its transaction, untimed for the cap.
 *
 * The WAL checkpoint is not the writer's in the import (a worker thread checkpoints beside it):
 * here the writer's automatic checkpoint is off and the WAL is checkpointed (`TRUNCATE`) after
 * each commit, timed on its own (`checkpoint`), so the cap is given both without it (the most
 * any import into this layout can reach, the checkpoint on another core) and with it (one
 * thread doing all of SQLite's work).
 */
import { basename } from 'node:path';

import {
  archiveKey,
  BULK_FTS_HASH_BYTES,
  extractTranscript,
  mergeFtsSegments,
  openContentIndex,
  setFtsHashSize,
  writeExtracted,
} from '@sessions-db/content';

import { partTimer, readBatch, roundedMs } from './floor-batches.js';

/** The import's batch (packages/content update-content.ts) and its bulk page cache. */
const BATCH_BYTES = 32 * 1024 * 1024;
const BATCH_FILES = 256;
const CACHE_KIB = 64 * 1024;

/** The parts timed: the writer's (`write`, `commit`, `merge`) and the rest. */
type Part = 'read' | 'extract' | 'write' | 'commit' | 'merge' | 'checkpoint';

/** What {@link measureWriterCap} reports (milliseconds; MB/s of transcript bytes). */
export interface WriterCapReport {
  readonly ok: true;
  readonly mode: 'writes';
  readonly files: number;
  readonly bytes: number;
  readonly rows: number;
  readonly usageResponses: number;
  readonly wallMs: Record<Part, number>;
  readonly cpuMs: Record<Part, number>;
  /** Of each part's wall time, the run-queue wait (see `PartTimer.runQueueMs`). */
  readonly runQueueMs: Record<Part, number>;
  /** write + commit + merge: the single writer's wall time. */
  readonly writerMs: number;
  /** Of the writer's wall time, how long its thread waited for a core (the machine's load). */
  readonly writerRunQueueMs: number;
  /** The writer's wall time less that wait: its time on a machine of its own. */
  readonly writerQuietMs: number;
  readonly writerQuietMbPerS: number;
  /** The same plus every checkpoint. */
  readonly writerWithCheckpointMs: number;
  readonly writerMbPerS: number;
  readonly writerWithCheckpointMbPerS: number;
}

/**
 * Measures the single writer's time on transcripts `files` into a fresh index at `target` (the
 * caller removes it).
 */
export async function measureWriterCap(
  files: readonly string[],
  target: string,
): Promise<WriterCapReport> {
  const index = openContentIndex(target);
  const { db } = index;
  db.pragma(`cache_size = -${String(CACHE_KIB)}`);
  db.pragma('wal_autocheckpoint = 0');
  setFtsHashSize(db, BULK_FTS_HASH_BYTES);

  const timer = partTimer<Part>(['read', 'extract', 'write', 'commit', 'merge', 'checkpoint']);
  const { start, stop, wallMs } = timer;

  // the WAL checkpointed after each commit and between the merge's steps, timed apart
  const checkpoint = (): void => {
    start();
    db.pragma('wal_checkpoint(TRUNCATE)');
    stop('checkpoint');
  };

  let bytesTotal = 0;
  let rows = 0;
  let usageResponses = 0;
  let next = 0;
  let batches = 0;
  while (next < files.length) {
    start();
    const { batch, bytes, next: after } = readBatch(files, next, BATCH_BYTES, BATCH_FILES);
    next = after;
    bytesTotal += bytes;
    stop('read');

    start();
    const extracted = batch.map(({ path, bytes }) => {
      const key = archiveKey(path);
      return {
        path,
        key,
        ...extractTranscript(bytes, { start: 0, from: 0, usageFrom: 0 }, key, false),
      };
    });
    stop('extract');

    start();
    db.exec('BEGIN');
    for (const one of extracted) {
      const ids = { stableId: one.path, claudeSessionId: basename(one.path, '.jsonl'), version: 1 };
      rows += writeExtracted(index, one.key, ids, { rows: false, usage: false }, one, 0).rowsAdded;
      usageResponses += one.usage.length;
    }
    stop('write');
    start();
    db.exec('COMMIT');
    stop('commit');
    batches += 1;
    checkpoint();
  }
  // as a large import ends: each FTS5 table merged into one segment, in short transactions
  start();
  if (batches >= 2)
    await mergeFtsSegments(db, () => {
      stop('merge');
      checkpoint();
      start();
      return Promise.resolve();
    });
  stop('merge');
  checkpoint();
  index.close();

  const writerMs = wallMs.write + wallMs.commit + wallMs.merge;
  const writerWithCheckpointMs = writerMs + wallMs.checkpoint;
  const waited = timer.runQueueMs;
  const writerRunQueueMs = waited.write + waited.commit + waited.merge;
  const mb = bytesTotal / 1024 / 1024;
  const rate = (ms: number): number => Math.round((mb / (ms / 1000)) * 10) / 10;
  return {
    ok: true,
    mode: 'writes',
    files: files.length,
    bytes: bytesTotal,
    rows,
    usageResponses,
    wallMs: roundedMs(wallMs),
    cpuMs: roundedMs(timer.cpuMs),
    runQueueMs: roundedMs(timer.runQueueMs),
    writerMs: Math.round(writerMs),
    writerRunQueueMs: Math.round(writerRunQueueMs),
    writerQuietMs: Math.round(writerMs - writerRunQueueMs),
    writerQuietMbPerS: rate(writerMs - writerRunQueueMs),
    writerWithCheckpointMs: Math.round(writerWithCheckpointMs),
    writerMbPerS: rate(writerMs),
    writerWithCheckpointMbPerS: rate(writerWithCheckpointMs),
  };
}
