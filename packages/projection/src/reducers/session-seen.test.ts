import { describe, expect, it } from 'vitest';
import { applyEvent, emptyProjection } from '../index.js';
import type { Projection, SessionRecord } from '../index.js';
import { SID, SID_2, SID_3, at, ev, fold, keysOf, recordOf } from '../test-support/events.js';
import { LWW_FIELDS } from './session-seen.js';

const seen = (payload: Record<string, unknown>, minute = 0) =>
  ev('session_seen', payload, { ts: at(minute) });

describe('session_seen: claude_session_ids (A+D)', () => {
  it('appends new non-empty ids in order and never duplicates', () => {
    const s = recordOf([
      seen({ claude_session_id: 'cs-1' }),
      seen({ claude_session_id: 'cs-2' }, 1),
      seen({ claude_session_id: 'cs-1' }, 2),
    ]);
    expect(s.claude_session_ids).toEqual(['cs-1', 'cs-2']);
  });

  it('ignores empty strings and non-strings', () => {
    const s = recordOf([seen({ claude_session_id: '' }), seen({ claude_session_id: 42 })]);
    expect(s.claude_session_ids).toEqual([]);
  });
});

describe('session_seen: transcript_files (upsert by path, shallow merge)', () => {
  it('pushes a copy for a new path', () => {
    const tf = {
      path: '/t/a.jsonl',
      first_uuid: 'u1',
      last_uuid: 'u2',
      size: 10,
      mtime: at(0),
      status: 'ok',
    };
    const s = recordOf([seen({ transcript_file: tf })]);
    expect(s.transcript_files).toEqual([tf]);
    expect(s.transcript_files[0]).not.toBe(tf);
  });

  it('merges into the entry with the same path: incoming keys overwrite, others are kept', () => {
    const s = recordOf([
      seen({ transcript_file: { path: '/t/a.jsonl', first_uuid: 'u1', size: 10, extra: 'kept' } }),
      seen({ transcript_file: { path: '/t/b.jsonl', size: 1 } }, 1),
      seen({ transcript_file: { path: '/t/a.jsonl', size: 20, last_uuid: 'u9' } }, 2),
    ]);
    expect(s.transcript_files).toEqual([
      { path: '/t/a.jsonl', first_uuid: 'u1', size: 20, extra: 'kept', last_uuid: 'u9' },
      { path: '/t/b.jsonl', size: 1 },
    ]);
  });

  it('ignores a transcript_file that is not an object', () => {
    const s = recordOf([seen({ transcript_file: 'x' }), seen({ transcript_file: null })]);
    expect(s.transcript_files).toEqual([]);
  });
});

describe('session_seen: fingerprints (FWW, strings only)', () => {
  it('keeps the first string of each fingerprint', () => {
    const s = recordOf([
      seen({ fingerprints: { first_human_prompt_v1: 'fp1' } }),
      seen({ fingerprints: { first_human_prompt_v1: 'fpX', lineage_prefix_v1: 'lp1' } }, 1),
      seen({ fingerprints: { lineage_prefix_v1: 'lpX' } }, 2),
    ]);
    expect(s.fingerprints).toEqual({ first_human_prompt_v1: 'fp1', lineage_prefix_v1: 'lp1' });
  });

  it('ignores non-string values and a non-object fingerprints', () => {
    const s = recordOf([
      seen({ fingerprints: { first_human_prompt_v1: 5, lineage_prefix_v1: null } }),
      seen({ fingerprints: 'fp' }, 1),
    ]);
    expect(s.fingerprints).toEqual({ first_human_prompt_v1: null, lineage_prefix_v1: null });
  });
});

describe('session_seen: LWW git/worktree fields', () => {
  it.each(LWW_FIELDS)('%s: the latest non-null value wins', (key) => {
    const s = recordOf([seen({ [key]: 'first' }), seen({ [key]: 'second' }, 1)]);
    expect(s[key]).toBe('second');
  });

  it.each(LWW_FIELDS)(
    '%s: cannot be cleared by session_seen (null and absent keep the value)',
    (key) => {
      const s = recordOf([seen({ [key]: 'kept' }), seen({ [key]: null }, 1), seen({}, 2)]);
      expect(s[key]).toBe('kept');
    },
  );

  it('stores any non-null value verbatim, as the original does', () => {
    const s = recordOf([seen({ branch_current: 7 })]);
    expect((s as unknown as Record<string, unknown>).branch_current).toBe(7);
  });
});

