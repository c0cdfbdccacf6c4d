import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  archiveKey,
  indexedBytes,
  listVersions,
  restoreTranscript,
  updateContent,
} from '@sessions-db/content';
import type { ContentIndex, RestoreOutcome, TranscriptRef } from '@sessions-db/content';
import type { SessionRecord } from '@sessions-db/projection';
import type { SessionsStore } from '@sessions-db/store';
import { contentPathsIn, transcriptRefs } from '@sessions-db/store/content';
import type { ContentPaths } from '@sessions-db/store/content';
import { CliError } from '../cli-error.js';

/** Transcript bytes `search` indexes before answering; past this it says the index is behind. */
export const SEARCH_CATCH_UP_BYTES = 64 * 1024 * 1024;

/** The transcripts that grew past what the content index holds, and how many bytes that is. */
export function pendingContent(
  index: ContentIndex,
  refs: readonly TranscriptRef[],
): { readonly bytes: number; readonly refs: TranscriptRef[] } {
  const done = indexedBytes(index);
  let bytes = 0;
  const behind: TranscriptRef[] = [];
  for (const ref of refs) {
    let size: number;
    try {
      size = statSync(ref.path).size;
    } catch {
      continue;
    }
    const have = done.get(archiveKey(ref.path))?.bytes ?? 0;
    if (size > have) {
      bytes += size - have;
      behind.push(ref);
    }
  }
  return { bytes, refs: behind };
}

/**
 * Archive and index what the transcripts `refs` gained since they were indexed, when that is at
 * most {@link SEARCH_CATCH_UP_BYTES}; past that, nothing, and a warning to run `import`. Returns
 * the warnings (stderr lines).
 */
export function catchUpContent(
  index: ContentIndex,
  refs: readonly TranscriptRef[],
  paths: ContentPaths,
  archive: boolean,
): string[] {
  const pending = pendingContent(index, refs);
  if (pending.bytes > SEARCH_CATCH_UP_BYTES) {
    return [
      `warning: the content index is ${String(Math.ceil(pending.bytes / 1048576))} MB behind; run \`sessions-db import\` to catch up`,
    ];
  }
  updateContent(pending.refs, { archiveDir: paths.archiveDir, index, archive });
  return [];
}

/** One transcript file of a session, and what restoring it did. */
export interface RestoredFile {
  readonly path: string;
  readonly outcome: RestoreOutcome | 'not_archived';
}

/**
 * Write the archived transcripts of `session` back, where Claude Code keeps them or into `to`
 * (byte-identical; a file that exists and differs is never overwritten: `conflict`).
 */
export function restoreSessionFiles(
  store: SessionsStore,
  session: SessionRecord,
  to?: string,
): RestoredFile[] {
  if (store.paths === null)
    throw new CliError('STORE_UNAVAILABLE', 'restoring needs an on-disk store');
  const { archiveDir } = contentPathsIn(store.paths);
  return transcriptRefs([session]).map((ref) => {
    const key = archiveKey(ref.path);
    if (listVersions(archiveDir, key).length === 0)
      return { path: ref.path, outcome: 'not_archived' };
    const target = to === undefined ? ref.path : join(to, basename(ref.path));
    return { path: target, outcome: restoreTranscript(archiveDir, key, target) };
  });
}
