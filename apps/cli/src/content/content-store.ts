import { basename, join } from 'node:path';
import {
  archiveKey,
  changedStamp,
  indexedBytes,
  isSettled,
  listVersions,
  openContentIndex,
  openContentIndexReadOnly,
  readContentMark,
  recordSeenFiles,
  restoreTranscript,
  settleAfterFor,
  updateContent,
} from '@sessions-db/content';
import type {
  ContentIndex,
  FileStamp,
  RestoreOutcome,
  SeenFile,
  TranscriptRef,
} from '@sessions-db/content';
import type { SessionRecord } from '@sessions-db/projection';
import { isSqliteBusy } from '@sessions-db/store';
import type { SessionsStore } from '@sessions-db/store';
import {
  CATCH_UP_BEHIND_AT_MARK,
  CATCH_UP_BEHIND_BYTES_MARK,
  CATCH_UP_LOG_MARK,
  contentPathsIn,
  transcriptRefs,
} from '@sessions-db/store/content';
import type { CatchUpScope, ContentPaths } from '@sessions-db/store/content';
import { CliError } from '../cli-error.js';

/** Said when a command could not open the content index to catch it up, and read it as it is. */
export const INDEX_BUSY_WARNING =
  'warning: another sessions-db process holds the content index (converting it to a new layout, which takes a while for a large index): read it as it is, without catching up';

/** Said when a command converted the content index from an earlier layout (once per index). */
export const INDEX_CONVERTED_NOTICE =
  'notice: converted the content index to its new layout (done once; a large index takes a while)';

/**
 * The content index, opened to catch it up (`catchUp`) or only to read it. Opening it for writing
 * converts an index of an earlier layout under its write lock (`converted`,
 * {@link INDEX_CONVERTED_NOTICE}); when another process holds that lock past the busy timeout (it
 * is converting the index itself), the index is opened read-only instead (`busy`,
 * {@link INDEX_BUSY_WARNING}): an index of the layout before is read as it is. `index` is null
 * when there is none to read.
 */
export function openContentIndexFor(
  indexPath: string,
  catchUp: boolean,
): { readonly index: ContentIndex | null; readonly busy: boolean; readonly converted: boolean } {
  if (!catchUp)
    return { index: openContentIndexReadOnly(indexPath), busy: false, converted: false };
  let converted = false;
  try {
    const index = openContentIndex(indexPath, { onConvert: () => (converted = true) });
    return { index, busy: false, converted };
  } catch (error) {
    if (!isSqliteBusy(error)) throw error;
    return { index: openContentIndexReadOnly(indexPath), busy: true, converted: false };
  }
}

/** The warnings of opening the content index ({@link openContentIndexFor}): busy, or converted. */
export function openingWarnings(opened: {
  readonly busy: boolean;
  readonly converted: boolean;
}): string[] {
  return [
    ...(opened.converted ? [INDEX_CONVERTED_NOTICE] : []),
    ...(opened.busy ? [INDEX_BUSY_WARNING] : []),
  ];
}

/** Transcript bytes `search` indexes before answering; past this it says the index is behind. */
export const SEARCH_CATCH_UP_BYTES = 64 * 1024 * 1024;

/** A transcript whose stat differs from what the last catch-up saw, and its stat now. */
interface ChangedFile {
  readonly ref: TranscriptRef;
  readonly stamp: FileStamp;
}

/** What a catch-up found to do: the transcripts that grew, and what it saw to record. */
export interface PendingContent {
  /** Bytes the transcripts of `refs` gained past what the index holds. */
  readonly bytes: number;
  readonly refs: TranscriptRef[];
  /**
   * Every transcript whose stat changed since the last catch-up, with its stat now, and the
   * unchanged ones to record again: their session settles otherwise than recorded, or settles
   * now (see `TranscriptRef.settleAfter`).
   */
  readonly changed: readonly SeenFile[];
}

