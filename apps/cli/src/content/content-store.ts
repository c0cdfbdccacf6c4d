import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  archiveKey,
  indexedBytes,
  listVersions,
  openContentIndex,
  restoreTranscript,
  updateContent,
} from '@sessions-db/content';
import type {
  ContentIndex,
  RestoreOutcome,
  TranscriptRef,
  UpdateContentResult,
} from '@sessions-db/content';
import type { SessionRecord } from '@sessions-db/projection';
import type { SessionsStore } from '@sessions-db/store';
import { CliError } from '../cli-error.js';

/** Transcript bytes `search` indexes before answering; past this it says the index is behind. */
export const SEARCH_CATCH_UP_BYTES = 64 * 1024 * 1024;

/** Where the archive and the content index of a store live. */
export interface ContentPaths {
  readonly archiveDir: string;
  readonly indexPath: string;
}

/** The archive (`archive/`) and content index (`sessions-db-content.sqlite`) of an on-disk store. */
export function contentPaths(store: SessionsStore): ContentPaths {
  if (store.paths === null) {
    throw new CliError('STORE_UNAVAILABLE', 'content search needs an on-disk store');
  }
  return {
    archiveDir: join(store.paths.dir, 'archive'),
    indexPath: join(store.paths.dir, 'sessions-db-content.sqlite'),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Claude session id a transcript path belongs to (subagent files: their parent's). */
function claudeSessionOf(path: string, session: SessionRecord): string {
  const name = basename(path, '.jsonl');
  if (UUID.test(name)) return name;
  const parent = basename(dirname(dirname(path)));
  if (basename(dirname(path)) === 'subagents' && UUID.test(parent)) return parent;
  return session.claude_session_ids[0] ?? '';
}

/** Every transcript file of the given sessions, with the ids the content index keeps. */
export function transcriptRefs(sessions: readonly SessionRecord[]): TranscriptRef[] {
  const refs: TranscriptRef[] = [];
  for (const session of sessions) {
    for (const file of session.transcript_files) {
      refs.push({
        path: file.path,
        claudeSessionId: claudeSessionOf(file.path, session),
        stableId: session.stable_id,
      });
    }
  }
  return refs;
}

/** Bytes of the given transcripts not yet in the content index. */
export function pendingBytes(index: ContentIndex, refs: readonly TranscriptRef[]): number {
  const done = indexedBytes(index);
  let pending = 0;
  for (const ref of refs) {
    let size: number;
    try {
      size = statSync(ref.path).size;
    } catch {
      continue;
    }
    const have = done.get(archiveKey(ref.path))?.bytes ?? 0;
    if (size > have) pending += size - have;
  }
  return pending;
}

/** Whether `SESSIONS_DB_ARCHIVE` allows archiving (anything but `0`). */
export function archiveEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return env['SESSIONS_DB_ARCHIVE'] !== '0';
}

/** Archives and indexes the transcripts of `sessions` (all sessions when omitted). */
export function syncContent(
  store: SessionsStore,
  env: Readonly<Record<string, string | undefined>>,
  options: {
    readonly sessions?: readonly SessionRecord[];
    readonly onFile?: (done: number, total: number) => void;
  } = {},
): UpdateContentResult {
  const paths = contentPaths(store);
  const index = openContentIndex(paths.indexPath);
  try {
    const sessions = options.sessions ?? store.findSessions({ limit: null });
    return updateContent(transcriptRefs(sessions), {
      archiveDir: paths.archiveDir,
      index,
      archive: archiveEnabled(env),
      ...(options.onFile === undefined ? {} : { onFile: options.onFile }),
    });
  } finally {
    index.close();
  }
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
  const { archiveDir } = contentPaths(store);
  return transcriptRefs([session]).map((ref) => {
    const key = archiveKey(ref.path);
    if (listVersions(archiveDir, key).length === 0)
      return { path: ref.path, outcome: 'not_archived' };
    const target = to === undefined ? ref.path : join(to, basename(ref.path));
    return { path: target, outcome: restoreTranscript(archiveDir, key, target) };
  });
}
