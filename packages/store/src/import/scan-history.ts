import {
  claudeAdapter,
  claudeProjectDirs,
  listSubagentTranscripts,
  readCodexSessionIndex,
  sanitizeFirstPrompt,
} from '@sessions-db/git-transcript';
import type {
  AgentAdapter,
  ProjectTranscriptFile,
  TranscriptMeta,
} from '@sessions-db/git-transcript';
import { lacksHead } from '../head-state.js';
import type { SessionsStore } from '../types.js';
import type { ImportListingError } from './import-types.js';
import {
  openMetaReader,
  PARALLEL_SCAN_FROM,
  readMetas,
  startKeyPass,
  startScanWorker,
} from './read-metas.js';
import type { KeyPass, ScanWorker } from './read-metas.js';
import type { ScanJob } from './scan-jobs.js';

/** Bytes of the head and of the tail read of a transcript the store already holds unchanged. */
export const ORDER_WINDOW_BYTES = 16 * 1024;

/** What the store already holds of a Claude session id: its stable id and transcript sizes. */
export interface KnownSession {
  readonly stableId: string | null;
  readonly transcripts: readonly { readonly path: string; readonly size: number }[];
  /**
   * Recorded without its transcript's head (a hook-only session whose file did not exist yet at
   * SessionStart): no first-prompt fingerprint. Its transcript is read whole again.
   */
  readonly missingHead: boolean;
}

/** One listed transcript and what was read of it (`null`: an empty file, nothing to read). */
export interface ScannedTranscript {
  readonly file: ProjectTranscriptFile;
  readonly meta: TranscriptMeta | null;
}

/** Everything `import` reads before deciding: the transcripts (each read once) and the store's view. */
export interface ScannedHistory {
  readonly transcripts: readonly ScannedTranscript[];
  /** Subagent transcripts per parent Claude session id (`''`: the parent is not named). */
  readonly subagentsBySession: ReadonlyMap<string, number>;
  readonly subagentTotal: number;
  readonly listingErrors: readonly ImportListingError[];
  /** The Claude session ids of the listed transcripts that the store already holds. */
  readonly known: ReadonlyMap<string, KnownSession>;
}

function knownSession(store: SessionsStore, claudeSessionId: string): KnownSession | null {
  if (!store.hasClaudeSession(claudeSessionId)) return null;
  const found = store.getSession(claudeSessionId);
  if (!found.ok) return { stableId: null, transcripts: [], missingHead: false };
  return {
    stableId: found.session.stable_id,
    // Codex threads carry no prompt fingerprint at all (docs/agents-codex.md).
    missingHead: lacksHead(found.session),
    transcripts: found.session.transcript_files.map((entry) => ({
      path: entry.path,
      size: entry.size,
    })),
  };
}

/**
 * Whether the store holds this transcript as it is now: same path, same size. Claude Code only
 * appends to a transcript, so an unchanged size means nothing new to record (but see
 * {@link headStillMissing}).
 */
export function isUnchanged(
  known: ReadonlyMap<string, KnownSession>,
  file: ProjectTranscriptFile,
): boolean {
  return (
    known
      .get(file.sessionId)
      ?.transcripts.some((entry) => entry.path === file.path && entry.size === file.size) ?? false
  );
}

/** Subagent transcripts of a Claude history (Codex sub-agents are threads of their own). */
function claudeSubagents(
  from: string,
  listingErrors: ImportListingError[],
): { readonly bySession: Map<string, number>; readonly total: number } {
  const bySession = new Map<string, number>();
  let total = 0;
  for (const dir of claudeProjectDirs(from)) {
    const subagents = listSubagentTranscripts(dir);
    listingErrors.push(
      ...subagents.errors.map((error) => ({ path: error.path, message: error.message })),
    );
    for (const subagent of subagents.subagents) {
      total += 1;
      const parent = subagent.parentSessionId ?? '';
      bySession.set(parent, (bySession.get(parent) ?? 0) + 1);
    }
  }
  return { bySession, total };
}

/** A Codex thread's name from `session_index.jsonl` becomes its custom title. */
function withCodexNames(
  adapter: AgentAdapter,
  from: string,
): (meta: TranscriptMeta) => TranscriptMeta {
  if (adapter.name !== 'codex') return (meta) => meta;
  const names = readCodexSessionIndex(from);
  return (meta) => {
    const name = meta.sessionId === null ? undefined : names.get(meta.sessionId.toLowerCase());
    return name === undefined ? meta : { ...meta, customTitle: name };
  };
}

/**
 * Read what `import` decides from, touching each transcript once: list the transcripts of `from`
 * through the agent's adapter (Claude: the project directories and their subagent transcripts;
 * Codex: the rollouts of a Codex home, named from its session index), look up which Claude session ids the store holds, and
 * read each transcript's head and tail — the full windows the identity pipeline needs, or only
 * small ordering windows for a transcript the store already holds unchanged (it is not recorded
 * again). An empty file is not read. The transcripts are read on two threads when there are
 * many ({@link readMetas}).
 *
 * @throws when `from` cannot be read (the caller reports it).
 */