/**
 * The transcripts of `scope` that grew past what the content index holds. A file whose stat is
 * what the last catch-up saw is not looked at further; one that changed is compared with the
 * bytes the index holds, and the other transcripts of its session are listed again (a session's
 * new subagent files appear while its transcript grows). `now` (epoch ms, taken before any stat)
 * tells which unchanged files settle with this look.
 */
export function pendingContent(
  index: ContentIndex,
  scope: CatchUpScope,
  sessionRefs: (stableId: string) => readonly TranscriptRef[],
  now: number,
): PendingContent {
  const changed: ChangedFile[] = [];
  const again: SeenFile[] = [];
  // the transcripts listed from records are compared with what was seen of them; the others
  // seen before are stat'ed as they are (no object is made for a file that did not change)
  const listed = new Set(scope.refs.map((ref) => ref.path));
  const before =
    listed.size === 0
      ? new Map<string, SeenFile>()
      : new Map(scope.seen.filter((f) => listed.has(f.path)).map((f) => [f.path, f]));
  const look = (ref: TranscriptRef, was: SeenFile | undefined): void => {
    const stamp = changedStamp(ref.path, was?.stamp);
    if (stamp !== null) changed.push({ ref, stamp });
    else if (was !== undefined) {
      // unchanged: recorded again when its session's settling changed, or it settles now
      const settleAfter = settleAfterFor(ref, was.stamp);
      const settles = settleAfter !== null && now >= settleAfter && !isSettled(was);
      if (settles || settleAfter !== (was.settleAfter ?? null))
        again.push({ ...ref, stamp: was.stamp });
    }
  };
  for (const ref of scope.refs) look(ref, before.get(ref.path));
  for (const file of scope.seen) if (!listed.has(file.path)) look(file, file);
  // a changed transcript's session is listed again: its new files (subagents) are looked at too,
  // and each changed file takes its ref as listed now (a file that settles by its age settles
  // from its new modification time, not from the one seen before)
  const relisted = new Set(scope.current);
  let seenPaths: Set<string> | undefined;
  const changedAt = new Map(changed.map((file, i) => [file.ref.path, i]));
  for (const { ref } of [...changed]) {
    if (relisted.has(ref.stableId)) continue;
    relisted.add(ref.stableId);
    seenPaths ??= new Set(scope.seen.map((f) => f.path));
    for (const other of sessionRefs(ref.stableId)) {
      const at = changedAt.get(other.path);
      const was = at === undefined ? undefined : changed[at];
      if (at !== undefined && was !== undefined) changed[at] = { ref: other, stamp: was.stamp };
      if (listed.has(other.path) || seenPaths.has(other.path)) continue;
      listed.add(other.path);
      look(other, undefined);
    }
  }
  const present = changed.filter((file) => file.stamp.size >= 0);
  const keys = present.map((file) => archiveKey(file.ref.path));
  const done = indexedBytes(index, keys);
  let bytes = 0;
  const behind: TranscriptRef[] = [];
  present.forEach((file, i) => {
    const have = done.get(keys[i] ?? '')?.bytes ?? 0;
    if (file.stamp.size > have) {
      bytes += file.stamp.size - have;
      behind.push(file.ref);
    }
  });
  return {
    bytes,
    refs: behind,
    changed: [...changed.map(({ ref, stamp }) => ({ ...ref, stamp })), ...again],
  };
}

/** The warning of a catch-up that found the index `bytes` behind (past {@link SEARCH_CATCH_UP_BYTES}). */
function behindWarning(bytes: number): string {
  return `warning: the content index is ${String(Math.ceil(bytes / 1048576))} MB behind; run \`sessions-db import\` to catch up`;
}

/**
 * Archive and index what the transcripts of `scope` gained since they were indexed, when that
 * is at most `options.catchUpBytes` (default {@link SEARCH_CATCH_UP_BYTES}); past that, nothing,
 * and a warning to run `import`. Once caught up (with archiving on, and no transcript left to
 * another indexer's lock), what was seen of each changed transcript and how far the log was read
 * are recorded, so the next catch-up stats only the files it knows and have not settled, and
 * reads only the log written since. `now`: the clock (epoch ms). Returns the warnings (stderr
 * lines) and by how many bytes the index was behind when it was too far behind.
 */
