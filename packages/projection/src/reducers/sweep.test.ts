import { describe, expect, it } from 'vitest';
import { at, ev, recordOf } from '../test-support/events.js';

const sweep = (payload: Record<string, unknown>, minute = 0) =>
  ev('sweep', payload, { ts: at(minute) });

describe('sweep reducer', () => {
  it('sets activity_state from a non-empty string', () => {
    expect(recordOf([sweep({ activity_state: 'idle' })]).activity_state).toBe('idle');
    expect(
      recordOf([sweep({ activity_state: 'idle' }), sweep({ activity_state: '' }, 1)])
        .activity_state,
    ).toBe('idle');
  });

  it('does not bump last_progress_at with its own ts', () => {
    const s = recordOf([
      ev('session_seen', {}, { ts: at(1) }),
      sweep({ activity_state: 'idle' }, 30),
    ]);
    expect(s.last_progress_at).toBe(at(1));
  });

  it('moves last_progress_at forward to effective_last_progress', () => {
    const s = recordOf([
      ev('session_seen', {}, { ts: at(1) }),
      sweep({ effective_last_progress: at(5) }, 30),
    ]);
    expect(s.last_progress_at).toBe(at(5));
  });

  it('never moves it backwards', () => {
    const s = recordOf([
      ev('session_seen', {}, { ts: at(5) }),
      sweep({ effective_last_progress: at(1) }, 30),
    ]);
    expect(s.last_progress_at).toBe(at(5));
  });

  it('quirk: compares as strings, not as instants', () => {
    // 12:00+02:00 is 10:00Z, earlier than 10:05Z, but "2026-05-09T12" > "2026-05-09T10" as strings.
    const s = recordOf([
      ev('session_seen', {}, { ts: at(5) }),
      sweep({ effective_last_progress: '2026-05-09T12:00:00+02:00' }, 30),
    ]);
    expect(s.last_progress_at).toBe('2026-05-09T12:00:00+02:00');
  });

  it('ignores a non-string effective_last_progress', () => {
    const s = recordOf([
      ev('session_seen', {}, { ts: at(1) }),
      sweep({ effective_last_progress: 9e12 }, 30),
    ]);
    expect(s.last_progress_at).toBe(at(1));
  });
});
