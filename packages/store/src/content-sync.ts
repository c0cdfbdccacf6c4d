/**
 * The store's content: the archive (`archive/`) and the content index
 * (`sessions-db-content.sqlite`) beside the log, filled from the transcripts of recorded sessions
 * (`@sessions-db/content` does the work). A separate entry point (`@sessions-db/store/content`), so
 * the hook and the read commands never load it; `import`, `search`, `restore` and the hook's
 * background indexer do.
 *
 * @packageDocumentation
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  archivedLength,
  clearContentIndex,
  indexArchived,
  listArchive,
  fileStamp,
  mergeFragmentedIndex,
  openContentIndex,
  readContentMark,
  readSeenFiles,
  recordSeenFiles,
  updateContentInBulk,
} from '@sessions-db/content';
import type {
  ContentIndex,
  SeenFile,
  TranscriptRef,
  UpdateContentResult,
} from '@sessions-db/content';
import { readLogFrom } from '@sessions-db/event-log';
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
 * How long after Claude Code's SessionEnd hook its session's transcripts may still be written:
 * the SessionEnd hooks share a budget capped at 60 s, after which the process has exited; ten
 * minutes leave room for a loaded machine.
 */
export const SETTLE_GRACE_MS = 10 * 60 * 1000;

/**
 * The end of a Claude `session` when it is the session's last progress (nothing recorded since):
 * its time (epoch ms) and whether `import` wrote it rather than the SessionEnd hook; `undefined`
 * for a live session, a Codex one, or an unreadable end.
 */
function lastEndOf(
  session: SessionRecord,
): { readonly endedMs: number; readonly byImport: boolean } | undefined {
  if ((session.agent ?? 'claude') !== 'claude') return undefined;
  const ended = session.ended_at ?? null;
  if (ended === null) return undefined;
  const endedMs = Date.parse(ended);
  if (!Number.isFinite(endedMs) || endedMs < Date.parse(session.last_progress_at)) return undefined;
  return { endedMs, byImport: session.end_reason === 'import' };
}

/**
 * When the transcripts of `session` stop being written without an event in the store's log
 * (epoch ms; see `TranscriptRef.settleAfter`), or `null` when they can grow at any time. Only a
 * Claude session whose last progress is its end, recorded by the SessionEnd hook, settles: a
 * Claude resume appends to the same file but fires SessionStart first (a new event, so the
 * session is looked at again and is no longer ended). An end written by `import` (reason
 * `import`) settles nothing here: without the hook a resume grows the file with no event at all
 * (see {@link settleIdleOf}).
 */
export function settleAfterOf(session: SessionRecord): number | null {
  const end = lastEndOf(session);
  return end === undefined || end.byImport ? null : end.endedMs + SETTLE_GRACE_MS;
}

/**
 * How long a transcript of `session` must have been left unmodified before a catch-up stops
 * stat'ing it (see `TranscriptRef.settleIdleMs`), for a Claude session `import` ended and nothing
 * recorded since: without the hook a resume appends with no event, so only the file's own age
 * says it is done; {@link SETTLE_GRACE_MS}, like a hook's end. `undefined` for any other session
 * (those {@link settleAfterOf} settles, live ones, Codex ones).
 */
export function settleIdleOf(session: SessionRecord): number | undefined {
  return lastEndOf(session)?.byImport === true ? SETTLE_GRACE_MS : undefined;
}

/**
 * Every transcript file of the given sessions, with the ids the content index keeps: each
 * recorded transcript and the subagent transcripts beside it (archived and indexed under their
 * parent session, so their usage counts toward it), and when they settle ({@link settleAfterOf},
 * {@link settleIdleOf}).
 */
export function transcriptRefs(sessions: readonly SessionRecord[]): TranscriptRef[] {
  const refs: TranscriptRef[] = [];
  for (const session of sessions) {
    const idle = settleIdleOf(session);
    const ids = {
      stableId: session.stable_id,
      settleAfter: settleAfterOf(session),
      ...(idle === undefined ? {} : { settleIdleMs: idle }),
    };
    for (const file of session.transcript_files) {
      const claudeSessionId = claudeSessionOf(file.path, session);
      refs.push({ path: file.path, claudeSessionId, ...ids });
      for (const path of subagentFiles(file.path)) refs.push({ path, claudeSessionId, ...ids });
    }
  }
  return refs;
}

/**
 * The content mark holding how much of the store's log a catch-up has read (bytes). Renamed from
 * `store_log_bytes` when the files of imported sessions began to settle (`settleIdleOf`): an index
 * with only the old mark is caught up once over every session, which records when each settles.
 */
export const CATCH_UP_LOG_MARK = 'store_log_bytes_v2';

/**
 * The content mark holding when (epoch ms) `search`'s catch-up last found the index too far behind
 * to catch up ({@link CATCH_UP_BEHIND_BYTES_MARK} holds by how much); 0 (or none) when it was not,
 * or an indexing run over every session ({@link syncContent}) has caught it up since.
 */
