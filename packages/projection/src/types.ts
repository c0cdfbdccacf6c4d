/**
 * Schema-v2 projection types (docs/on-disk-format.md#folding-events-into-sessions), plus the additive fields and ops of docs/on-disk-format.md#ops.
 * Field names are the on-disk snake_case names; there is no mapping layer.
 *
 * @packageDocumentation
 */
import type {
  ClaudeSessionId,
  EventEnvelope,
  EventId,
  Iso8601,
  SessionStableId,
} from '@sessions-db/event-log/types';

export type { ClaudeSessionId, EventId, Iso8601, SessionStableId };

/** Activity state written by `sweep`. */
export type ActivityState = 'active' | 'idle' | 'archived';

/** Outcome written by `close` (the enum is enforced by the operations layer, not the reducer). */
export type Outcome = 'open' | 'done' | 'blocked' | 'abandoned' | 'merged' | 'superseded';

/** Every outcome, in the order the original lists them. */
export const OUTCOMES: readonly Outcome[] = [
  'open',
  'done',
  'blocked',
  'abandoned',
  'merged',
  'superseded',
];

/** Every activity state, in order. */
export const ACTIVITY_STATES: readonly ActivityState[] = ['active', 'idle', 'archived'];

/** Kind of a structural parent edge (our additive `parent_set.kind`). */
export type ParentKind = 'manual' | 'fork' | 'clear' | 'subagent';

/** Status of a transcript file as recorded in a session. */
export type TranscriptStatus = 'ok' | 'missing' | 'corrupted' | 'too_large';

/** A transcript file entry of a session (upserted by `path`). Extra keys are kept as written. */
export interface TranscriptFile {
  path: string;
  first_uuid: string | null;
  last_uuid: string | null;
  size: number;
  mtime: Iso8601;
  status: TranscriptStatus | string;
  /** Ours: `parentUuid` of the first uuid-bearing record. */
  first_parent_uuid?: string | null;
  /** Ours: a bounded window of the last uuids of the file (lineage matching). */
  tail_uuids?: string[];
  /** Ours: `leafUuid` of `summary` / `last-prompt` rows. */
  leaf_uuids?: string[];
  /** Ours: `logicalParentUuid` of `compact_boundary` records. */
  compact_parent_uuids?: string[];
  /** Ours: the `forkedFrom.sessionId` marker of the file, when present. */
  forked_from_session_id?: string | null;
  [extra: string]: unknown;
}

/** The two fingerprints of a session (first write wins for each). */
export interface Fingerprints {
  first_human_prompt_v1: string | null;
  lineage_prefix_v1: string | null;
}

/** A parent candidate hint (never promoted to a parent automatically). */
export interface ParentCandidate {
  stable_id?: string;
  parent_id?: string;
  id?: string;
  source?: string;
  confidence?: string;
  reason?: unknown;
  [extra: string]: unknown;
}

/** The identity audit trail stored on a record (last write wins). */
export interface IdentityResolution {
  source: string;
  confidence: string;
  matched: Record<string, unknown>;
  [extra: string]: unknown;
}

/**
 * One session record (docs/on-disk-format.md#folding-events-into-sessions). Optional fields are absent until an event sets them, exactly as
 * the original writes them, so a log of the original's ops serializes identically.
 */
export interface SessionRecord {
  stable_id: SessionStableId;
  alias: string | null;
  ai_title: string | null;
  claude_session_ids: ClaudeSessionId[];
  transcript_files: TranscriptFile[];
  fingerprints: Fingerprints;
  parent_session_id: SessionStableId | null;
  parent_candidate_ids: ParentCandidate[];
  parent_candidates_omitted_count: number;
  identity_resolution: IdentityResolution | null;
  worktree_path_observed: string | null;
  worktree_realpath: string | null;
  worktree_registry_name: string | null;
  git_common_dir: string | null;
  branch_at_start: string | null;
  branch_current: string | null;
  head_at_start: string | null;
  head_last_seen: string | null;
  tasks: string[];
  projects: string[];
  activity_state: ActivityState | string;
  outcome: Outcome | string;
  closed_at: Iso8601 | null;
  closed_reason: string | null;
  created_at: Iso8601;
  last_progress_at: Iso8601;
  first_prompt_preview: string | null;
  /** Set once by the first `session_seen` carrying a string `cwd` (absent before). */
  cwd?: string;
  /** Ours: kind of the `parent_session_id` edge (absent until a `parent_set` with `kind`). */
  parent_kind?: ParentKind | null;
  /** Ours: `/rename` title harvested from the transcript (`custom_title` payload field). */
  custom_title?: string | null;
  /** Ours: when the last `session_end` was observed. */
  ended_at?: Iso8601 | null;
  /** Ours: the reason of the last `session_end` (`clear`, `resume`, `logout`, `prompt_input_exit`, `other`). */
  end_reason?: string | null;
  /** Ours: pid of the Claude Code process last seen running this session (clear pairing). */
  claude_pid?: number | null;
  /**
   * Ours: the coding agent (`codex`); absent means `claude`, so logs without it fold unchanged.
   * Set once by the first `session_seen` carrying a non-empty string `agent`.
   */
  agent?: string;
}