describe('session_seen: FWW fields', () => {
  it.each(['branch_at_start', 'head_at_start', 'first_prompt_preview'] as const)(
    '%s: the first non-null value is kept',
    (key) => {
      const s = recordOf([
        seen({ [key]: null }),
        seen({ [key]: 'first' }, 1),
        seen({ [key]: 'second' }, 2),
      ]);
      expect(s[key]).toBe('first');
    },
  );
});

describe('session_seen: cwd (absent until set, set once, strings only)', () => {
  it('is added after the existing keys when first set and never changed', () => {
    const s = recordOf([seen({ cwd: 42 }), seen({ cwd: '/a' }, 1), seen({ cwd: '/b' }, 2)]);
    expect(s.cwd).toBe('/a');
    expect(keysOf(s).at(-1)).toBe('cwd');
  });

  it('stays absent when no string cwd was seen', () => {
    const s = recordOf([seen({ cwd: null })]);
    expect(Object.hasOwn(s, 'cwd')).toBe(false);
  });
});

describe('session_seen: identity_resolution (LWW, objects only)', () => {
  it('stores the latest object and ignores non-objects', () => {
    const s = recordOf([
      seen({ identity_resolution: { source: 'minted', confidence: 'minted', matched: {} } }),
      seen(
        { identity_resolution: { source: 'exact', confidence: 'high', matched: { csid: 'x' } } },
        1,
      ),
      seen({ identity_resolution: 'bogus' }, 2),
      seen({ identity_resolution: null }, 3),
    ]);
    expect(s.identity_resolution).toEqual({
      source: 'exact',
      confidence: 'high',
      matched: { csid: 'x' },
    });
  });

  it('defaults to null for legacy events without it', () => {
    expect(recordOf([seen({ claude_session_id: 'cs' })]).identity_resolution).toBeNull();
  });
});

describe('session_seen: parent_candidates_omitted_count', () => {
  it('is LWW for finite numbers >= 0', () => {
    expect(
      recordOf([seen({ parent_candidates_omitted_count: 3 })]).parent_candidates_omitted_count,
    ).toBe(3);
    const s = recordOf([
      seen({ parent_candidates_omitted_count: 3 }),
      seen({ parent_candidates_omitted_count: 0 }, 1),
    ]);
    expect(s.parent_candidates_omitted_count).toBe(0);
  });

  it('ignores negative numbers, strings and absence', () => {
    const s = recordOf([
      seen({ parent_candidates_omitted_count: 4 }),
      seen({ parent_candidates_omitted_count: -1 }, 1),
      seen({ parent_candidates_omitted_count: '9' }, 2),
      seen({}, 3),
    ]);
    expect(s.parent_candidates_omitted_count).toBe(4);
  });

  it('is reset to 0 when the stored value is not numeric (legacy cache shim)', () => {
    const p = fold(seen({}));
    (p.sessions[SID] as unknown as Record<string, unknown>).parent_candidates_omitted_count =
      'junk';
    applyEvent(p, seen({ parent_candidates_omitted_count: 'also junk' }, 1));
    expect(p.sessions[SID]?.parent_candidates_omitted_count).toBe(0);
  });
});

describe('session_seen: ai_title shim for records from a pre-0.1.6 cache', () => {
  it('adds ai_title: null at the end of a record that lacks it', () => {
    const p = legacyProjection();
    applyEvent(p, seen({}, 5));
    const s = p.sessions[SID] as SessionRecord;
    expect(s.ai_title).toBeNull();
    expect(keysOf(s).at(-1)).toBe('ai_title');
  });

  it('does not touch an existing ai_title', () => {
    const s = recordOf([ev('ai_title_seen', { ai_title: 'T' }), seen({}, 1)]);
    expect(s.ai_title).toBe('T');
  });
});

