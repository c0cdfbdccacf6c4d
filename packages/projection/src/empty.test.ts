import { describe, expect, it } from 'vitest';
import { FINGERPRINT_VERSIONS, SCHEMA_VERSION, emptyProjection, emptySession } from './index.js';
import { SID, at } from './test-support/events.js';

/**
 * The docs/on-disk-format.md#folding-events-into-sessions table: every field of a new session and its
 * default, in order (JSON key order is part of compatibility; `cwd` is absent from a fresh record).
 */
const DEFAULTS_IN_ORDER: readonly (readonly [string, unknown])[] = [
  ['stable_id', SID],
  ['alias', null],
  ['ai_title', null],
  ['claude_session_ids', []],
  ['transcript_files', []],
  ['fingerprints', { first_human_prompt_v1: null, lineage_prefix_v1: null }],
  ['parent_session_id', null],
  ['parent_candidate_ids', []],
  ['parent_candidates_omitted_count', 0],
  ['identity_resolution', null],
  ['worktree_path_observed', null],
  ['worktree_realpath', null],
  ['worktree_registry_name', null],
  ['git_common_dir', null],
  ['branch_at_start', null],
  ['branch_current', null],
  ['head_at_start', null],
  ['head_last_seen', null],
  ['tasks', []],
  ['projects', []],
  ['activity_state', 'active'],
  ['outcome', 'open'],
  ['closed_at', null],
  ['closed_reason', null],
  ['created_at', at(1)],
  ['last_progress_at', at(1)],
  ['first_prompt_preview', null],
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
    expect(emptySession(SID, at(1))).toEqual(Object.fromEntries(DEFAULTS_IN_ORDER));
  });

  it('keys follow the docs/on-disk-format.md#folding-events-into-sessions table order (JSON key order is part of compatibility)', () => {
    expect(Object.keys(emptySession(SID, at(1)))).toEqual(DEFAULTS_IN_ORDER.map(([key]) => key));
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
