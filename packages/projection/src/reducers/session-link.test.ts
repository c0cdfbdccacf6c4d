import { describe, expect, it } from 'vitest';
import { at, ev, recordOf } from '../test-support/events.js';

const link = (payload: Record<string, unknown>, minute = 0) =>
  ev('session_link', payload, { ts: at(minute) });
const unlink = (payload: Record<string, unknown>, minute = 0) =>
  ev('session_unlink', payload, { ts: at(minute) });

describe('session_link (A+D of tasks and projects)', () => {
  it('merges and dedupes tasks and projects in order', () => {
    const s = recordOf([
      link({ tasks: ['t1', 't2'], projects: ['p1'] }),
      link({ tasks: ['t2', 't3'], projects: ['p1', 'p2'] }, 1),
    ]);
    expect(s.tasks).toEqual(['t1', 't2', 't3']);
    expect(s.projects).toEqual(['p1', 'p2']);
  });

  it('ignores empty strings, non-strings and non-array lists', () => {
    const s = recordOf([link({ tasks: ['', null, 't1', 42], projects: 'p1' })]);
    expect(s.tasks).toEqual(['t1']);
    expect(s.projects).toEqual([]);
  });

  it('legacy remove: true makes the whole event a no-op (tasks and projects)', () => {
    const s = recordOf([
      link({ tasks: ['t1', 't2'], projects: ['p1', 'p2'] }),
      unlink({ tasks: ['t1'], projects: ['p1'] }, 1),
      link({ remove: true, tasks: ['t1', 't9'], projects: ['p1'] }, 2),
    ]);
    expect(s.tasks).toEqual(['t2']);
    expect(s.projects).toEqual(['p2']);
  });

  it('legacy remove: true never removes either (it is not an unlink)', () => {
    const s = recordOf([link({ tasks: ['t1'] }), link({ remove: true, tasks: ['t1'] }, 1)]);
    expect(s.tasks).toEqual(['t1']);
  });

  it('any remove value other than the literal true is a normal add', () => {
    const s = recordOf([
      link({ remove: false, tasks: ['t1'] }),
      link({ remove: 1, tasks: ['t2'] }, 1),
      link({ remove: 'true', tasks: ['t3'] }, 2),
      link({ remove: null, tasks: ['t4'] }, 3),
    ]);
    expect(s.tasks).toEqual(['t1', 't2', 't3', 't4']);
  });
});

describe('session_unlink (set-based removal)', () => {
  const base = () => link({ tasks: ['t1', 't2', 't3'], projects: ['p1', 'p2'] });

  it('removes tasks', () => {
    expect(recordOf([base(), unlink({ tasks: ['t2'] }, 1)]).tasks).toEqual(['t1', 't3']);
  });

  it('removes projects', () => {
    expect(recordOf([base(), unlink({ projects: ['p1'] }, 1)]).projects).toEqual(['p2']);
  });

  it('removes both in one event', () => {
    const s = recordOf([base(), unlink({ tasks: ['t1'], projects: ['p2'] }, 1)]);
    expect(s.tasks).toEqual(['t2', 't3']);
    expect(s.projects).toEqual(['p1']);
  });

  it('removing an absent id is a no-op, and unlinking twice is idempotent', () => {
    const s = recordOf([base(), unlink({ tasks: ['t9', 't1'] }, 1), unlink({ tasks: ['t1'] }, 2)]);
    expect(s.tasks).toEqual(['t2', 't3']);
  });

  it('handles duplicates within the payload', () => {
    expect(recordOf([base(), unlink({ tasks: ['t1', 't1'] }, 1)]).tasks).toEqual(['t2', 't3']);
  });

  it('an empty list, non-strings or a non-array change nothing', () => {
    const s = recordOf([
      base(),
      unlink({ tasks: [], projects: [42, '', null] }, 1),
      unlink({ tasks: 't1' }, 2),
    ]);
    expect(s.tasks).toEqual(['t1', 't2', 't3']);
    expect(s.projects).toEqual(['p1', 'p2']);
  });

  it('leaves other sessions untouched', () => {
    const other = 'sess_01970000-0000-7000-8000-0000000000ff';
    const events = [
      base(),
      ev('session_link', { tasks: ['t1'] }, { stableId: other }),
      unlink({ tasks: ['t1'] }, 1),
    ];
    expect(recordOf(events).tasks).toEqual(['t2', 't3']);
    expect(recordOf(events, other).tasks).toEqual(['t1']);
  });
});
