/** fast-check arbitraries and builders shared by the log tests. */
import fc from 'fast-check';
import { encodeEvent, newEvent } from '../index.js';
import type { EventEnvelope } from '../index.js';

const ops = ['session_seen', 'alias_set', 'close', 'sweep', 'session_link', 'future_op'];

/** A small valid event with arbitrary (multi-byte, escaped) payload text. */
export const eventArb: fc.Arbitrary<EventEnvelope> = fc
  .record({
    op: fc.constantFrom(...ops),
    stable_id: fc.constantFrom('sess_019e0f2d-c6e0-7f00-8a11-0b2c3d4e5f60', 'sess_other'),
    ts: fc.constantFrom('2026-05-10T09:15:02.123Z', '2026-05-11T00:00:00.000Z'),
    n: fc.nat(),
    text: fc.string({ unit: 'binary', maxLength: 40 }),
    tags: fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }), { maxLength: 3 }),
  })
  .map(({ op, stable_id, ts, n, text, tags }) =>
    newEvent(
      { op, stable_id, ts, payload: { n, text, tags } },
      { newEventId: () => `evt_${n.toString(16).padStart(12, '0')}` },
    ),
  );

/** The JSON value a line of `event` parses back to (drops what JSON cannot carry). */
export function canonical(event: EventEnvelope): unknown {
  return JSON.parse(JSON.stringify(event)) as unknown;
}

/** The log text of `events`, one encoded line each. */
export function logOf(events: readonly EventEnvelope[]): string {
  return events.map((event) => encodeEvent(event)).join('');
}
