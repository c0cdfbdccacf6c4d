import { ORIGINAL_OPS } from '@sessions-db/vitest-config/fixtures';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  applyEventToMeta,
  applyEventToSession,
  bumpsProgress,
  emptyProjection,
  emptySession,
  isReplay,
  KNOWN_OPS,
  serializeProjection,
} from './index.js';
import type { SessionEvent } from './index.js';
import { SID, SID_2, at, ev, fold, recordOf } from './test-support/events.js';

const ORIGINAL_NON_SWEEP_OPS = ORIGINAL_OPS.filter((op) => op !== 'sweep');

/** `last_progress_at` after a `session_seen` at `firstTs` and then `op` at `thenTs`. */
const progressAfter = (firstTs: string, op: string, thenTs: string): string | null | undefined =>
  recordOf([ev('session_seen', {}, { ts: firstTs }), ev(op, {}, { ts: thenTs })]).last_progress_at;

describe('last_progress_at (docs/on-disk-format.md#folding-events-into-sessions)', () => {
  it.each(ORIGINAL_NON_SWEEP_OPS)('%s bumps it to a later ts, as in the original', (op) => {
    expect(progressAfter(at(1), op, at(9))).toBe(at(9));
  });

  it('an unknown op bumps it too', () => {
    expect(progressAfter(at(1), 'mystery', at(9))).toBe(at(9));
  });

  it('session_end bumps it (ours: activity)', () => {
    expect(bumpsProgress('session_end')).toBe(true);
  });

  it.each(['sweep', 'reopen', 'custom_title_seen'])('%s does not bump it', (op) => {
    expect(bumpsProgress(op)).toBe(false);
    expect(progressAfter(at(1), op, at(9))).toBe(at(1));
  });

  it('out-of-order timestamps never move it backwards', () => {
    expect(progressAfter(at(9), 'alias_set', at(1))).toBe(at(9));
  });

  it('quirk: compares by string, not by instant', () => {
    // 11:00+02:00 is 09:00Z (earlier than 10:09Z) but compares greater as a string.
    const later = '2026-05-09T11:00:00+02:00';
    expect(progressAfter(at(9), 'alias_set', later)).toBe(later);
  });

  it('an event without ts does not move it; a later one fills it in', () => {
    const s = recordOf([
      ev('session_seen', {}, { ts: undefined }),
      ev('session_seen', {}, { ts: at(4) }),
    ]);
    expect(s.last_progress_at).toBe(at(4));
    expect(Object.hasOwn(JSON.parse(JSON.stringify(s)) as object, 'created_at')).toBe(false);
  });
});

describe('_meta bookkeeping (docs/on-disk-format.md#folding-events-into-sessions step 5)', () => {
  it('counts every folded event, including unknown ops, and keeps the last event id and ts', () => {
    const p = fold(
      ev('session_seen', {}, { ts: at(1), eventId: 'evt_1' }),
      ev('mystery', {}, { ts: at(2), eventId: 'evt_2' }),
      ev('alias_set', { alias: 'a' }, { ts: at(3), eventId: 'evt_3' }),
    );
    expect(p._meta).toMatchObject({ event_count: 3, last_event_id: 'evt_3', updated: at(3) });
  });

  it('keeps last_event_id and updated when an event has none', () => {
    const p = fold(
      ev('session_seen', {}, { ts: at(1), eventId: 'evt_1' }),
      ev('alias_set', { alias: 'a' }, { ts: undefined, eventId: undefined }),
    );
    expect(p._meta).toMatchObject({ event_count: 2, last_event_id: 'evt_1', updated: at(1) });
  });

  it('updated follows the fold order, not the largest ts', () => {
    const p = fold(ev('session_seen', {}, { ts: at(9) }), ev('session_seen', {}, { ts: at(1) }));
    expect(p._meta.updated).toBe(at(1));
  });

  it('counts events with multiple stable ids and creates records in first-seen order', () => {
    const p = fold(
      ev('session_seen', {}, { stableId: SID_2 }),
      ev('session_seen', {}, { stableId: SID }),
      ev('session_seen', {}, { stableId: SID_2 }),
    );
    expect(Object.keys(p.sessions)).toEqual([SID_2, SID]);
    expect(p._meta.event_count).toBe(3);
  });
});

