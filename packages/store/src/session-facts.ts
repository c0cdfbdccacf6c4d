import { existsSync } from 'node:fs';
import { computeFingerprints } from '@sessions-db/identity';
import type { IdentityFacts, IdentityHookEvent, IdentityStartSource } from '@sessions-db/identity';
import {
  findTranscript,
  parseRolloutName,
  readCodexRolloutMeta,
  readGitContext,
  readTranscriptMeta,
  redactOptional,
  redactSecrets,
  sanitizeFirstPrompt,
} from '@sessions-db/git-transcript';
import type { AgentName, GitContext, TranscriptMeta } from '@sessions-db/git-transcript';
import type {
  SessionEndPayload,
  SessionSeenPayload,
  TranscriptFile,
} from '@sessions-db/projection';

import type { HarvestedTitles } from './types.js';
import { isNonEmptyString } from './values.js';

/** Leaf and boundary uuids kept in the stored transcript entry (bounded to fit the event cap). */
export const STORED_MARKER_UUIDS = 4;
/** Default time budget of the whole gathering when no deadline is given (ms). */
export const DEFAULT_GATHER_BUDGET_MS = 1500;

/** What the hook or `import` knows about one Claude Code session. */
export type GatherInput = GatherCommonInput & (LocateTranscript | ReadTranscript);

/** The hook: locate the transcript under Claude's home and read it. */
export interface LocateTranscript {
  /** The hook payload's `transcript_path` (trusted only when it names `<csid>.jsonl`). */
  readonly transcriptPath?: string | null;
  /** Claude Code's configuration directory (`resolveClaudeHome`). */
  readonly claudeHome: string;
}

/** `import`: the caller has already read the transcript (each is read once). */
export interface ReadTranscript {
  readonly transcript: TranscriptMeta;
}

/** What every gathering knows. */
export interface GatherCommonInput {
  /** The agent's own session id (Claude's session id, Codex's thread id). */
  readonly claudeSessionId: string;
  /**
   * The coding agent (default `claude`). `codex`: the transcript is a rollout (located only by the
   * hook's `transcript_path` naming this thread), no fingerprints are computed (a Codex thread id
   * never changes, so a session is never merged by its prompt), and the payload carries `agent`.
   */
  readonly agent?: AgentName;
  /** The session's working directory (hook payload `cwd`); for import, the transcript's `cwd`. */
  readonly cwd?: string | null;
  readonly source?: IdentityStartSource | null;
  readonly hookEvent: IdentityHookEvent;
  readonly claudePid?: number | null;
  /** Absolute deadline on the monotonic clock (`performance.now()` ms) (default: `budgetMs` from the call). */
  readonly deadline?: number;
  /** Time budget from the call when no `deadline` is given (default 1500 ms). */
  readonly budgetMs?: number;
  /** false → no prompt preview in the payload (fingerprints are still computed). */
  readonly storePreview?: boolean;
  /** Epoch ms (default `Date.now()`). */
  readonly now?: number;
  /** SessionEnd reason; when given, `endPayload` is built. */
  readonly reason?: string | null;
  readonly model?: string | null;
  readonly agentType?: string | null;
  readonly sessionTitle?: string | null;
  /**
   * Git facts per working directory, shared across calls (import reads many transcripts of the
   * same repositories; each directory is read once).
   */
  readonly gitCache?: Map<string, Promise<GitContext>>;
  /** false → no git facts are read (a late head fill needs only the transcript). Default true. */
  readonly readGit?: boolean;
}

/** The facts and payloads for `recordSessionSeen` / `recordSessionEnd`. */
export interface GatheredSession {
  readonly facts: IdentityFacts;
  readonly seenPayload: SessionSeenPayload;
  readonly endPayload?: SessionEndPayload;
  readonly titles: HarvestedTitles;
  readonly transcript: TranscriptMeta | null;
  readonly git: GitContext | null;
  /** Milliseconds spent per step (`transcript`, `git`). */
  readonly timings: Readonly<Record<string, number>>;
}

