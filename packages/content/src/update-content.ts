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