export function scanHistory(
  store: SessionsStore,
  from: string,
  adapter: AgentAdapter = claudeAdapter,
  // Started first: it loads its code while the transcripts are listed.
  scan: ScanWorker | null = startScanWorker(adapter),
): ScannedHistory {
  let listed: Listed;
  try {
    listed = listHistory(store, from, adapter);
  } catch (error) {
    scan?.cancel();
    throw error;
  }
  return readListed(adapter, from, listed, scan);
}

/** {@link scanHistory}'s reading half: each listed transcript read whole (on two threads when many). */
function readListed(
  adapter: AgentAdapter,
  from: string,
  listed: Listed,
  scan: ScanWorker | null,
): ScannedHistory {
  const { files, known } = listed;
  // An empty file is not read.
  const metas = readMetas(
    adapter,
    files.filter((file) => file.size !== 0).map((file) => scanJob(known, file)),
    scan,
  );
  const named = withCodexNames(adapter, from);
  let next = 0;
  const transcripts = files.map((file) => {
    if (file.size === 0) return { file, meta: null };
    const meta = metas[next];
    next += 1;
    return { file, meta: meta === undefined ? null : named(meta) };
  });
  const { subagentsBySession, subagentTotal, listingErrors } = listed;
  return { transcripts, subagentsBySession, subagentTotal, listingErrors, known };
}

/**
 * The read of one transcript: the full windows the identity pipeline needs, or only small
 * ordering windows for a transcript the store already holds unchanged (it is not recorded again).
 */
function scanJob(known: ReadonlyMap<string, KnownSession>, file: ProjectTranscriptFile): ScanJob {
  return {
    path: file.path,
    options:
      isUnchanged(known, file) && known.get(file.sessionId)?.missingHead !== true
        ? { headBytes: ORDER_WINDOW_BYTES, tailBytes: ORDER_WINDOW_BYTES, maxUuids: 1 }
        : {},
  };
}

/**
 * A listed transcript and its first timestamp, read from its first bytes before any transcript is
 * read whole ({@link readFirstTimestamps}: what the whole read would give); `meta` set when those
 * bytes could not tell and it was read whole already (`null`: an empty file, nothing to read).
 */
export interface KeyedTranscript {
  readonly file: ProjectTranscriptFile;
  readonly firstTimestamp: string | null;
  readonly meta?: TranscriptMeta | null;
}

/** Reads the transcripts of a {@link KeyedHistory} in the order given, one at a time. */
export interface OrderedReads {
  /** What was read of the transcript at `position` of the order (`null`: empty). Best in order. */
  meta(position: number): TranscriptMeta | null;
  /** No more wanted: the scan worker ends. */
  close(): void;
}

/**
 * What `import` decides from before it reads the transcripts whole: the listing, the store's view
 * and each transcript's first timestamp, so the order is known first and each transcript is read
 * (on the scan worker, ahead of the recording) in that order.
 */
export interface KeyedHistory extends Omit<ScannedHistory, 'transcripts'> {
  readonly keyed: readonly KeyedTranscript[];
  /** Read the transcripts in this order (entries of `keyed`). Call once. */
  readInOrder(order: readonly KeyedTranscript[]): OrderedReads;
}

/**
 * Like {@link scanHistory}, but reading only each transcript's first bytes for its first
 * timestamp before returning (on this thread and the scan worker, {@link readFirstTimestamps});
 * the transcripts are read whole later, in the order the caller
 * gives ({@link KeyedHistory.readInOrder}), on the scan worker while the caller records. A
 * transcript whose first bytes cannot tell is read whole here. For an adapter other than
 * Claude's, without a scan worker, or under {@link PARALLEL_SCAN_FROM} transcripts, every
 * transcript is read whole now and the result is {@link scanHistory}'s (no `keyed`; the listing
 * is done once either way). `scan`: the scan worker (started here unless given; a worker for
 * another adapter is let go).
 *
 * @throws when `from` cannot be read (the caller reports it).
 */
