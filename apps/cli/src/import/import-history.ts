/**
 * `import`: record Claude Code's existing transcripts through the same identity pipeline as the
 * hook, oldest first, so copied-history resumes and forks link up. Everything the import decides
 * lives in this module.
 *
 * @packageDocumentation
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  listProjectTranscripts,
  listSubagentTranscripts,
  readTranscriptMeta,
} from '@sessions-db/git-transcript';
import type { GitContext, ProjectTranscriptFile } from '@sessions-db/git-transcript';
import { gatherSessionFacts } from '@sessions-db/store';
import type { SessionsStore } from '@sessions-db/store';

/** Bytes of the head and of the tail read to order transcripts (the cheap first pass). */
export const ORDER_WINDOW_BYTES = 16 * 1024;

/** Wall-clock budget for gathering the facts of one transcript (ms). */
export const FILE_BUDGET_MS = 30_000;

/** What happened to one transcript. */
export type ImportStatus =
  /** A new logical session (new stable id; a fork gets a parent). */
  | 'new'
  /** A new Claude session id that joined a known session (legacy resume copy, or fingerprint). */
  | 'linked'
  /** A known Claude session id whose transcript grew since it was recorded: facts refreshed. */
  | 'updated'
  /** Known and unchanged (same path, same size): nothing written. */
  | 'unchanged'
  /** Not recorded; see `reason`. */
  | 'skipped';

/** One session transcript and what the import did with it. */
export interface ImportedTranscript {
  readonly claude_session_id: string;
  readonly path: string;
  readonly status: ImportStatus;
  readonly stable_id: string | null;
  /** The identity tier that decided (`minted`, `claude_session_id_index`, `transcript_lineage`, …). */
  readonly identity_source: string | null;
  /** A structural parent found by identity (`fork`). */
  readonly parent: { readonly stable_id: string; readonly kind: string } | null;
  /** Subagent transcripts (`<id>/subagents/agent-*.jsonl` or legacy `agent-*.jsonl`) of this session. */
  readonly subagents: number;
  readonly first_timestamp: string | null;
  readonly last_timestamp: string | null;
  readonly reason?: string;
}

/** Totals of an import. */
export interface ImportCounts {
  readonly transcripts_scanned: number;
  readonly sessions_new: number;
  /** New Claude session ids joined to a known session (legacy resume). */
  readonly resumes_linked: number;
  readonly forks_linked: number;
  readonly sessions_updated: number;
  readonly already_known: number;
  readonly subagent_transcripts: number;
  /** Subagent transcripts whose parent session transcript was not found. */
  readonly subagents_without_parent: number;
  readonly skipped: number;
}

/** Result of {@link importHistory}. */
export interface ImportSummary {
  readonly projects_dir: string;
  readonly dry_run: boolean;
  readonly since: string | null;
  readonly counts: ImportCounts;
  /** Skipped transcripts by reason. */
  readonly skipped_by_reason: Readonly<Record<string, number>>;
  /** Files and directories that could not be listed. */
  readonly listing_errors: readonly { readonly path: string; readonly message: string }[];
  readonly transcripts: readonly ImportedTranscript[];
}

/** Options of {@link importHistory}. */
export interface ImportOptions {
  /** A Claude Code `projects` directory, or one project directory inside it. */
  readonly from: string;
  /** Claude Code's configuration directory (for locating transcripts exactly). */
  readonly claudeHome: string;
  /** Skip transcripts whose last activity is before this ISO time. */
  readonly since?: string | undefined;
  readonly dryRun: boolean;
  /** false → no prompt preview stored (`SESSIONS_DB_STORE_PREVIEW=0`). */
  readonly storePreview: boolean;
  /** Epoch ms, used when a transcript carries no timestamp at all. */
  readonly now: number;
  readonly onProgress?: (done: number, total: number) => void;
}

interface OrderedTranscript {
  readonly file: ProjectTranscriptFile;
  readonly first: string | null;
  readonly last: string | null;
  /** Sort key: first timestamp, else mtime. */
  readonly key: string;
  /** The file starts with copied history (a fork or a legacy resume): after its origin on a tie. */
  readonly copy: boolean;
}

function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The directories that hold session transcripts: `from` itself when it holds `*.jsonl`, else its sub-directories. */
function projectDirsOf(from: string): string[] {
  const entries = readdirSync(from, { withFileTypes: true });
  if (entries.some((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))) return [from];
  return entries
    .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
    .map((entry) => join(from, entry.name))
    .sort();
}

