import type { Projection, SessionRecord } from '@sessions-db/projection';
import { describe, expect, it } from 'vitest';
import { createMemoryIdentityIndex } from './memory-identity-index.js';
import {
  HOUR,
  csid,
  iso,
  makeRecord,
  stableId,
  transcriptFile,
  uuid,
} from './test-support/records.js';

const A = stableId(1);
const B = stableId(2);
const C = stableId(3);

function projectionOf(records: SessionRecord[]): Projection {
  return {
    _meta: {
      schema_version: 2,
      fingerprint_versions: ['first_human_prompt_v1', 'lineage_prefix_v1'],
      updated: null,
      event_count: records.length,
      last_event_id: null,
    },
    sessions: Object.fromEntries(records.map((record) => [record.stable_id, record])),
  };
}

const records: SessionRecord[] = [
  makeRecord(A, {
    claude_session_ids: [csid(1), csid(11)],
    cwd: '/home/dev/src/payments',
    worktree_realpath: '/home/dev/src/payments',
    branch_at_start: 'main',
    fingerprints: {
      first_human_prompt_v1: 'aaaaaaaaaaaaaaaa',
      lineage_prefix_v1: '1111111111111111',
    },
    transcript_files: [
      transcriptFile(
        '/home/dev/.claude/projects/-home-dev-src-payments/a.jsonl',
        uuid(1),
        uuid(9),
        {
          first_parent_uuid: uuid(0),
          tail_uuids: [uuid(7), uuid(8), uuid(9)],
          leaf_uuids: [uuid(9)],
          compact_parent_uuids: [uuid(4)],
        },
      ),
    ],
    claude_pid: 4242,
    end_reason: 'clear',
    ended_at: iso(-5_000),
  }),
  makeRecord(B, {
    claude_session_ids: [csid(2)],
    fingerprints: { first_human_prompt_v1: 'aaaaaaaaaaaaaaaa', lineage_prefix_v1: null },
    transcript_files: [transcriptFile('/tmp/b.jsonl', uuid(1), uuid(20))],
    claude_pid: 4242,
    end_reason: 'other',
    ended_at: iso(-3_000),
  }),
  // A skeleton record (created by an alias_set, say): no csid, nothing indexed.
  makeRecord(C, { claude_pid: 4242, end_reason: 'clear', ended_at: iso(-60 * HOUR) }),
];

describe.each([
  ['a projection', () => createMemoryIdentityIndex(projectionOf(records))],
  ['an iterable of records', () => createMemoryIdentityIndex(new Set(records))],
])('createMemoryIdentityIndex from %s', (_label, build) => {
  const index = build();

  it('finds records by claude session id; unknown, empty never match', () => {
    expect(index.findByClaudeSessionId(csid(11)).map((c) => c.stable_id)).toEqual([A]);
    expect(index.findByClaudeSessionId(csid(2)).map((c) => c.stable_id)).toEqual([B]);
    expect(index.findByClaudeSessionId(csid(99))).toEqual([]);
    expect(index.findByClaudeSessionId('')).toEqual([]);
  });

  it('returns the corroborator fields, null where absent', () => {
    const [a] = index.findByClaudeSessionId(csid(1));
    expect(a).toEqual({
      stable_id: A,
      cwd: '/home/dev/src/payments',
      worktree_realpath: '/home/dev/src/payments',
      branch_at_start: 'main',
      last_progress_at: iso(-HOUR),
      created_at: iso(-2 * HOUR),
      fingerprints: {
        first_human_prompt_v1: 'aaaaaaaaaaaaaaaa',
        lineage_prefix_v1: '1111111111111111',
      },
    });
    expect(index.findByClaudeSessionId(csid(2))[0]?.cwd).toBeNull();
  });

  it('finds transcript uuids with their roles', () => {
    const asked = [0, 1, 4, 8, 9, 20, 55];
    const label = new Map(asked.map((n) => [uuid(n), `u${n}`]));
    const hits = index
      .findByTranscriptUuids(asked.map((n) => uuid(n)))
      .map((hit) => `${hit.stable_id === A ? 'A' : 'B'}:${label.get(hit.matched_uuid)}:${hit.role}`)
      .sort();
    expect(hits).toEqual(
      [
        'A:u0:head',
        'A:u1:first',
        'A:u4:boundary',
        'A:u8:tail',
        'A:u9:last',
        'A:u9:leaf',
        'A:u9:tail',
        'B:u1:first',
        'B:u20:last',
      ].sort(),
    );
    expect(index.findByTranscriptUuids([])).toEqual([]);
    expect(index.findByTranscriptUuids([''])).toEqual([]);
  });

  it('finds records by exact fingerprint', () => {
    expect(
      index
        .findByFingerprint('first_human_prompt_v1', 'aaaaaaaaaaaaaaaa')
        .map((c) => c.stable_id)
        .sort(),
    ).toEqual([A, B]);
    expect(
      index.findByFingerprint('lineage_prefix_v1', '1111111111111111').map((c) => c.stable_id),
    ).toEqual([A]);
    expect(index.findByFingerprint('lineage_prefix_v1', 'aaaaaaaaaaaaaaaa')).toEqual([]);
    expect(index.findByFingerprint('first_human_prompt_v1', '')).toEqual([]);
  });

  it('finds recent clear ends by pid, since inclusive', () => {
    const ends = index.findRecentClearEnds(4242, Date.parse(iso(-5_000)));
    expect(ends.map((end) => [end.stable_id, end.claude_pid, end.ended_at])).toEqual([
      [A, 4242, iso(-5_000)],
    ]);
    expect(index.findRecentClearEnds(4242, Date.parse(iso(-4_999)))).toEqual([]);
    expect(index.findRecentClearEnds(4243, 0)).toEqual([]);
    expect(
      index
        .findRecentClearEnds(4242, 0)
        .map((end) => end.stable_id)
        .sort(),
    ).toEqual([A, C]);
  });
});

it('lets a later record with the same stable id replace the earlier one', () => {
  const first = makeRecord(A, { claude_session_ids: [csid(1)] });
  const second = makeRecord(A, { claude_session_ids: [csid(2)] });
  const index = createMemoryIdentityIndex([first, second]);
  expect(index.findByClaudeSessionId(csid(1))).toEqual([]);
  expect(index.findByClaudeSessionId(csid(2)).map((c) => c.stable_id)).toEqual([A]);
});