function last<T>(list: readonly T[], n: number): T[] {
  return list.slice(Math.max(0, list.length - n));
}

/**
 * The stored transcript entry: the `transcript_file` of docs/on-disk-format.md#ops plus the lineage markers the index
 * looks new transcripts up by (first parent, leaves, compaction boundaries, fork origin). The
 * uuid windows of the file are identity facts only, never stored: the first and last uuid are
 * what a copy of this session's history shares with it.
 */
export function transcriptFileOf(meta: TranscriptMeta): TranscriptFile | null {
  if (meta.status === 'missing' || meta.size === null || meta.mtime === null) return null;
  const entry: TranscriptFile = {
    path: meta.path,
    first_uuid: meta.firstUuid,
    last_uuid: meta.lastUuid,
    size: meta.size,
    mtime: meta.mtime,
    status: meta.status,
  };
  if (meta.firstParentUuid !== null) entry.first_parent_uuid = meta.firstParentUuid;
  if (meta.leafUuids.length > 0) entry.leaf_uuids = last(meta.leafUuids, STORED_MARKER_UUIDS);
  if (meta.compactBoundaries.length > 0)
    entry.compact_parent_uuids = last(meta.compactBoundaries, STORED_MARKER_UUIDS);
  if (meta.forkedFrom !== null) entry.forked_from_session_id = meta.forkedFrom.sessionId;
  return entry;
}

/** A Codex rollout named by the hook's `transcript_path`, trusted only when it names this thread. */
function locateCodexRollout(
  path: string | null,
  threadId: string,
  deadline: number,
): TranscriptMeta | null {
  if (path === null || parseRolloutName(path)?.threadId !== threadId.toLowerCase()) return null;
  const meta = readCodexRolloutMeta(path, { deadline });
  return meta.status === 'missing' ? null : meta;
}

function readGitCached(
  cwd: string,
  deadline: number,
  cache: Map<string, Promise<GitContext>> | undefined,
): Promise<GitContext> {
  if (cache === undefined) return readGitContext(cwd, { deadline });
  let pending = cache.get(cwd);
  if (pending === undefined) {
    pending = readGitContext(cwd, { deadline });
    cache.set(cwd, pending);
  }
  return pending;
}

/**
 * Gather what is known about a session, the same way for the hook and for `import`: locate its
 * transcript EXACTLY (never another session's file), read only its head and tail, read git facts
 * from `.git`, sanitize the preview and compute fingerprints. Never throws on odd input; each step
 * respects the one deadline.
 */