describe('session_seen: parent_candidate_ids (A+D, id = stable_id → parent_id → id)', () => {
  it('appends copies of new candidates; a repeated id keeps the first entry', () => {
    const first = { stable_id: SID_2, source: 'fingerprint', reason: { n: 1 } };
    const s = recordOf([
      seen({ parent_candidate_ids: [first] }),
      seen(
        { parent_candidate_ids: [{ stable_id: SID_2, reason: { n: 2 } }, { stable_id: SID_3 }] },
        1,
      ),
    ]);
    expect(s.parent_candidate_ids).toEqual([first, { stable_id: SID_3 }]);
    expect(s.parent_candidate_ids[0]).not.toBe(first);
  });

  it('takes the first NON-EMPTY string among stable_id, parent_id, id for the incoming entry', () => {
    const s = recordOf([
      seen({
        parent_candidate_ids: [
          { parent_id: 'P' },
          { stable_id: '', parent_id: 'P' },
          { id: 'I' },
          { id: 'I' },
        ],
      }),
    ]);
    expect(s.parent_candidate_ids).toEqual([{ parent_id: 'P' }, { id: 'I' }]);
  });

  it('quirk: a stored entry whose stable_id is "" has id "" (first string), so it matches nothing', () => {
    const s = recordOf([
      seen({ parent_candidate_ids: [{ stable_id: '', parent_id: 'P' }, { parent_id: 'P' }] }),
    ]);
    expect(s.parent_candidate_ids).toEqual([{ stable_id: '', parent_id: 'P' }, { parent_id: 'P' }]);
  });

  it('skips entries without any id, and non-objects', () => {
    const s = recordOf([
      seen({ parent_candidate_ids: [{ source: 'x' }, null, 'sess_x', 7, { id: '' }] }),
    ]);
    expect(s.parent_candidate_ids).toEqual([]);
  });

  it('reads a stored id as the first string among the same keys, so a stored stable_id shadows its parent_id', () => {
    const s = recordOf([
      seen({ parent_candidate_ids: [{ stable_id: 'A', parent_id: 'B' }] }),
      seen({ parent_candidate_ids: [{ parent_id: 'B' }, { stable_id: 'A' }] }, 1),
    ]);
    expect(s.parent_candidate_ids).toEqual([
      { stable_id: 'A', parent_id: 'B' },
      { parent_id: 'B' },
    ]);
  });

  it('dedups against entries written by manual_link (stored parent_id)', () => {
    const s = recordOf([
      ev('manual_link', { parent_candidate_ids: [{ parent_id: SID_2 }] }),
      seen({ parent_candidate_ids: [{ stable_id: SID_2 }] }, 1),
    ]);
    expect(s.parent_candidate_ids).toEqual([{ parent_id: SID_2 }]);
  });
});

describe('session_seen: claude_pid (ours)', () => {
  it('is absent until a numeric claude_pid arrives, then LWW', () => {
    expect(Object.hasOwn(recordOf([seen({ claude_pid: '12' })]), 'claude_pid')).toBe(false);
    const s = recordOf([
      seen({ claude_pid: 12 }),
      seen({ claude_pid: 34 }, 1),
      seen({ claude_pid: null }, 2),
    ]);
    expect(s.claude_pid).toBe(34);
  });
});

describe('session_seen: record creation', () => {
  it('creates the record with created_at = last_progress_at = the first event ts', () => {
    const s = recordOf([seen({ claude_session_id: 'cs' }, 3), seen({}, 7)]);
    expect(s.created_at).toBe(at(3));
    expect(s.last_progress_at).toBe(at(7));
  });
});

/** A projection whose record was saved by 0.1.5 (no ai_title key). */
function legacyProjection(): Projection {
  const p = fold(seen({}));
  const { ai_title: _dropped, ...rest } = p.sessions[SID] as SessionRecord;
  p.sessions[SID] = rest as SessionRecord;
  expect(Object.hasOwn(p.sessions[SID] as object, 'ai_title')).toBe(false);
  return p;
}

describe('session_seen: other sessions', () => {
  it('only touches the record of its stable_id', () => {
    const p = emptyProjection();
    applyEvent(p, ev('session_seen', { claude_session_id: 'a' }, { stableId: SID }));
    applyEvent(p, ev('session_seen', { claude_session_id: 'b' }, { stableId: SID_2 }));
    expect(p.sessions[SID]?.claude_session_ids).toEqual(['a']);
    expect(p.sessions[SID_2]?.claude_session_ids).toEqual(['b']);
  });
});

describe('session_seen: agent (ours, first write wins)', () => {
  it('is absent for a log that never names an agent (Claude), so such records fold unchanged', () => {
    const s = recordOf([seen({ claude_session_id: 'cs-1' })]);
    expect('agent' in s).toBe(false);
  });

  it('is set by the first non-empty string and never changed or cleared after', () => {
    const s = recordOf([
      seen({ claude_session_id: 'th-1', agent: '' }),
      seen({ claude_session_id: 'th-1', agent: 42 }, 1),
      seen({ claude_session_id: 'th-1', agent: 'codex' }, 2),
      seen({ claude_session_id: 'th-1', agent: 'claude' }, 3),
      seen({ claude_session_id: 'th-1', agent: null }, 4),
    ]);
    expect(s.agent).toBe('codex');
  });
});
