import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  emptyProjection,
  emptySession,
  foldEvents,
  serializeProjection,
  stableStringify,
  validateEvent,
} from './index.js';
import type { Projection } from './index.js';
import { anyLineArb, eventArb, logArb } from './test-support/arbitraries.js';
import { SID, at, ev } from './test-support/events.js';

describe('foldEvents: skipped elements', () => {
  it('skips and reports every unusable element, and folds the rest', () => {
    const good = ev('session_seen', { claude_session_id: 'cs' }, { ts: at(1) });
    const { projection, skipped } = foldEvents([
      null,
      good,
      42,
      [good],
      { op: 'session_seen' },
      { stable_id: SID },
      'x'.repeat(100_000),
    ]);
    expect(projection._meta.event_count).toBe(1);
    expect(skipped.map((s) => [s.index, s.code])).toEqual([
      [0, 'not_an_object'],
      [2, 'not_an_object'],
      [3, 'not_an_object'],
      [4, 'missing_stable_id'],
      [5, 'missing_op'],
      [6, 'not_an_object'],
    ]);
    expect(skipped[0]?.excerpt).toBe('null');
    expect(skipped[5]?.excerpt.length).toBeLessThanOrEqual(80);
    expect(skipped[4]?.reason).toBe('expected "op" to be a non-empty string, found nothing');
  });

  it('accepts any iterable', () => {
    function* gen() {
      yield ev('session_seen', {});
      yield ev('alias_set', { alias: 'a' });
    }
    expect(foldEvents(gen()).projection.sessions[SID]?.alias).toBe('a');
  });
});

describe('foldEvents: initial projection', () => {
  it('continues from initial without modifying it', () => {
    const first = foldEvents([
      ev('session_seen', { claude_session_id: 'a' }, { ts: at(1) }),
    ]).projection;
    const before = serializeProjection(first);
    const next = foldEvents(
      [ev('session_seen', { claude_session_id: 'b' }, { ts: at(2) })],
      first,
    ).projection;
    expect(serializeProjection(first)).toBe(before);
    expect(next.sessions[SID]?.claude_session_ids).toEqual(['a', 'b']);
    expect(next._meta.event_count).toBe(2);
  });

  it('keeps the key position of a field that is undefined in initial', () => {
    const p = foldEvents([ev('session_seen', {}, { ts: undefined })]).projection;
    const q = foldEvents([ev('session_seen', {}, { ts: at(3) })], p).projection;
    expect(Object.keys(q.sessions[SID] ?? {})).toEqual(Object.keys(emptySession(SID, at(0))));
  });
});

describe('foldEvents: properties', () => {
  it('folding a ++ b equals folding b onto the fold of a (same JSON text)', () => {
    fc.assert(
      fc.property(logArb, logArb, (a, b) => {
        const whole = foldEvents([...a, ...b]).projection;
        const split = foldEvents(b, foldEvents(a).projection).projection;
        expect(serializeProjection(split)).toBe(serializeProjection(whole));
      }),
      { numRuns: 300 },
    );
  });

  it('folding the same log twice from empty gives equal states', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        expect(stableStringify(foldEvents(log).projection)).toBe(
          stableStringify(foldEvents(log).projection),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('applying every event twice in a row equals applying it once (replay guard)', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        const doubled = log.flatMap((e) => [e, e]);
        expect(serializeProjection(foldEvents(doubled).projection)).toBe(
          serializeProjection(foldEvents(log).projection),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('an unknown op changes only _meta and the skeleton/progress of its record', () => {
    fc.assert(
      fc.property(
        logArb,
        eventArb,
        fc.constantFrom('mystery', 'session_progress', 'name_set'),
        (log, event, op) => {
          const unknown = { ...event, op, event_id: 'evt_unknown-op' };
          const before = foldEvents(log).projection;
          const after = foldEvents([unknown], before).projection;
          const ts = typeof unknown.ts === 'string' ? unknown.ts : undefined;
          const { [unknown.stable_id]: touched, ...others } = after.sessions;
          const { [unknown.stable_id]: previous, ...othersBefore } = before.sessions;
          expect(others).toEqual(othersBefore);
          if (previous === undefined) {
            expect(stableStringify(touched)).toBe(
              stableStringify(emptySessionAt(unknown.stable_id, ts)),
            );
          } else {
            const lp = previous.last_progress_at;
            const expected = ts && (!lp || ts > lp) ? ts : lp;
            expect(touched).toEqual({ ...previous, last_progress_at: expected });
          }
          expect(after._meta.event_count).toBe(before._meta.event_count + 1);
          expect(after._meta.last_event_id).toBe('evt_unknown-op');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws on any value and reports exactly the unusable ones', () => {
    fc.assert(
      fc.property(fc.array(anyLineArb, { maxLength: 25 }), (lines) => {
        const { projection, skipped } = foldEvents(lines);
        const invalid = lines.flatMap((line, index) => (validateEvent(line).ok ? [] : [index]));
        expect(skipped.map((s) => s.index)).toEqual(invalid);
        for (const s of skipped) expect(s.excerpt.length).toBeLessThanOrEqual(80);
        expect(projection._meta.event_count).toBeLessThanOrEqual(lines.length - invalid.length);
        expect(() => serializeProjection(projection)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('applyEvent over a projection equals foldEvents', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        const p: Projection = emptyProjection();
        for (const line of log) {
          const checked = validateEvent(line);
          if (checked.ok) applyEvent(p, checked.event);
        }
        expect(serializeProjection(p)).toBe(serializeProjection(foldEvents(log).projection));
      }),
      { numRuns: 100 },
    );
  });
});

/** emptySession for a possibly missing ts (the fold keeps created_at undefined). */
function emptySessionAt(stableId: string, ts: string | undefined) {
  return emptySession(stableId, ts as string);
}
