import { describe, expect, it } from 'vitest';
import { validateEvent } from './index.js';
import { SID } from './test-support/events.js';

describe('validateEvent', () => {
  it('accepts an object with non-empty op and stable_id and normalizes the envelope', () => {
    const result = validateEvent({
      ts: 't',
      event_id: 'e',
      op: 'x',
      stable_id: SID,
      payload: { a: 1 },
      extra: 1,
    });
    expect(result).toEqual({
      ok: true,
      event: { ts: 't', event_id: 'e', op: 'x', stable_id: SID, payload: { a: 1 } },
    });
  });

  it.each([null, 42, 'str', [], true, undefined])('rejects a non-object (%s)', (value) => {
    expect(validateEvent(value)).toMatchObject({ ok: false, code: 'not_an_object' });
  });

  it.each([{}, { op: '' }, { op: 3 }])('rejects a missing or unusable op (%j)', (fields) => {
    expect(validateEvent({ stable_id: SID, ...fields })).toMatchObject({
      ok: false,
      code: 'missing_op',
    });
  });

  it.each([{}, { stable_id: '' }, { stable_id: ['x'] }])(
    'rejects a missing or unusable stable_id (%j)',
    (fields) => {
      expect(validateEvent({ op: 'x', ...fields })).toMatchObject({
        ok: false,
        code: 'missing_stable_id',
      });
    },
  );

  it('says what was expected and what was found', () => {
    const result = validateEvent({ op: 'x', stable_id: 7 });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.reason).toBe('expected "stable_id" to be a non-empty string, found a number');
  });

  it.each([null, 5, 'p', [1, 2], undefined])(
    'treats a non-object payload (%j) as {}',
    (payload) => {
      const result = validateEvent({ op: 'x', stable_id: SID, payload });
      expect(result.ok && result.event.payload).toEqual({});
    },
  );

  it('treats a non-string ts or event_id as absent', () => {
    const result = validateEvent({ op: 'x', stable_id: SID, ts: 5, event_id: {} });
    expect(result.ok && [result.event.ts, result.event.event_id]).toEqual([undefined, undefined]);
  });
});