export const CATCH_UP_BEHIND_AT_MARK = 'search_behind_at';

/** The content mark holding how many bytes behind `search` last found the index (see {@link CATCH_UP_BEHIND_AT_MARK}). */
export const CATCH_UP_BEHIND_BYTES_MARK = 'search_behind_bytes';

/** Most bytes of log a catch-up reads for the sessions written since; past this it lists every session. */
export const CATCH_UP_LOG_TAIL_BYTES = 4 * 1024 * 1024;

/** Which transcripts a catch-up looks at (see {@link catchUpScope}). */
export interface CatchUpScope {
  /** Transcripts listed from session records, to stat (a path seen before is compared with it). */
  readonly refs: readonly TranscriptRef[];
  /**
   * The transcripts the last catch-up saw, with what it saw: to stat too, unless in `refs`. When
   * read from the log's tail, only those not settled (`isSettled`) and those in `refs`.
   */
  readonly seen: readonly SeenFile[];
  /** Sessions whose every transcript is in `refs` as their record lists it now. */
  readonly current: ReadonlySet<string>;
  /**
   * The log length to record once every transcript of `refs` is caught up: the next catch-up
   * reads the log from there. `undefined`: record none (the next one lists every session).
   */
  readonly logMark: number | undefined;
}

/** Whether `offset` is the start of a line of the log at `path` (0, or just after a newline). */
function atLineStart(path: string, offset: number): boolean {
  if (offset === 0) return true;
  const fd = openSync(path, 'r');
  try {
    const byte = Buffer.alloc(1);
    return readSync(fd, byte, 0, 1, offset - 1) === 1 && byte[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** The log's length now when it ends with a whole line (a mark to read from later), else `undefined`. */
function logMarkNow(eventsPath: string): number | undefined {
  const size = statSync(eventsPath, { throwIfNoEntry: false })?.size ?? 0;
  return atLineStart(eventsPath, size) ? size : undefined;
}

/**
 * The stable ids of the sessions with events in the log after byte `from`, and where the log
 * was read up to; `null` when that cannot be told cheaply (no mark, a log shorter than it or
 * replaced, or more than {@link CATCH_UP_LOG_TAIL_BYTES} written since).
 */
function sessionsWrittenSince(
  eventsPath: string,
  from: number | undefined,
): { readonly stableIds: Set<string>; readonly to: number } | null {
  const size = statSync(eventsPath, { throwIfNoEntry: false })?.size ?? 0;
  if (from === undefined || from > size || size - from > CATCH_UP_LOG_TAIL_BYTES) return null;
  if (!atLineStart(eventsPath, from)) return null;
  const tail = readLogFrom(eventsPath, from);
  const stableIds = new Set<string>();
  for (const event of tail.events) {
    const id = (event as { stable_id?: unknown }).stable_id;
    if (typeof id === 'string') stableIds.add(id);
  }
  return { stableIds, to: tail.offset };
}

/**
 * The transcripts a catch-up of the content index (`search`'s) looks at: every file it has seen
 * before (in the content index's `content_seen`, read in one query) but the settled ones (seen
 * after their session's SessionEnd hook and its grace, see {@link settleAfterOf}: nothing writes
 * to them without a new event), and every transcript of the sessions with events in the store's
 * log since it last read it (new sessions, resumes, ends, new files). The first time, after a log
 * that cannot be read from its mark, or after more than {@link CATCH_UP_LOG_TAIL_BYTES} of log,
 * every transcript of every session instead. No session record is loaded for the files already
 * seen.
 *
 * @throws StoreError `STORE_UNAVAILABLE` for a memory store.
 */
export function catchUpScope(
  store: Pick<SessionsStore, 'paths' | 'findSessions' | 'getSession'>,
  index: ContentIndex,
): CatchUpScope {
  if (store.paths === null)
    throw new StoreError('STORE_UNAVAILABLE', 'content needs an on-disk store');
  const { eventsPath } = store.paths;
  const written = sessionsWrittenSince(eventsPath, readContentMark(index, CATCH_UP_LOG_MARK));
  if (written === null) {
    // measured before the sessions are read: what is written meanwhile is read next time
    const logMark = logMarkNow(eventsPath);
    const sessions = store.findSessions({ limit: null });
    return {
      refs: transcriptRefs(sessions),
      seen: readSeenFiles(index),
      current: new Set(sessions.map((s) => s.stable_id)),
      logMark,
    };
  }
  const sessions: SessionRecord[] = [];
  for (const id of written.stableIds) {
    const found = store.getSession(id);
    if (found.ok) sessions.push(found.session);
  }
  const refs = transcriptRefs(sessions);
  return {
    refs,
    seen: readSeenFiles(index, { alsoPaths: refs.map((ref) => ref.path) }),
    current: new Set(sessions.map((s) => s.stable_id)),
    logMark: written.to,
  };
}

/** Every transcript of the session `ref` names as its record lists it now; none when unknown. */
export function sessionTranscriptRefs(
  store: Pick<SessionsStore, 'getSession'>,
  ref: string,
): TranscriptRef[] {
  const found = store.getSession(ref);
  return found.ok ? transcriptRefs([found.session]) : [];
}

/**
 * Most FTS5 segments a table of the content index keeps after an indexing run ({@link syncContent}:
 * the hook's background indexer, `import`); past this the run merges each table into one. Each
 * transaction of indexing adds a segment per table (one SessionEnd: one), and FTS5 itself folds a
 * level only at 16 (its crisis merge), so an index grown by SessionEnds, or imported before imports
 * merged, keeps up to ~16 per level. Every `MATCH` of a search opens each segment (2 GB index:
 * ~1.6 M instructions per segment per search, the 20 `more_matches` seeks); the merge rewrites the
 * whole index (2 GB: ~4 s of CPU, in the background). 8 halves the worst case of what searches pay.
 * A table past it is merged only when its segments besides the largest hold at least a quarter of
 * it (content's `mergeFragmentedIndex`): small segments beside a large one cost a search little, so
 * an index is rewritten only after it has grown by about a third since its last merge, not every
 * ~8 SessionEnds.
 */
export const MERGE_ABOVE_SEGMENTS = 8;

/**
 * Merges each FTS5 table of the content index at `indexPath` (open as `index`) into one segment
 * when any holds more than `above` and its segments besides the largest hold at least a quarter of
 * it (always, for `above` 1) (`mergeFragmentedIndex`, under the lock file
 * `<index>.merge-lock`: one merging process at a time).
 */
function mergeIndexAbove(index: ContentIndex, indexPath: string, above: number): Promise<boolean> {
  return mergeFragmentedIndex(index, above, `${indexPath}.merge-lock`);
}

/** Whether `SESSIONS_DB_ARCHIVE` allows archiving (anything but `0`). */
export function archiveEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return env['SESSIONS_DB_ARCHIVE'] !== '0';
}

/**
 * Archive (unless `archive` is false) and index the transcripts of `sessions` (every session when
 * omitted): only what is new since the last run is read, in batches whose archive files are
 * synced to disk together. Safe beside other processes doing the same (the content package locks
 * each transcript and the index). Then, when an FTS5 table of the index holds more than
 * {@link MERGE_ABOVE_SEGMENTS} segments, it is merged into one ({@link mergeIndexAbove}). With archiving off, only transcripts archived before are indexed
 * further, so with no archive at all the index is not even opened.
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
  if (!options.archive && !existsSync(paths.archiveDir)) {
    // Archiving off and nothing ever archived: the index is made from archived bytes only, so
    // there is nothing to index, and no index to open (or create).
    const refs = transcriptRefs(options.sessions ?? store.findSessions({ limit: null }));
    const missing = refs.filter((ref) => !existsSync(ref.path)).length;
    return { archivedBytes: 0, indexedRows: 0, skippedLocked: 0, missing };
  }
  const index = openContentIndex(paths.indexPath);
  try {
    // every session: the log read up to here (measured before the sessions are) is recorded
    const logMark =
      options.sessions === undefined && store.paths !== null
        ? logMarkNow(store.paths.eventsPath)
        : undefined;
    const sessions = options.sessions ?? store.findSessions({ limit: null });
    const refs = transcriptRefs(sessions);
    // stamped before they are read: a file that grows meanwhile is looked at again
    const seenAt = Date.now();
    const seen = refs.map((ref) => ({ ...ref, stamp: fileStamp(ref.path) }));
    const result = await updateContentInBulk(refs, {
      archiveDir: paths.archiveDir,
      index,
      archive: options.archive,
      ...(options.onFile === undefined ? {} : { onFile: options.onFile }),
    });
    // what `search`'s catch-up need not look at again (see catchUpScope); nothing when a file was
    // left to another indexer or new bytes were not archived
    if (options.archive && result.skippedLocked === 0)
      recordSeenFiles(
        index,
        seen,
        // caught up over every session: a search no longer says the index is behind
        logMark === undefined ? {} : { [CATCH_UP_LOG_MARK]: logMark, [CATCH_UP_BEHIND_AT_MARK]: 0 },
        seenAt,
      );
    await mergeIndexAbove(index, paths.indexPath, MERGE_ABOVE_SEGMENTS);
    return result;
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
 * Each transcript is indexed in a transaction of its own, so the index ends merged into one FTS5
 * segment per table ({@link mergeIndexAbove}).
 *
 * @throws StoreError `STORE_UNAVAILABLE` for a memory store.
 */
export async function rebuildContentIndex(
  store: Pick<SessionsStore, 'paths' | 'getSession'>,
): Promise<ContentRebuildResult> {
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
    await mergeIndexAbove(index, paths.indexPath, 1);
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
