import { describe, expect, it } from 'vitest';
import { encodeEvent, EventTooLargeError, MAX_EVENT_BYTES, newEvent } from './index.js';
import type { EventEnvelope } from './index.js';

const base = {
  op: 'session_seen',
  stable_id: 'sess_019e0f2d-c6e0-7f00-8a11-0b2c3d4e5f60',
  ts: '2026-05-10T09:15:02.123Z',
  event_id: 'evt_019e0f2d-c6e3-7a41-9b2c-3f1e2d4c5b6a',
};

/** An event whose encoded line is exactly `bytes` long, padded with `unit` (1, 2 or 3 bytes). */
function eventOfSize(bytes: number, unit = 'x'): EventEnvelope {
  const empty = Buffer.byteLength(encodeEvent(newEvent({ ...base, payload: { pad: '' } })));
  const unitBytes = Buffer.byteLength(unit);
  const units = Math.floor((bytes - empty) / unitBytes);
  const rest = 'x'.repeat(bytes - empty - units * unitBytes);
  return newEvent({ ...base, payload: { pad: unit.repeat(units) + rest } });
}

describe('encodeEvent', () => {
  it('encodes compact JSON and a newline', () => {
    const event = newEvent({ ...base, payload: { alias: 'a b' } });
    expect(encodeEvent(event)).toBe(`${JSON.stringify(event)}\n`);
    expect(encodeEvent(event)).not.toContain(' "');
  });

  it('accepts exactly MAX_EVENT_BYTES bytes and rejects one more', () => {
    expect(MAX_EVENT_BYTES).toBe(4096);
    expect(Buffer.byteLength(encodeEvent(eventOfSize(4096)))).toBe(4096);
    let error: unknown;
    try {
      encodeEvent(eventOfSize(4097));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EventTooLargeError);
    const tooLarge = error as EventTooLargeError;
    expect(tooLarge.code).toBe('EVENT_TOO_LARGE');
    expect(tooLarge.bytes).toBe(4097);
    expect(tooLarge.max).toBe(4096);
    expect(tooLarge.message).toMatch(
      /^appendEvent: event payload too large \(4097 bytes, max 4096\)\. Reduce payload size/,
    );
  });

  it('counts UTF-8 bytes, not characters', () => {
    for (const unit of ['é', '€', '😀']) {
      const fits = eventOfSize(4096, unit);
      expect(Buffer.byteLength(encodeEvent(fits))).toBe(4096);
      const over = eventOfSize(4097, unit);
      expect(JSON.stringify(over).length + 1).toBeLessThan(4096);
      expect(() => encodeEvent(over)).toThrow(EventTooLargeError);
    }
  });
});
