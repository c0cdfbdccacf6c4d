import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { archiveKey, archiveTranscript, listVersions } from './archive.js';
import { indexArchived } from './content-index.js';
import type { ContentIndex } from './content-index.js';
import { tryLock } from './file-lock.js';

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

/**
 * Archives what is new in each transcript and indexes it, each transcript under its own lock so
 * two indexers never work on one file. Safe to kill at any instruction: the archive ignores a torn
 * segment and the index commits per transcript.
 */
export function updateContent(
  files: readonly TranscriptRef[],
  options: UpdateContentOptions,
): UpdateContentResult {
  mkdirSync(options.archiveDir, { recursive: true, mode: 0o700 });
  let archivedBytes = 0;
  let indexedRows = 0;
  let skippedLocked = 0;
  let missing = 0;
  files.forEach((file, i) => {
    const key = archiveKey(file.path);
    const keyDir = join(options.archiveDir, key);
    mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    const lock = tryLock(join(keyDir, 'lock'));
    if (lock === undefined) {
      skippedLocked += 1;
      return;
    }
    try {
      if (!existsSync(file.path)) missing += 1;
      else if (options.archive !== false) {
        archivedBytes += archiveTranscript(options.archiveDir, {
          path: file.path,
          claudeSessionId: file.claudeSessionId,
        }).appendedBytes;
      }
      if (listVersions(options.archiveDir, key).length > 0) {
        indexedRows += indexArchived(options.index, options.archiveDir, key, file).rowsAdded;
      }
    } finally {
      lock.release();
      options.onFile?.(i + 1, files.length);
    }
  });
  return { archivedBytes, indexedRows, skippedLocked, missing };
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
