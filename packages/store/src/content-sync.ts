/**
 * The store's content: the archive (`archive/`) and the content index
 * (`sessions-db-content.sqlite`) beside the log, filled from the transcripts of recorded sessions
 * (`@sessions-db/content` does the work). A separate entry point (`@sessions-db/store/content`), so
 * the hook and the read commands never load it; `import`, `search`, `restore` and the hook's
 * background indexer do.
 *
 * @packageDocumentation
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  archivedLength,
  clearContentIndex,
  indexArchived,
  listArchive,
  openContentIndex,
  updateContentInBulk,
} from '@sessions-db/content';
import type { TranscriptRef, UpdateContentResult } from '@sessions-db/content';
import type { SessionRecord } from '@sessions-db/projection';

import { StoreError } from './errors.js';
import type { SessionsStore, StorePaths } from './types.js';

/** Where the archive and the content index of a store live. */
export interface ContentPaths {
  readonly archiveDir: string;
  readonly indexPath: string;
}

/** The archive and content index of the store in `paths.dir`. */
export function contentPathsIn(paths: Pick<StorePaths, 'dir'>): ContentPaths {
  return {
    archiveDir: join(paths.dir, 'archive'),
    indexPath: join(paths.dir, 'sessions-db-content.sqlite'),
  };
}

/**
 * The archive and content index of an on-disk store.
 *
 * @throws StoreError `STORE_UNAVAILABLE` for a memory store (it has no directory).
 */
export function contentPaths(store: Pick<SessionsStore, 'paths'>): ContentPaths {
  if (store.paths === null)
    throw new StoreError('STORE_UNAVAILABLE', 'content needs an on-disk store');
  return contentPathsIn(store.paths);
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

/**
 * The subagent transcripts (the Task tool) beside a Claude transcript `<dir>/<id>.jsonl`:
 * `<dir>/<id>/subagents/*.jsonl`. None when the directory does not exist (most sessions).
 */
function subagentFiles(path: string): string[] {
  const name = basename(path, '.jsonl');
  if (!UUID.test(name)) return [];
  const dir = join(dirname(path), name, 'subagents');
  if (!existsSync(dir)) return [];
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
      .map((entry) => join(dir, entry.name))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Every transcript file of the given sessions, with the ids the content index keeps: each
 * recorded transcript and the subagent transcripts beside it (archived and indexed under their
 * parent session, so their usage counts toward it).
 */
export function transcriptRefs(sessions: readonly SessionRecord[]): TranscriptRef[] {
  const refs: TranscriptRef[] = [];
  for (const session of sessions) {
    for (const file of session.transcript_files) {
      const claudeSessionId = claudeSessionOf(file.path, session);
      refs.push({ path: file.path, claudeSessionId, stableId: session.stable_id });
      for (const path of subagentFiles(file.path))
        refs.push({ path, claudeSessionId, stableId: session.stable_id });
    }
  }
  return refs;
}

/** Whether `SESSIONS_DB_ARCHIVE` allows archiving (anything but `0`). */
export function archiveEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return env['SESSIONS_DB_ARCHIVE'] !== '0';
}

/**
 * Archive (unless `archive` is false) and index the transcripts of `sessions` (every session when
 * omitted): only what is new since the last run is read, in batches whose archive files are
 * synced to disk together. Safe beside other processes doing the same (the content package locks
 * each transcript and the index).
 *
 * @throws StoreError `STORE_UNAVAILABLE` for a memory store.
 */
export async function syncContent(
  store: Pick<SessionsStore, 'paths' | 'findSessions'>,
  options: {
    readonly archive: boolean;
    readonly sessions?: readonly SessionRecord[];
    readonly onFile?: (done: number, total: number) => void;
  },
): Promise<UpdateContentResult> {
  const paths = contentPaths(store);
  const index = openContentIndex(paths.indexPath);
  try {
    const sessions = options.sessions ?? store.findSessions({ limit: null });
    return await updateContentInBulk(transcriptRefs(sessions), {
      archiveDir: paths.archiveDir,
      index,
      archive: options.archive,
      ...(options.onFile === undefined ? {} : { onFile: options.onFile }),
    });
  } finally {
    index.close();
  }
}

/** What {@link rebuildContentIndex} did. */
export interface ContentRebuildResult {
  /** Archived transcripts indexed again. */
  readonly transcripts: number;
  readonly rows: number;
  /** Archived transcripts of no session the store knows (left out of the index). */
  readonly unknown: number;
}

/**
 * Rebuild the content index from the archive alone: every row is dropped and every archived
 * transcript (its latest version) indexed again, whether or not the agent still has the original.
 * One transaction clears the rows, so searches meanwhile see the old index or a growing new one.
 *
 * @throws StoreError `STORE_UNAVAILABLE` for a memory store.
 */
export function rebuildContentIndex(
  store: Pick<SessionsStore, 'paths' | 'getSession'>,
): ContentRebuildResult {
  const paths = contentPaths(store);
  const index = openContentIndex(paths.indexPath);
  try {
    clearContentIndex(index);
    let transcripts = 0;
    let rows = 0;
    let unknown = 0;
    for (const entry of listArchive(paths.archiveDir)) {
      const csid = entry.source?.claudeSessionId ?? '';
      const found = csid === '' ? null : store.getSession(csid);
      if (found === null || !found.ok) {
        unknown += 1;
        continue;
      }
      rows += indexArchived(index, paths.archiveDir, entry.key, {
        stableId: found.session.stable_id,
        claudeSessionId: csid,
      }).rowsAdded;
      transcripts += 1;
    }
    return { transcripts, rows, unknown };
  } finally {
    index.close();
  }
}

/** The archive as `doctor` describes it. */
export interface ArchiveSummary {
  readonly transcripts: number;
  /** Compressed bytes on disk, every version. */
  readonly diskBytes: number;
  /** Bytes of the transcripts as written (latest versions). */
  readonly originalBytes: number;
  /** Transcripts the agent has deleted (or moved) that the archive still holds. */
  readonly deletedButArchived: number;
}

/** Size of the archive and how many of its transcripts only it still holds. */
export function archiveSummary(paths: Pick<StorePaths, 'dir'>): ArchiveSummary {
  const { archiveDir } = contentPathsIn(paths);
  let transcripts = 0;
  let diskBytes = 0;
  let originalBytes = 0;
  let deletedButArchived = 0;
  for (const entry of listArchive(archiveDir)) {
    const latest = entry.versions.at(-1);
    if (latest === undefined) continue;
    transcripts += 1;
    diskBytes += entry.diskBytes;
    originalBytes += archivedLength(archiveDir, entry.key, latest);
    if (entry.source !== undefined && !existsSync(entry.source.path)) deletedButArchived += 1;
  }
  return { transcripts, diskBytes, originalBytes, deletedButArchived };
}
