import { describe, expect, it } from 'vitest';
import { at, ev, recordOf } from '../test-support/events.js';

const close = (payload: Record<string, unknown>, minute = 0) =>
  ev('close', payload, { ts: at(minute) });

describe('close', () => {
  it('sets outcome, closed_at = event ts and closed_reason', () => {
    const s = recordOf([close({ outcome: 'done', closed_reason: 'merged in MR 42' }, 3)]);
    expect([s.outcome, s.closed_at, s.closed_reason]).toEqual(['done', at(3), 'merged in MR 42']);
  });

  it('without outcome keeps the previous outcome but still stamps closed_at', () => {
    const s = recordOf([close({ outcome: 'done' }, 1), close({ closed_reason: 'note' }, 2)]);
    expect([s.outcome, s.closed_at, s.closed_reason]).toEqual(['done', at(2), 'note']);
  });

  it('accepts any non-empty outcome string (the enum belongs to the writer)', () => {
    expect(recordOf([close({ outcome: 'weird' })]).outcome).toBe('weird');
    expect(recordOf([close({ outcome: 'done' }), close({ outcome: '' }, 1)]).outcome).toBe('done');
  });

  it('quirk: outcome "open" still stamps closed_at', () => {
    const s = recordOf([close({ outcome: 'done' }, 1), close({ outcome: 'open' }, 2)]);
    expect([s.outcome, s.closed_at]).toEqual(['open', at(2)]);
  });

  it('closed_reason: any string (even empty) sets, null clears, absent or non-string keeps', () => {
    expect(
      recordOf([close({ closed_reason: 'r' }), close({ closed_reason: '' }, 1)]).closed_reason,
    ).toBe('');
    expect(
      recordOf([close({ closed_reason: 'r' }), close({ closed_reason: null }, 1)]).closed_reason,
    ).toBeNull();
    expect(
      recordOf([close({ closed_reason: 'r' }), close({ closed_reason: 5 }, 1)]).closed_reason,
    ).toBe('r');
    expect(recordOf([close({ closed_reason: 'r' }), close({}, 1)]).closed_reason).toBe('r');
  });

  it('keeps closed_at when the event has no ts', () => {
    const s = recordOf([
      close({ outcome: 'done' }, 1),
      ev('close', { outcome: 'blocked' }, { ts: undefined }),
    ]);
    expect([s.outcome, s.closed_at]).toEqual(['blocked', at(1)]);
  });
});

describe('reopen (ours)', () => {
  it('sets outcome open and clears closed_at and closed_reason', () => {
    const s = recordOf([
      close({ outcome: 'done', closed_reason: 'x' }, 1),
      ev('reopen', {}, { ts: at(2) }),
    ]);
    expect([s.outcome, s.closed_at, s.closed_reason]).toEqual(['open', null, null]);
  });

  it('does not move last_progress_at (bookkeeping, docs/on-disk-format.md#folding-events-into-sessions)', () => {
    const s = recordOf([
      close({ outcome: 'done' }, 1),
      ev('reopen', { reason: 'r' }, { ts: at(9) }),
    ]);
    expect(s.last_progress_at).toBe(at(1));
  });

  it('adds no field to the record', () => {
    const s = recordOf([ev('reopen', { reason: 'why' })]);
    expect(Object.keys(s)).toEqual(Object.keys(recordOf([ev('session_seen', {})])));
  });
});
