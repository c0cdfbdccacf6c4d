import { describe, expect, it } from 'vitest';
import { at, ev, recordOf } from '../test-support/events.js';

const manual = (candidates: unknown, minute = 0) =>
  ev('manual_link', { parent_candidate_ids: candidates }, { ts: at(minute) });

describe('manual_link (A+D by parent_id → id only)', () => {
  it('appends copies of new entries and dedups by parent_id', () => {
    const entry = { parent_id: 'P', note: 'first' };
    const s = recordOf([
      manual([entry]),
      manual([{ parent_id: 'P', note: 'second' }, { parent_id: 'Q' }], 1),
    ]);
    expect(s.parent_candidate_ids).toEqual([entry, { parent_id: 'Q' }]);
    expect(s.parent_candidate_ids[0]).not.toBe(entry);
  });

  it('falls back to id when there is no string parent_id', () => {
    const s = recordOf([manual([{ id: 'I' }, { id: 'I' }, { parent_id: 'I' }])]);
    expect(s.parent_candidate_ids).toEqual([{ id: 'I' }]);
  });

  it('quirk: entries with neither parent_id nor id are always appended (no dedup)', () => {
    const s = recordOf([manual([{ stable_id: 'S' }]), manual([{ stable_id: 'S' }], 1)]);
    expect(s.parent_candidate_ids).toEqual([{ stable_id: 'S' }, { stable_id: 'S' }]);
  });

  it('quirk: does not look at stable_id, so a session_seen candidate can appear twice', () => {
    const s = recordOf([
      ev('session_seen', { parent_candidate_ids: [{ stable_id: 'S' }] }),
      manual([{ parent_id: 'S' }], 1),
    ]);
    expect(s.parent_candidate_ids).toEqual([{ stable_id: 'S' }, { parent_id: 'S' }]);
  });

  it('an empty-string parent_id is an id (it dedups against another empty one)', () => {
    const s = recordOf([manual([{ parent_id: '' }, { parent_id: '', x: 1 }])]);
    expect(s.parent_candidate_ids).toEqual([{ parent_id: '' }]);
  });

  it('skips non-object entries and ignores a non-array list', () => {
    expect(recordOf([manual([null, 'P', 3])]).parent_candidate_ids).toEqual([]);
    expect(recordOf([manual({ parent_id: 'P' })]).parent_candidate_ids).toEqual([]);
  });
});