export function catchUpContent(
  index: ContentIndex,
  scope: CatchUpScope,
  sessionRefs: (stableId: string) => readonly TranscriptRef[],
  paths: ContentPaths,
  options: { readonly archive: boolean; readonly now: number; readonly catchUpBytes?: number },
): string[] {
  return catchUpOrMeasure(index, scope, sessionRefs, paths, options).warnings;
}

/** {@link catchUpContent}, with by how many bytes the index was behind when too far behind. */
function catchUpOrMeasure(
  index: ContentIndex,
  scope: CatchUpScope,
  sessionRefs: (stableId: string) => readonly TranscriptRef[],
  paths: ContentPaths,
  options: { readonly archive: boolean; readonly now: number; readonly catchUpBytes?: number },
): { readonly warnings: string[]; readonly behindBytes?: number } {
  const { archive, now } = options;
  const pending = pendingContent(index, scope, sessionRefs, now);
  if (pending.bytes > (options.catchUpBytes ?? SEARCH_CATCH_UP_BYTES))
    return { warnings: [behindWarning(pending.bytes)], behindBytes: pending.bytes };
  const result = updateContent(pending.refs, { archiveDir: paths.archiveDir, index, archive });
  // Without archiving, new bytes are not indexed: nothing is recorded as seen, so turning it back
  // on catches them up. A transcript another indexer held is looked at again next time.
  if (archive && result.skippedLocked === 0) {
    recordSeenFiles(
      index,
      pending.changed,
      scope.logMark === undefined ? {} : { [CATCH_UP_LOG_MARK]: scope.logMark },
      now,
    );
  }
  return { warnings: [] };
}

/**
 * How long `search` repeats what its catch-up last found, that the index is too far behind to
 * catch up, before it looks again: finding it lists every session and stats every transcript
 * (10k sessions: ~0.3 s), which each search would otherwise do again (nothing is recorded, so the
 * next one lists them all again).
 */
export const SEARCH_BEHIND_RECHECK_MS = 10 * 60 * 1000;

/**
 * `search`'s catch-up: {@link catchUpContent} of the scope `scopeOf` gives, unless the last one,
 * less than {@link SEARCH_BEHIND_RECHECK_MS} ago, found the index too far behind (the content
 * marks `CATCH_UP_BEHIND_AT_MARK` and `CATCH_UP_BEHIND_BYTES_MARK`, recorded here, cleared by an
 * `import` that catches up every session): then only its warning again, with the size it found,
 * and no scope listed or file stat'ed. Returns the warnings.
 */
export function catchUpForSearch(
  index: ContentIndex,
  scopeOf: () => CatchUpScope,
  sessionRefs: (stableId: string) => readonly TranscriptRef[],
  paths: ContentPaths,
  options: { readonly archive: boolean; readonly now: number; readonly catchUpBytes?: number },
): string[] {
  const { now } = options;
  const at = readContentMark(index, CATCH_UP_BEHIND_AT_MARK) ?? 0;
  const bytes = readContentMark(index, CATCH_UP_BEHIND_BYTES_MARK);
  if (at > 0 && bytes !== undefined && now >= at && now - at < SEARCH_BEHIND_RECHECK_MS)
    return [behindWarning(bytes)];
  const done = catchUpOrMeasure(index, scopeOf(), sessionRefs, paths, options);
  if (done.behindBytes !== undefined)
    recordSeenFiles(
      index,
      [],
      { [CATCH_UP_BEHIND_AT_MARK]: now, [CATCH_UP_BEHIND_BYTES_MARK]: done.behindBytes },
      now,
    );
  else if (at > 0) recordSeenFiles(index, [], { [CATCH_UP_BEHIND_AT_MARK]: 0 }, now);
  return done.warnings;
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