export async function gatherSessionFacts(input: GatherInput): Promise<GatheredSession> {
  let clock = performance.now();
  const deadline = input.deadline ?? clock + (input.budgetMs ?? DEFAULT_GATHER_BUDGET_MS);
  const timings: Record<string, number> = {};

  let transcript: TranscriptMeta | null;
  if ('transcript' in input) {
    transcript = input.transcript;
  } else if (input.agent === 'codex') {
    transcript = locateCodexRollout(input.transcriptPath ?? null, input.claudeSessionId, deadline);
  } else {
    const found = findTranscript({
      claudeHome: input.claudeHome,
      cwd: input.cwd ?? null,
      sessionId: input.claudeSessionId,
      transcriptPath: input.transcriptPath ?? null,
    });
    transcript = found === null ? null : readTranscriptMeta(found.path, { deadline });
  }
  timings['transcript'] = performance.now() - clock;

  const cwd = isNonEmptyString(input.cwd) ? input.cwd : (transcript?.cwd ?? null);
  clock = performance.now();
  const git =
    input.readGit !== false && cwd !== null && existsSync(cwd)
      ? await readGitCached(cwd, deadline, input.gitCache)
      : null;
  timings['git'] = performance.now() - clock;
  const inRepo = git !== null && (git.status === 'ok' || git.status === 'partial');
  // An imported transcript is history: the repository's branch and HEAD today say nothing about
  // the session, so its branch comes from the transcript and its HEAD is unknown.
  const historical = input.hookEvent === 'import';

  const sanitized = sanitizeFirstPrompt(transcript?.firstHumanPromptRaw ?? '');
  // What is stored and shown carries no credential; the fingerprints keep the original's input.
  const preview = sanitizeFirstPrompt(transcript?.firstHumanPromptRaw ?? '', { redact: true });
  const codex = input.agent === 'codex';
  const fingerprints = computeFingerprints({
    sanitizedPrompt: codex ? '' : sanitized,
    firstUuid: codex ? null : (transcript?.firstUuid ?? null),
    firstParentUuid: codex ? null : (transcript?.firstParentUuid ?? null),
  });
  const transcriptFile = transcript === null ? null : transcriptFileOf(transcript);
  const branch = inRepo && !historical ? git.branch : (transcript?.gitBranch ?? null);
  const head = inRepo && !historical ? git.head : null;

  const facts: IdentityFacts = {
    claudeSessionId: input.claudeSessionId,
    now: input.now ?? Date.now(),
    hookEvent: input.hookEvent,
    // A SessionEnd's reason describes the session that ends; it has no start source.
    source: input.hookEvent === 'SessionEnd' ? null : (input.source ?? null),
    claudePid: input.claudePid ?? null,
    cwd,
    worktreeRealpath: inRepo ? git.worktreeRealpath : null,
    branch,
    firstUuid: transcript?.firstUuid ?? null,
    firstParentUuid: transcript?.firstParentUuid ?? null,
    lastUuid: transcript?.lastUuid ?? null,
    headUuids: transcript?.headUuids ?? null,
    tailUuids: transcript?.tailUuids ?? null,
    compactBoundaries: transcript?.compactBoundaries ?? null,
    leafUuids: transcript?.leafUuids ?? null,
    forkedFrom: transcript?.forkedFrom ?? null,
    clearedFrom: transcript?.clearedFrom ?? null,
    transcriptVersion: transcript?.version ?? null,
    fingerprints,
    firstPrompt: sanitized.length > 0 ? sanitized : null,
  };

  const seenPayload: SessionSeenPayload = {
    claude_session_id: input.claudeSessionId,
    branch_at_start: branch,
    branch_current: branch,
    head_at_start: head,
    head_last_seen: head,
    worktree_path_observed: (inRepo ? git.worktreePath : null) ?? cwd,
    worktree_realpath: inRepo ? git.worktreeRealpath : null,
    worktree_registry_name: null,
    git_common_dir: inRepo ? git.gitCommonDir : null,
    transcript_file: transcriptFile,
    fingerprints,
    first_prompt_preview: input.storePreview === false || preview.length === 0 ? null : preview,
    ...(cwd === null ? {} : { cwd }),
    ...(codex ? { agent: 'codex' } : {}),
    ...(isNonEmptyString(input.source) ? { source: input.source } : {}),
    ...(isNonEmptyString(input.model) ? { model: input.model } : {}),
    ...(isNonEmptyString(input.agentType) ? { agent_type: input.agentType } : {}),
    ...(isNonEmptyString(input.sessionTitle)
      ? { session_title: redactSecrets(input.sessionTitle) }
      : {}),
  };

  const titles: HarvestedTitles = {
    aiTitle: redactOptional(transcript?.aiTitle),
    // The payload's `session_title` is the name the session already has (`/rename`): a custom
    // title, used when the transcript (not written yet, often) does not say.
    customTitle: redactOptional(transcript?.customTitle ?? nonBlank(input.sessionTitle)),
    sourceTranscript: transcript?.path ?? null,
  };

  const endPayload: SessionEndPayload | undefined = isNonEmptyString(input.reason)
    ? {
        claude_session_id: input.claudeSessionId,
        reason: input.reason,
        transcript_file: transcriptFile,
      }
    : undefined;

  return {
    facts,
    seenPayload,
    ...(endPayload === undefined ? {} : { endPayload }),
    titles,
    transcript,
    git,
    timings,
  };
}

/** A string with something other than whitespace, else null. */
function nonBlank(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
