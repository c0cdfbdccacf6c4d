import { describe, expect, it } from 'vitest';
import { createIdGenerator, isEventId, newEvent } from './index.js';
import type { NewEventInput } from './index.js';

describe('newEvent', () => {
  it('builds the envelope with keys in the order ts, event_id, op, stable_id, payload', () => {
    const event = newEvent({ op: 'alias_set', stable_id: 'sess_x', payload: { alias: 'a' } });
    expect(Object.keys(event)).toEqual(['ts', 'event_id', 'op', 'stable_id', 'payload']);
    expect(event.op).toBe('alias_set');
    expect(event.stable_id).toBe('sess_x');
    expect(event.payload).toEqual({ alias: 'a' });
    expect(isEventId(event.event_id)).toBe(true);
    expect(event.ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('keeps the key order when ts and event_id are supplied', () => {
    const event = newEvent({
      payload: {},
      event_id: 'evt_given',
      stable_id: 'sess_x',
      ts: '2026-01-01T00:00:00.000Z',
      op: 'close',
    });
    expect(JSON.stringify(event)).toBe(
      '{"ts":"2026-01-01T00:00:00.000Z","event_id":"evt_given","op":"close","stable_id":"sess_x","payload":{}}',
    );
  });

  it('defaults the payload to an empty object', () => {
    expect(newEvent({ op: 'sweep', stable_id: 'sess_x' }).payload).toEqual({});
  });

  it('uses the injected clock (Date or ms) and id source', () => {
    const fromDate = newEvent(
      { op: 'close', stable_id: 's' },
      { now: () => new Date('2026-05-10T09:15:02.123Z'), newEventId: () => 'evt_fixed' },
    );
    expect(fromDate.ts).toBe('2026-05-10T09:15:02.123Z');
    expect(fromDate.event_id).toBe('evt_fixed');
    const ids = createIdGenerator({ now: () => 0 });
    const fromMs = newEvent(
      { op: 'close', stable_id: 's' },
      { now: () => Date.parse('2030-01-02T03:04:05.006Z'), newEventId: ids.generateEventId },
    );
    expect(fromMs.ts).toBe('2030-01-02T03:04:05.006Z');
    expect(isEventId(fromMs.event_id)).toBe(true);
  });

  it('does not validate the stable_id format', () => {
    expect(newEvent({ op: 'x', stable_id: 'not-a-session-id' }).stable_id).toBe('not-a-session-id');
  });

  it('throws TypeErrors for a missing or empty op or stable_id', () => {
    const untyped = (input: unknown) => () => newEvent(input as NewEventInput);
    expect(untyped({ stable_id: 's' })).toThrow(new TypeError('newEvent: op required'));
    expect(untyped({ op: '', stable_id: 's' })).toThrow(new TypeError('newEvent: op required'));
    expect(untyped({ op: 7, stable_id: 's' })).toThrow(new TypeError('newEvent: op required'));
    expect(untyped({ op: 'x' })).toThrow(new TypeError('newEvent: stable_id required'));
    expect(untyped({ op: 'x', stable_id: '' })).toThrow(
      new TypeError('newEvent: stable_id required'),
    );
  });
});