/** `_meta` of the projection (docs/on-disk-format.md#the-originals-projection-file). */
export interface ProjectionMeta {
  schema_version: 2;
  fingerprint_versions: string[];
  updated: Iso8601 | null;
  event_count: number;
  last_event_id: EventId | null;
  idle_threshold_days?: number;
  archive_threshold_days?: number;
}

/** The whole projection: `_meta` and the sessions keyed by stable id in creation order. */
export interface Projection {
  _meta: ProjectionMeta;
  sessions: Record<SessionStableId, SessionRecord>;
}

/** Ops the original (0.1.x) writes and folds. */
export type OriginalOp =
  | 'session_seen'
  | 'session_link'
  | 'session_unlink'
  | 'alias_set'
  | 'parent_set'
  | 'close'
  | 'sweep'
  | 'manual_link'
  | 'ai_title_seen';

/** Ops only we write (the original ignores them). */
export type AdditiveOp = 'session_end' | 'reopen' | 'custom_title_seen';

/** Every op this package folds. */
export type KnownOp = OriginalOp | AdditiveOp;

/** `session_seen` payload (every field optional; reducers check types). */
export interface SessionSeenPayload {
  claude_session_id?: ClaudeSessionId;
  transcript_file?: TranscriptFile | null;
  fingerprints?: Partial<Fingerprints> | null;
  worktree_path_observed?: string | null;
  worktree_realpath?: string | null;
  worktree_registry_name?: string | null;
  git_common_dir?: string | null;
  branch_at_start?: string | null;
  branch_current?: string | null;
  head_at_start?: string | null;
  head_last_seen?: string | null;
  first_prompt_preview?: string | null;
  cwd?: string | null;
  identity_resolution?: IdentityResolution | null;
  parent_candidate_ids?: ParentCandidate[];
  parent_candidates_omitted_count?: number;
  /** Ours: hook `source` (startup, resume, clear, compact, fork, import). */
  source?: string;
  /** Ours: the coding agent when it is not Claude Code (`codex`). */
  agent?: string;
  /** Ours: facts kept in the log only. */
  model?: string;
  agent_type?: string;
  session_title?: string;
  claude_pid?: number;
  custom_title?: string | null;
  ai_title?: string | null;
  [extra: string]: unknown;
}

/** `session_end` payload (ours). */
export interface SessionEndPayload {
  claude_session_id: ClaudeSessionId;
  reason: string;
  transcript_file?: TranscriptFile | null;
  ai_title?: string | null;
  custom_title?: string | null;
  claude_pid?: number;
  [extra: string]: unknown;
}

/** `session_link` / `session_unlink` payload. */
export interface LinkPayload {
  tasks?: string[];
  projects?: string[];
  /** Legacy marker: a `session_link` with `remove: true` is a no-op. */
  remove?: boolean;
}

/** `alias_set` payload. */
export interface AliasSetPayload {
  alias: string | null;
}

/** `parent_set` payload; `kind` and `auto` are ours. */
export interface ParentSetPayload {
  parent_session_id: SessionStableId | null;
  kind?: ParentKind;
  auto?: boolean;
}

/** `close` payload. */
export interface ClosePayload {
  outcome: Outcome | string;
  closed_reason?: string | null;
}

/** `reopen` payload (ours). */
export interface ReopenPayload {
  reason?: string | null;
}

/** `sweep` payload. */
export interface SweepPayload {
  activity_state: ActivityState;
  effective_last_progress?: Iso8601;
}

/** `manual_link` payload. */
export interface ManualLinkPayload {
  parent_candidate_ids: ParentCandidate[];
}

/** `ai_title_seen` payload. */
export interface AiTitleSeenPayload {
  ai_title: string | null;
  source_transcript?: string;
  observed_at?: Iso8601;
}

/** `custom_title_seen` payload (ours, from Claude's `/rename`). */
export interface CustomTitleSeenPayload {
  custom_title: string | null;
  source_transcript?: string;
  observed_at?: Iso8601;
}

/** Payload type of each known op. */
export interface PayloadByOp {
  session_seen: SessionSeenPayload;
  session_end: SessionEndPayload;
  session_link: LinkPayload;
  session_unlink: LinkPayload;
  alias_set: AliasSetPayload;
  parent_set: ParentSetPayload;
  close: ClosePayload;
  reopen: ReopenPayload;
  sweep: SweepPayload;
  manual_link: ManualLinkPayload;
  ai_title_seen: AiTitleSeenPayload;
  custom_title_seen: CustomTitleSeenPayload;
}

/** A typed event of a known op. */
export type SessionEvent<Op extends KnownOp = KnownOp> = {
  [K in Op]: EventEnvelope<K, PayloadByOp[K]>;
}[Op];