export function scanHistoryKeyed(
  store: SessionsStore,
  from: string,
  adapter: AgentAdapter,
  scan: ScanWorker | ScanAhead | null = startScanWorker(adapter),
): KeyedHistory | ScannedHistory {
  if (adapter !== claudeAdapter || scan?.adapter !== adapter) {
    return scanHistory(store, from, adapter, scan);
  }
  const ahead = 'listing' in scan && scan.from === from ? scan : listAhead(scan, from);
  let listed: Listed;
  try {
    if ('error' in ahead.listing) throw ahead.listing.error;
    listed = withKnown(store, ahead.listing);
  } catch (error) {
    scan.cancel();
    throw error;
  }
  const { files, known, ...rest } = listed;
  // Few transcripts: read whole now, as scanHistory does (the listing is not done again).
  if (ahead.keys === null) return readListed(adapter, from, listed, scan);
  const keys = ahead.keys.finish();
  let next = 0;
  const keyed = files.map((file): KeyedTranscript => {
    if (file.size === 0) return { file, firstTimestamp: null, meta: null };
    const key = keys[next];
    next += 1;
    if (key === undefined) throw new RangeError('a key job without its key');
    if (key.decided) return { file, firstTimestamp: key.firstTimestamp };
    const job = scanJob(known, file);
    const meta = adapter.readMeta(job.path, job.options);
    return { file, firstTimestamp: meta.firstTimestamp, meta };
  });
  return {
    ...rest,
    known,
    keyed,
    readInOrder(order) {
      const jobs: ScanJob[] = [];
      const jobOf = order.map((entry) => {
        if (entry.meta !== undefined) return -1;
        jobs.push(scanJob(known, entry.file));
        return jobs.length - 1;
      });
      const reader = openMetaReader(adapter, jobs, scan);
      return {
        meta(position) {
          const entry = order[position];
          const job = jobOf[position];
          if (entry === undefined || job === undefined) throw new RangeError('no such position');
          return job === -1 ? (entry.meta ?? null) : reader.get(job);
        },
        close: () => reader.close(),
      };
    },
  };
}

/** What {@link scanHistory} knows before it reads any transcript. */
interface Listed extends Omit<ScannedHistory, 'transcripts'> {
  readonly files: readonly ProjectTranscriptFile[];
}

/** The transcripts and subagents of a history, listed without the store. */
type ListedFiles = Omit<Listed, 'known'>;

/**
 * A scan worker with the history it will read listed already (before the store is opened), the
 * transcripts' first timestamps given to it then ({@link listAhead}).
 */
export interface ScanAhead extends ScanWorker {
  /** The history listed. */
  readonly from: string;
  /** What was listed, or what listing it threw (thrown where the import lists). */
  readonly listing: ListedFiles | { readonly error: unknown };
  /** The first timestamps being read (`null`: too few transcripts, each is read whole). */
  readonly keys: KeyPass | null;
}

/**
 * List the Claude history `from` (its transcripts and subagents; the store is not needed) and
 * give the first timestamps of its transcripts to `scan`, which reads them while the caller goes
 * on (opens the store): {@link scanHistoryKeyed} then takes the listing and finishes the keys. A
 * first timestamp does not depend on the windows read of a transcript (at least
 * `FIRST_TIMESTAMP_BYTES` of head, no deadline: every import's), so the keys are read before the
 * store tells which transcripts it holds unchanged.
 */
export function listAhead(scan: ScanWorker, from: string): ScanAhead {
  let listing: ListedFiles;
  try {
    listing = listFiles(from, scan.adapter);
  } catch (error) {
    return { ...scan, from, listing: { error }, keys: null };
  }
  const { files } = listing;
  if (files.length < PARALLEL_SCAN_FROM) return { ...scan, from, listing, keys: null };
  // An empty file is not read.
  const keyJobs = files
    .filter((file) => file.size !== 0)
    .map((file): ScanJob => ({ path: file.path, options: {} }));
  return { ...scan, from, listing, keys: startKeyPass(keyJobs, scan) };
}

/** The transcripts and subagents of `from`, and the Claude session ids the store holds of them. */
function listHistory(store: SessionsStore, from: string, adapter: AgentAdapter): Listed {
  return withKnown(store, listFiles(from, adapter));
}

/** The transcripts and subagents of `from`. */
function listFiles(from: string, adapter: AgentAdapter): ListedFiles {
  const listed = adapter.listTranscripts(from);
  const listingErrors: ImportListingError[] = listed.errors.map((error) => ({
    path: error.path,
    message: error.message,
  }));
  const subagents =
    adapter.name === 'claude'
      ? claudeSubagents(from, listingErrors)
      : { bySession: new Map<string, number>(), total: 0 };
  return {
    files: listed.transcripts,
    subagentsBySession: subagents.bySession,
    subagentTotal: subagents.total,
    listingErrors,
  };
}

/** A listing with the Claude session ids the store holds of its transcripts. */
function withKnown(store: SessionsStore, listing: ListedFiles): Listed {
  const known = new Map<string, KnownSession>();
  for (const file of listing.files) {
    if (known.has(file.sessionId)) continue;
    const session = knownSession(store, file.sessionId);
    if (session !== null) known.set(file.sessionId, session);
  }
  return { ...listing, known };
}

/**
 * Whether a known session still lacks what its transcript's head holds: it was recorded without a
 * first-prompt fingerprint, and the transcript has a first prompt now. Such a transcript is
 * recorded again even when unchanged, once: the fingerprint is then set.
 */
export function headStillMissing(
  known: ReadonlyMap<string, KnownSession>,
  file: ProjectTranscriptFile,
  meta: TranscriptMeta | null,
): boolean {
  const prompt = meta?.firstHumanPromptRaw;
  // The fingerprint is computed from the sanitized prompt: only a prompt that gives one counts.
  return (
    known.get(file.sessionId)?.missingHead === true &&
    typeof prompt === 'string' &&
    sanitizeFirstPrompt(prompt) !== ''
  );
}
