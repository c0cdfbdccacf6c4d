import { describe, expect, it } from 'vitest';
import { FINGERPRINT_VERSIONS, SCHEMA_VERSION, emptyProjection, emptySession } from './index.js';
import { SID, at } from './test-support/events.js';

/** The docs/on-disk-format.md#folding-events-into-sessions table, in order (without `cwd`, which is absent from a fresh record). */
const SPEC_KEY_ORDER = [
  'stable_id',
  'alias',
  'ai_title',
  'claude_session_ids',
  'transcript_files',
  'fingerprints',
  'parent_session_id',
  'parent_candidate_ids',
  'parent_candidates_omitted_count',
  'identity_resolution',
  'worktree_path_observed',
  'worktree_realpath',
  'worktree_registry_name',
  'git_common_dir',
  'branch_at_start',
  'branch_current',
  'head_at_start',
  'head_last_seen',
  'tasks',
  'projects',
  'activity_state',
  'outcome',
  'closed_at',
  'closed_reason',
  'created_at',
  'last_progress_at',
  'first_prompt_preview',
];

describe('emptyProjection (docs/on-disk-format.md#the-originals-projection-file)', () => {
  it('has the _meta defaults in the original key order and no sessions', () => {
    const p = emptyProjection();
    expect(Object.keys(p._meta)).toEqual([
      'schema_version',
      'fingerprint_versions',
      'updated',
      'event_count',
      'last_event_id',
    ]);
    expect(p._meta).toEqual({
      schema_version: 2,
      fingerprint_versions: ['first_human_prompt_v1', 'lineage_prefix_v1'],
      updated: null,
      event_count: 0,
      last_event_id: null,
    });
    expect(SCHEMA_VERSION).toBe(2);
    expect(FINGERPRINT_VERSIONS).toEqual(['first_human_prompt_v1', 'lineage_prefix_v1']);
    expect(p.sessions).toEqual({});
  });

  it('returns independent objects on every call', () => {
    const a = emptyProjection();
    a._meta.fingerprint_versions.push('x');
    expect(emptyProjection()._meta.fingerprint_versions).toHaveLength(2);
  });
});

describe('emptySession (docs/on-disk-format.md#folding-events-into-sessions)', () => {
  it('has every default of the table', () => {
    expect(emptySession(SID, at(1))).toEqual({
      stable_id: SID,
      alias: null,
      ai_title: null,
      claude_session_ids: [],
      transcript_files: [],
      fingerprints: { first_human_prompt_v1: null, lineage_prefix_v1: null },
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
      created_at: at(1),
      last_progress_at: at(1),
      first_prompt_preview: null,
    });
  });

  it('keys follow the docs/on-disk-format.md#folding-events-into-sessions table order (JSON key order is part of compatibility)', () => {
    expect(Object.keys(emptySession(SID, at(1)))).toEqual(SPEC_KEY_ORDER);
  });

  it('cwd and every additive field are absent, not null', () => {
    const s = emptySession(SID, at(1));
    for (const key of [
      'cwd',
      'parent_kind',
      'custom_title',
      'ended_at',
      'end_reason',
      'claude_pid',
    ]) {
      expect(Object.hasOwn(s, key), key).toBe(false);
    }
  });
});
