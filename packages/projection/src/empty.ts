/**
 * The empty projection and the default session record (docs/on-disk-format.md#the-originals-projection-file).
 *
 * @packageDocumentation
 */
import type { Iso8601, Projection, SessionRecord, SessionStableId } from './types.js';

/** `_meta.schema_version`: constant 2 for every version of the format. */
export const SCHEMA_VERSION = 2;

/** `_meta.fingerprint_versions` of a new projection (informational). */
export const FINGERPRINT_VERSIONS: readonly string[] = [
  'first_human_prompt_v1',
  'lineage_prefix_v1',
];

/** A new projection: no sessions, `event_count` 0, `updated` and `last_event_id` null. */
export function emptyProjection(): Projection {
  return {
    _meta: {
      schema_version: SCHEMA_VERSION,
      fingerprint_versions: [...FINGERPRINT_VERSIONS],
      updated: null,
      event_count: 0,
      last_event_id: null,
    },
    sessions: {},
  };
}

/**
 * The default record of a session first seen at `ts` (`created_at` = `last_progress_at` = `ts`).
 * Keys are in the original's order (the docs/on-disk-format.md#folding-events-into-sessions table); `cwd` and our additive fields are
 * absent until an event sets them.
 */
export function emptySession(stableId: SessionStableId, ts: Iso8601): SessionRecord {
  return createRecord(stableId, ts);
}

/**
 * Like {@link emptySession}, for an event that may lack a `ts`: the original then leaves
 * `created_at` and `last_progress_at` undefined (absent from the JSON), and so do we.
 *
 * @internal
 */
export function createRecord(stableId: SessionStableId, ts: Iso8601 | undefined): SessionRecord {
  return {
    stable_id: stableId,
    alias: null,
    ai_title: null,
    claude_session_ids: [],
    transcript_files: [],
    fingerprints: {
      first_human_prompt_v1: null,
      lineage_prefix_v1: null,
    },
    parent_session_id: null,
    parent_candidate_ids: [],
    parent_candidates_omitted_count: 0,
    identity_resolution: null,
    worktree_path_observed: null,
    worktree_realpath: null,
    worktree_registry_name: null,
    git_common_dir: null,
    branch_at_start: null,
    branch_current: null,
    head_at_start: null,
    head_last_seen: null,
    tasks: [],
    projects: [],
    activity_state: 'active',
    outcome: 'open',
    closed_at: null,
    closed_reason: null,
    // The SessionRecord type does not model a ts-less event (a hand-edited log); the original
    // stores `undefined` here, which JSON.stringify omits, and so do we.
    created_at: ts as Iso8601,
    last_progress_at: ts as Iso8601,
    first_prompt_preview: null,
  };
}
