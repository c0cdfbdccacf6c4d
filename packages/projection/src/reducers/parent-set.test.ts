import { describe, expect, it } from 'vitest';
import { PARENT_KINDS } from '../index.js';
import { SID_2, SID_3, at, ev, recordOf } from '../test-support/events.js';

const parent = (payload: Record<string, unknown>, minute = 0) =>
  ev('parent_set', payload, { ts: at(minute) });

describe('parent_set (original rules)', () => {
  it('a non-empty string sets parent_session_id', () => {
    expect(recordOf([parent({ parent_session_id: SID_2 })]).parent_session_id).toBe(SID_2);
  });

  it('an explicit null clears it', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2 }),
      parent({ parent_session_id: null }, 1),
    ]);
    expect(s.parent_session_id).toBeNull();
  });

  it('an empty string, a non-string or an absent key is a no-op', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2 }),
      parent({ parent_session_id: '' }, 1),
      parent({ parent_session_id: 5 }, 2),
      parent({}, 3),
    ]);
    expect(s.parent_session_id).toBe(SID_2);
  });

  it('an original (kind-less) parent_set leaves parent_kind absent', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2 }),
      parent({ parent_session_id: null }, 1),
    ]);
    expect(Object.hasOwn(s, 'parent_kind')).toBe(false);
  });
});

describe('parent_set kind (ours)', () => {
  it.each(PARENT_KINDS)('kind %s is stored in parent_kind', (kind) => {
    const s = recordOf([parent({ parent_session_id: SID_2, kind })]);
    expect([s.parent_session_id, s.parent_kind]).toEqual([SID_2, kind]);
  });

  it('clearing sets parent_kind to null', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2, kind: 'fork' }),
      parent({ parent_session_id: null, kind: 'manual' }, 1),
    ]);
    expect([s.parent_session_id, s.parent_kind]).toEqual([null, null]);
  });

  it('a kind-less parent_set on a record that has parent_kind sets it to null (unknown provenance)', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2, kind: 'fork' }),
      parent({ parent_session_id: SID_3 }, 1),
    ]);
    expect([s.parent_session_id, s.parent_kind]).toEqual([SID_3, null]);
  });

  it('an unknown kind counts as no kind', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2, kind: 'fork' }),
      parent({ parent_session_id: SID_3, kind: 'resume' }, 1),
    ]);
    expect(s.parent_kind).toBeNull();
    expect(
      Object.hasOwn(recordOf([parent({ parent_session_id: SID_2, kind: 'x' })]), 'parent_kind'),
    ).toBe(false);
  });

  it('an invalid parent_session_id makes the whole event a no-op, kind included', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2, kind: 'fork' }),
      parent({ kind: 'clear' }, 1),
    ]);
    expect([s.parent_session_id, s.parent_kind]).toEqual([SID_2, 'fork']);
  });
});

describe('parent_set auto (ours): an automatic edge never overwrites a manual one', () => {
  it('does not replace a parent set by the original op (no parent_kind)', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2 }),
      parent({ parent_session_id: SID_3, kind: 'fork', auto: true }, 1),
    ]);
    expect(s.parent_session_id).toBe(SID_2);
    expect(Object.hasOwn(s, 'parent_kind')).toBe(false);
  });

  it('does not replace a manual edge', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2, kind: 'manual' }),
      parent({ parent_session_id: SID_3, kind: 'clear', auto: true }, 1),
    ]);
    expect([s.parent_session_id, s.parent_kind]).toEqual([SID_2, 'manual']);
  });

  it('does not replace an edge of unknown provenance (parent_kind null)', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2, kind: 'fork' }),
      parent({ parent_session_id: SID_2 }, 1),
      parent({ parent_session_id: SID_3, kind: 'fork', auto: true }, 2),
    ]);
    expect([s.parent_session_id, s.parent_kind]).toEqual([SID_2, null]);
  });

  it('does not clear a manual edge', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2, kind: 'manual' }),
      parent({ parent_session_id: null, auto: true }, 1),
    ]);
    expect(s.parent_session_id).toBe(SID_2);
  });

  it('replaces an automatic edge', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2, kind: 'fork', auto: true }),
      parent({ parent_session_id: SID_3, kind: 'clear', auto: true }, 1),
    ]);
    expect([s.parent_session_id, s.parent_kind]).toEqual([SID_3, 'clear']);
  });

  it('sets a parent when there is none, even after a clear', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2 }),
      parent({ parent_session_id: null }, 1),
      parent({ parent_session_id: SID_3, kind: 'fork', auto: true }, 2),
    ]);
    expect([s.parent_session_id, s.parent_kind]).toEqual([SID_3, 'fork']);
  });

  it('a manual (non-auto) parent_set always wins over an automatic edge', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2, kind: 'fork', auto: true }),
      parent({ parent_session_id: SID_3, kind: 'manual' }, 1),
    ]);
    expect([s.parent_session_id, s.parent_kind]).toEqual([SID_3, 'manual']);
  });

  it('only the literal true means automatic', () => {
    const s = recordOf([
      parent({ parent_session_id: SID_2, kind: 'manual' }),
      parent({ parent_session_id: SID_3, kind: 'fork', auto: 'true' }, 1),
    ]);
    expect([s.parent_session_id, s.parent_kind]).toEqual([SID_3, 'fork']);
  });
});