/**
 * The ordering facts of a transcript from small head and tail windows (a larger read when a line
 * is huge): first and last timestamps, and whether it opens with copied history — a `forkedFrom`
 * marker, or records of another session id (a legacy resume copy). A copy keeps the timestamps of
 * what it copied, so it ties with its origin and must come after it.
 */
function readOrderFacts(file: ProjectTranscriptFile): {
  first: string | null;
  last: string | null;
  copy: boolean;
} {
  let meta = readTranscriptMeta(file.path, {
    headBytes: ORDER_WINDOW_BYTES,
    tailBytes: ORDER_WINDOW_BYTES,
    maxUuids: 1,
  });
  if (meta.firstTimestamp === null && meta.status === 'too_large')
    meta = readTranscriptMeta(file.path, { maxUuids: 1 });
  const copy =
    meta.forkedFrom !== null || (meta.sessionId !== null && meta.sessionId !== file.sessionId);
  return { first: meta.firstTimestamp, last: meta.lastTimestamp, copy };
}

/** Oldest first; on the same first timestamp an origin before its copies; then by path. */
function compareOrder(a: OrderedTranscript, b: OrderedTranscript): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.copy !== b.copy) return a.copy ? 1 : -1;
  return a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0;
}

function emptyCounts(): { -readonly [K in keyof ImportCounts]: number } {
  return {
    transcripts_scanned: 0,
    sessions_new: 0,
    resumes_linked: 0,
    forks_linked: 0,
    sessions_updated: 0,
    already_known: 0,
    subagent_transcripts: 0,
    subagents_without_parent: 0,
    skipped: 0,
  };
}

/**
 * Whether the store already holds this transcript as it is now: its Claude session id is known
 * and the session's transcript entry for this path has the same size. Claude Code only appends to
 * a transcript, so an unchanged size means nothing new to record.
 */
function isUnchanged(store: SessionsStore, file: ProjectTranscriptFile): boolean {
  if (!store.hasClaudeSession(file.sessionId)) return false;
  const found = store.getSession(file.sessionId);
  if (!found.ok) return false;
  return found.session.transcript_files.some(
    (entry) => entry.path === file.path && entry.size === file.size,
  );
}

/**
 * Import the transcripts under `options.from` into `store`, oldest first (by each transcript's
 * first timestamp, read from a small head window; a copy after its origin on a tie), one file at
 * a time: each is recorded with `session_seen` at its first timestamp through
 * `gatherSessionFacts` (the hook's pipeline, source `import`), then `session_end` (reason
 * `import`) at its last timestamp so last progress is the real last activity. A transcript whose
 * Claude session id is known with the same path and size is skipped (idempotent). Subagent
 * transcripts are counted under their parent session, never recorded as sessions.
 *
 * @throws when `options.from` cannot be read (the caller reports it).
 */
