import { describe, expect, it } from 'vitest';
import { at, ev, keysOf, recordOf } from '../test-support/events.js';

const end = (payload: Record<string, unknown>, minute = 0) =>
  ev('session_end', payload, { ts: at(minute) });

describe('session_end (ours)', () => {
  it('A+D the claude session id', () => {
    const s = recordOf([
      ev('session_seen', { claude_session_id: 'cs-1' }),
      end({ claude_session_id: 'cs-1', reason: 'clear' }, 1),
      end({ claude_session_id: 'cs-2', reason: 'other' }, 2),
    ]);
    expect(s.claude_session_ids).toEqual(['cs-1', 'cs-2']);
  });

  it('upserts the transcript entry by path like session_seen', () => {
    const s = recordOf([
      ev('session_seen', { transcript_file: { path: '/t/a.jsonl', size: 1, first_uuid: 'u1' } }),
      end(
        {
          claude_session_id: 'cs',
          reason: 'logout',
          transcript_file: { path: '/t/a.jsonl', size: 9 },
        },
        1,
      ),
    ]);
    expect(s.transcript_files).toEqual([{ path: '/t/a.jsonl', size: 9, first_uuid: 'u1' }]);
  });

  it('records ended_at = event ts and end_reason; later ends overwrite', () => {
    const s = recordOf([
      end({ claude_session_id: 'cs', reason: 'clear' }, 1),
      end({ claude_session_id: 'cs', reason: 'logout' }, 2),
    ]);
    expect([s.ended_at, s.end_reason]).toEqual([at(2), 'logout']);
  });

  it('a missing or non-string reason records end_reason null', () => {
    expect(recordOf([end({ claude_session_id: 'cs', reason: 3 })]).end_reason).toBeNull();
  });

  it('non-empty string ai_title / custom_title set (LWW); null or empty never clears', () => {
    const s = recordOf([
      end({ claude_session_id: 'cs', reason: 'x', ai_title: 'A1', custom_title: 'C1' }, 1),
      end({ claude_session_id: 'cs', reason: 'x', ai_title: null, custom_title: '' }, 2),
    ]);
    expect([s.ai_title, s.custom_title]).toEqual(['A1', 'C1']);
    const t = recordOf([
      end({ claude_session_id: 'cs', reason: 'x', ai_title: 'A1' }),
      end({ claude_session_id: 'cs', reason: 'x', ai_title: 'A2' }, 1),
    ]);
    expect(t.ai_title).toBe('A2');
  });

  it('a numeric claude_pid sets claude_pid', () => {
    expect(
      recordOf([end({ claude_session_id: 'cs', reason: 'x', claude_pid: 4242 })]).claude_pid,
    ).toBe(4242);
    expect(
      Object.hasOwn(
        recordOf([end({ claude_session_id: 'cs', reason: 'x', claude_pid: '4242' })]),
        'claude_pid',
      ),
    ).toBe(false);
  });

  it('counts as activity: bumps last_progress_at', () => {
    const s = recordOf([
      ev('session_seen', {}, { ts: at(1) }),
      end({ claude_session_id: 'cs', reason: 'x' }, 7),
    ]);
    expect(s.last_progress_at).toBe(at(7));
  });

  it('adds its fields at the end, in the order first set', () => {
    const s = recordOf([
      ev('session_seen', { cwd: '/w' }),
      end({ claude_session_id: 'cs', reason: 'x', custom_title: 'C', claude_pid: 1 }, 1),
    ]);
    expect(keysOf(s).slice(-5)).toEqual([
      'cwd',
      'ended_at',
      'end_reason',
      'custom_title',
      'claude_pid',
    ]);
  });
});
