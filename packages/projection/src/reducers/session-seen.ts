/**
 * `session_seen` reducer (docs/on-disk-format.md#folding-events-into-sessions), plus our `claude_pid`
 * and `agent`.
 *
 * @packageDocumentation
 */
import type { ParentCandidate } from '../types.js';
import { hasOwn, isObjectLike } from '../internal/values.js';
import {
  appendUnique,
  fieldsOf,
  firstNonEmptyString,
  firstString,
  setPidIfNumeric,
  upsertTranscriptFile,
} from './shared.js';
import type { Reducer } from './shared.js';

/** Fields where the latest non-null value wins (cannot be cleared by `session_seen`). */
export const LWW_FIELDS = [
  'worktree_path_observed',
  'worktree_realpath',
  'worktree_registry_name',
  'git_common_dir',
  'branch_current',
  'head_last_seen',
] as const;

/** Fields set only while the stored value is null/undefined. */
const FWW_FIELDS = ['branch_at_start', 'head_at_start', 'first_prompt_preview'] as const;

/** Applies a `session_seen` payload; mutates `record`. */
export const reduceSessionSeen: Reducer = (record, p) => {
  appendUnique(record.claude_session_ids, p.claude_session_id);
  upsertTranscriptFile(record, p.transcript_file);

  const fingerprints = p.fingerprints;
  if (isObjectLike(fingerprints)) {
    const stored = record.fingerprints;
    if (
      stored.first_human_prompt_v1 == null &&
      typeof fingerprints.first_human_prompt_v1 === 'string'
    ) {
      stored.first_human_prompt_v1 = fingerprints.first_human_prompt_v1;
    }
    if (stored.lineage_prefix_v1 == null && typeof fingerprints.lineage_prefix_v1 === 'string') {
      stored.lineage_prefix_v1 = fingerprints.lineage_prefix_v1;
    }
  }

  const fields = fieldsOf(record);
  for (const key of LWW_FIELDS) {
    const value = p[key];
    if (value !== undefined && value !== null) fields[key] = value;
  }
  for (const key of FWW_FIELDS) {
    const value = p[key];
    if (fields[key] == null && value !== undefined && value !== null) fields[key] = value;
  }
  if (typeof p.cwd === 'string' && fields.cwd == null) record.cwd = p.cwd;
  if (typeof p.agent === 'string' && p.agent !== '' && fields.agent == null) record.agent = p.agent;

  if (isObjectLike(p.identity_resolution)) fields.identity_resolution = p.identity_resolution;

  const omitted = p.parent_candidates_omitted_count;
  if (typeof omitted === 'number' && omitted >= 0 && Number.isFinite(omitted)) {
    record.parent_candidates_omitted_count = omitted;
  }
  // The original's shims for records loaded from older caches.
  if (typeof fields.parent_candidates_omitted_count !== 'number') {
    record.parent_candidates_omitted_count = 0;
  }
  if (!hasOwn(record, 'ai_title')) record.ai_title = null;

  if (Array.isArray(p.parent_candidate_ids)) {
    appendSeenCandidates(record.parent_candidate_ids, p.parent_candidate_ids);
  }

  setPidIfNumeric(record, p.claude_pid);
};

/**
 * A+D of candidates as `session_seen` does it: an incoming id is the first non-empty string among
 * `stable_id`, `parent_id`, `id` (entries without one are skipped); a stored id is the first
 * string among the same keys.
 */
function appendSeenCandidates(stored: ParentCandidate[], incoming: readonly unknown[]): void {
  for (const candidate of incoming) {
    if (!isObjectLike(candidate)) continue;
    const id = firstNonEmptyString(candidate, 'stable_id', 'parent_id', 'id');
    if (id === null) continue;
    const dup = stored.some(
      (c) => isObjectLike(c) && firstString(c, 'stable_id', 'parent_id', 'id') === id,
    );
    if (!dup) stored.push({ ...candidate } as ParentCandidate);
  }
}