export async function importHistory(
  store: SessionsStore,
  options: ImportOptions,
): Promise<ImportSummary> {
  const projectDirs = projectDirsOf(options.from);
  const listed = listProjectTranscripts(dirname(options.from), { projectDirs });
  const listingErrors = listed.errors.map((error) => ({
    path: error.path,
    message: error.message,
  }));

  const gitCache = new Map<string, Promise<GitContext>>();
  const subagentsBySession = new Map<string, number>();
  let subagentTotal = 0;
  for (const dir of projectDirs) {
    const subagents = listSubagentTranscripts(dir);
    listingErrors.push(
      ...subagents.errors.map((error) => ({ path: error.path, message: error.message })),
    );
    for (const subagent of subagents.subagents) {
      subagentTotal += 1;
      const parent = subagent.parentSessionId ?? '';
      subagentsBySession.set(parent, (subagentsBySession.get(parent) ?? 0) + 1);
    }
  }

  const counts = emptyCounts();
  const skippedByReason: Record<string, number> = {};
  const results: ImportedTranscript[] = [];
  const skip = (base: Omit<ImportedTranscript, 'status' | 'reason'>, reason: string): void => {
    counts.skipped += 1;
    skippedByReason[reason] = (skippedByReason[reason] ?? 0) + 1;
    results.push({ ...base, status: 'skipped', reason });
  };

  const ordered: OrderedTranscript[] = [];
  for (const file of listed.transcripts) {
    const { first, last, copy } = readOrderFacts(file);
    ordered.push({ file, first, last, copy, key: first ?? isoOrNull(file.mtimeMs) ?? '' });
  }
  ordered.sort(compareOrder);

  counts.transcripts_scanned = ordered.length;
  const sessionIds = new Set(ordered.map((entry) => entry.file.sessionId));
  for (const [parent, n] of subagentsBySession) {
    if (sessionIds.has(parent)) counts.subagent_transcripts += n;
  }
  counts.subagents_without_parent = subagentTotal - counts.subagent_transcripts;

  let done = 0;
  for (const { file, first, last } of ordered) {
    options.onProgress?.(done, ordered.length);
    done += 1;
    const base = {
      claude_session_id: file.sessionId,
      path: file.path,
      stable_id: null,
      identity_source: null,
      parent: null,
      subagents: subagentsBySession.get(file.sessionId) ?? 0,
      first_timestamp: first,
      last_timestamp: last,
    };
    const lastActivity = last ?? isoOrNull(file.mtimeMs);
    if (options.since !== undefined && lastActivity !== null && lastActivity < options.since) {
      skip(base, 'older than --since');
      continue;
    }
    if (file.size === 0) {
      skip(base, 'empty transcript');
      continue;
    }
    if (isUnchanged(store, file)) {
      counts.already_known += 1;
      const found = store.getSession(file.sessionId);
      results.push({
        ...base,
        status: 'unchanged',
        stable_id: found.ok ? found.session.stable_id : null,
      });
      continue;
    }
    const known = store.hasClaudeSession(file.sessionId);
    if (options.dryRun) {
      if (known) counts.sessions_updated += 1;
      else counts.sessions_new += 1;
      results.push({ ...base, status: known ? 'updated' : 'new' });
      continue;
    }

    const startedAt = first !== null ? Date.parse(first) : options.now;
    const gathered = await gatherSessionFacts({
      claudeSessionId: file.sessionId,
      source: 'import',
      hookEvent: 'import',
      transcriptPath: file.path,
      claudeHome: options.claudeHome,
      deadline: Date.now() + FILE_BUDGET_MS,
      storePreview: options.storePreview,
      now: Number.isFinite(startedAt) ? startedAt : options.now,
      gitCache,
    });
    const transcript = gathered.transcript;
    if (
      transcript === null ||
      transcript.status === 'missing' ||
      transcript.status === 'corrupted'
    ) {
      skip(
        base,
        `unreadable transcript (${transcript?.reason ?? transcript?.status ?? 'not found'})`,
      );
      continue;
    }
    if (
      transcript.firstUuid === null &&
      transcript.firstHumanPromptRaw === null &&
      transcript.status === 'ok'
    ) {
      skip(base, 'no conversation records');
      continue;
    }
    const firstTs =
      transcript.firstTimestamp ?? first ?? transcript.mtime ?? new Date(options.now).toISOString();
    const lastTs = transcript.lastTimestamp ?? last;
    const endsLater = lastTs !== null && lastTs > firstTs;

    const seen = store.recordSessionSeen(
      {
        facts: gathered.facts,
        payload: gathered.seenPayload,
        ...(endsLater ? {} : { titles: gathered.titles }),
      },
      { ts: firstTs, storeFirstPrompt: options.storePreview },
    );
    if (!seen.ok) {
      skip(base, `not recorded (${seen.error.code}: ${seen.error.message})`);
      continue;
    }
    if (endsLater) {
      const ended = store.recordSessionEnd(
        {
          facts: gathered.facts,
          payload: {
            claude_session_id: file.sessionId,
            reason: 'import',
            transcript_file: gathered.seenPayload.transcript_file ?? null,
          },
          titles: gathered.titles,
        },
        { ts: lastTs, storeFirstPrompt: options.storePreview },
      );
      if (!ended.ok) {
        skip(base, `end not recorded (${ended.error.code}: ${ended.error.message})`);
        continue;
      }
    }

    const identity = seen.identity;
    const parent =
      identity.parent === undefined
        ? null
        : { stable_id: identity.parent.stableId, kind: identity.parent.kind };
    let status: ImportStatus;
    if (identity.source === 'claude_session_id_index') {
      status = 'updated';
      counts.sessions_updated += 1;
    } else if (seen.minted) {
      status = 'new';
      counts.sessions_new += 1;
      if (parent?.kind === 'fork') counts.forks_linked += 1;
    } else {
      status = 'linked';
      counts.resumes_linked += 1;
    }
    results.push({
      ...base,
      status,
      stable_id: seen.stableId,
      identity_source: identity.source,
      parent,
    });
  }
  options.onProgress?.(ordered.length, ordered.length);

  return {
    projects_dir: options.from,
    dry_run: options.dryRun,
    since: options.since ?? null,
    counts,
    skipped_by_reason: skippedByReason,
    listing_errors: listingErrors,
    transcripts: results,
  };
}
