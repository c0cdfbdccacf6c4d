/** Events for the log tests. */
import { newEvent } from '../index.js';
import type { EventEnvelope } from '../index.js';

/**
 * A deterministic event with a multi-byte payload (byte offsets differ from string offsets): the
 * same `i` always encodes to the same line.
 */
export function numberedEvent(i: number): EventEnvelope {
  return newEvent({
    op: 'session_seen',
    stable_id: `sess_${i}`,
    payload: { i, cwd: '/tmp/é' },
    ts: '2026-05-10T09:15:02.123Z',
    event_id: `evt_${i}`,
  });
}