describe('replay guard', () => {
  it('an event whose event_id equals _meta.last_event_id changes nothing', () => {
    const p = emptyProjection();
    const e = ev('session_seen', { claude_session_id: 'cs' }, { ts: at(1), eventId: 'evt_same' });
    applyEvent(p, e);
    const before = serializeProjection(p);
    applyEvent(p, e);
    applyEvent(p, { ...e, op: 'alias_set', payload: { alias: 'changed' }, ts: at(5) });
    expect(serializeProjection(p)).toBe(before);
    expect(p._meta.event_count).toBe(1);
  });

  it('only the last event is guarded: an older event applied again is counted', () => {
    const a = ev('session_seen', {}, { eventId: 'evt_a' });
    const b = ev('session_seen', {}, { eventId: 'evt_b' });
    expect(fold(a, b, a)._meta.event_count).toBe(3);
  });

  it('events without an id (or with an empty one) are never replays', () => {
    const e = ev('session_seen', {}, { eventId: undefined });
    expect(fold(e, e)._meta.event_count).toBe(2);
    const empty = ev('session_seen', {}, { eventId: '' });
    expect(fold(empty, empty)._meta.event_count).toBe(2);
  });

  it('isReplay compares with _meta.last_event_id', () => {
    const meta = emptyProjection()._meta;
    meta.last_event_id = 'evt_x';
    expect(isReplay(meta, { op: 'x', stable_id: SID, event_id: 'evt_x' })).toBe(true);
    expect(isReplay(meta, { op: 'x', stable_id: SID, event_id: 'evt_y' })).toBe(false);
  });
});

describe('unknown ops', () => {
  it('create a default record, are counted and bump progress, and change nothing else', () => {
    const p = fold(
      ev('session_seen', { alias: 'x', cwd: '/w' }, { ts: at(1) }),
      ev('from_the_future', { alias: 'y' }, { ts: at(2) }),
    );
    const q = fold(ev('session_seen', { alias: 'x', cwd: '/w' }, { ts: at(1) }));
    expect(p.sessions[SID]).toEqual({ ...q.sessions[SID], last_progress_at: at(2) });
    expect(fold(ev('from_the_future', {}, { ts: at(3) })).sessions[SID]).toEqual(
      emptySession(SID, at(3)),
    );
  });

  it('every known op has a reducer; the list starts with the original ops', () => {
    expect(KNOWN_OPS.slice(0, 9)).toEqual(ORIGINAL_OPS);
    expect([...KNOWN_OPS.slice(9)].sort()).toEqual(['custom_title_seen', 'reopen', 'session_end']);
  });
});

describe('per-record API', () => {
  it('applyEventToSession creates emptySession when given undefined', () => {
    const record = applyEventToSession(undefined, ev('alias_set', { alias: 'a' }, { ts: at(2) }));
    expect(record).toEqual({ ...emptySession(SID, at(2)), alias: 'a' });
  });

  it('applyEventToSession mutates and returns the record it is given', () => {
    const record = emptySession(SID, at(1));
    const out = applyEventToSession(record, ev('alias_set', { alias: 'a' }, { ts: at(2) }));
    expect(out).toBe(record);
    expect(record.alias).toBe('a');
    expect(record.last_progress_at).toBe(at(2));
  });

  it('applyEventToSession treats a non-object payload as {}', () => {
    const record = applyEventToSession(undefined, {
      op: 'session_seen',
      stable_id: SID,
      ts: at(1),
      payload: null,
    });
    expect(record).toEqual(emptySession(SID, at(1)));
  });

  it('applyEventToMeta advances _meta and ignores a replay', () => {
    const meta = emptyProjection()._meta;
    applyEventToMeta(meta, ev('x', {}, { ts: at(1), eventId: 'evt_1' }));
    applyEventToMeta(meta, ev('x', {}, { ts: at(2), eventId: 'evt_1' }));
    expect(meta).toMatchObject({ event_count: 1, last_event_id: 'evt_1', updated: at(1) });
  });

  it('applyEvent equals applyEventToSession + applyEventToMeta', () => {
    const events = [
      ev('session_seen', { claude_session_id: 'a' }, { ts: at(1) }),
      ev('close', { outcome: 'done' }, { ts: at(2) }),
      ev('session_seen', {}, { ts: at(3), stableId: SID_2 }),
    ];
    const whole = emptyProjection();
    for (const e of events) applyEvent(whole, e);
    const meta = emptyProjection()._meta;
    const records = new Map<string, ReturnType<typeof emptySession>>();
    for (const e of events) {
      if (isReplay(meta, e)) continue;
      records.set(e.stable_id, applyEventToSession(records.get(e.stable_id), e));
      applyEventToMeta(meta, e);
    }
    expect(whole).toEqual({ _meta: meta, sessions: Object.fromEntries(records) });
  });

  it('accepts typed SessionEvent values', () => {
    const typed: SessionEvent<'alias_set'> = {
      ts: at(1),
      event_id: 'evt_typed',
      op: 'alias_set',
      stable_id: SID,
      payload: { alias: 'typed' },
    };
    expect(applyEvent(emptyProjection(), typed).sessions[SID]?.alias).toBe('typed');
  });

  it('applyEvent keeps a stable id named __proto__ as a normal record', () => {
    const p = fold(
      ev('session_seen', {}, { stableId: '__proto__' }),
      ev('session_seen', {}, { stableId: 'toString' }),
    );
    expect(Object.keys(p.sessions)).toEqual(['__proto__', 'toString']);
    expect(Object.getPrototypeOf(p.sessions)).toBe(Object.prototype);
    expect(serializeProjection(p)).toContain('"__proto__": {');
  });
});
