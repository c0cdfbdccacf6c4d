import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ARCHIVE_THRESHOLD_DAYS,
  DEFAULT_IDLE_THRESHOLD_DAYS,
  applyEvent,
  computeEffectiveLastProgress,
  computeSweepTransitions,
  resolveSweepThresholds,
} from './index.js';
import type { SweepRecord } from './index.js';
import { fold, ev } from './test-support/events.js';

const NOW_ISO = '2026-05-09T12:00:00.000Z';
const NOW = Date.parse(NOW_ISO);
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(NOW - days * DAY).toISOString();
const EPOCH = '1970-01-01T00:00:00.000Z';

function rec(stableId: string, fields: Record<string, unknown> = {}): SweepRecord {
  return {
    stable_id: stableId,
    activity_state: 'active',
    last_progress_at: daysAgo(0),
    transcript_files: [],
    ...fields,
  };
}

const plan = (records: SweepRecord[], options: Record<string, unknown> = {}) =>
  computeSweepTransitions(records, { now: NOW, ...options });

describe('computeEffectiveLastProgress', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'returns last_progress_at when there is no other signal',
      { last_progress_at: daysAgo(3) },
      daysAgo(3),
    ],
    [
      'takes the max across last_progress_at and transcript mtimes',
      {
        last_progress_at: daysAgo(5),
        transcript_files: [{ mtime: daysAgo(7) }, { mtime: daysAgo(2) }],
      },
      daysAgo(2),
    ],
    [
      'honours hive_watcher_last_seen when newer',
      { last_progress_at: daysAgo(10), hive_watcher_last_seen: daysAgo(1) },
      daysAgo(1),
    ],
    [
      'ignores transcript entries without a usable mtime',
      { last_progress_at: daysAgo(5), transcript_files: [{}, { mtime: null }, null, 'x'] },
      daysAgo(5),
    ],
    [
      'compares mixed offsets by instant, not by string',
      {
        last_progress_at: '2026-05-09T05:00:00+02:00',
        transcript_files: [
          { mtime: '2026-05-09T03:00:00.000Z' },
          { mtime: '2026-05-09T02:00:01-01:00' },
        ],
      },
      '2026-05-09T03:00:01.000Z',
    ],
    [
      'compares mixed precisions by instant',
      {
        last_progress_at: '2026-05-09T10:00:00Z',
        transcript_files: [{ mtime: '2026-05-09T10:00:00.100Z' }],
        hive_watcher_last_seen: '2026-05-09T10:00:00.500Z',
      },
      '2026-05-09T10:00:00.500Z',
    ],
    [
      'skips unparseable candidates and normalizes the winner to UTC Z',
      {
        last_progress_at: '2026-05-09T05:30:00+05:30',
        transcript_files: [{ mtime: '2026-13-99T99:99:99Z' }],
        hive_watcher_last_seen: '',
      },
      '2026-05-09T00:00:00.000Z',
    ],
  ])('%s', (_name, fields, expected) => {
    expect(computeEffectiveLastProgress(rec('a', fields))).toBe(expected);
  });

  it('falls back to the epoch when nothing parses, and for a missing record', () => {
    expect(
      computeEffectiveLastProgress(
        rec('a', { last_progress_at: 'nope', transcript_files: [{ mtime: 'bad' }] }),
      ),
    ).toBe(EPOCH);
    expect(computeEffectiveLastProgress(null)).toBe(EPOCH);
    expect(computeEffectiveLastProgress(undefined)).toBe(EPOCH);
  });
});

describe('computeSweepTransitions: state machine', () => {
  it('no records, no transitions', () => {
    expect(plan([])).toEqual([]);
  });

  it('active under the idle threshold stays', () => {
    expect(plan([rec('a', { last_progress_at: daysAgo(5) })])).toEqual([]);
  });

  it('age == idle threshold → idle, with the full transition object', () => {
    expect(plan([rec('a', { last_progress_at: daysAgo(14) })])).toEqual([
      {
        stable_id: 'a',
        from_state: 'active',
        to_state: 'idle',
        effective_last_progress: daysAgo(14),
        age_days: 14,
      },
    ]);
  });

  it('age == archive threshold → archived directly from active', () => {
    expect(plan([rec('a', { last_progress_at: daysAgo(30) })])).toMatchObject([
      { from_state: 'active', to_state: 'archived', age_days: 30 },
    ]);
  });

  it('idle → archived', () => {
    expect(
      plan([rec('a', { activity_state: 'idle', last_progress_at: daysAgo(45) })]),
    ).toMatchObject([{ from_state: 'idle', to_state: 'archived' }]);
  });

  it('idle → active when it became recent again', () => {
    expect(
      plan([rec('a', { activity_state: 'idle', last_progress_at: daysAgo(1) })]),
    ).toMatchObject([{ from_state: 'idle', to_state: 'active', age_days: 1 }]);
  });

  it('archived is terminal, even with fresh activity', () => {
    expect(plan([rec('a', { activity_state: 'archived', last_progress_at: daysAgo(0) })])).toEqual(
      [],
    );
  });

  it('mixed records: only those that need it, in input order', () => {
    const t = plan([
      rec('a', { last_progress_at: daysAgo(2) }),
      rec('b', { last_progress_at: daysAgo(20) }),
      rec('c', { activity_state: 'idle', last_progress_at: daysAgo(40) }),
    ]);
    expect(t.map((x) => [x.stable_id, x.to_state])).toEqual([
      ['b', 'idle'],
      ['c', 'archived'],
    ]);
  });

  it('skips records without any parseable timestamp, and non-objects', () => {
    expect(
      plan([rec('a', { last_progress_at: 'garbage' }), null as unknown as SweepRecord]),
    ).toEqual([]);
  });

  it('a record without activity_state transitions from what is stored', () => {
    const { activity_state: _dropped, ...bare } = rec('a', { last_progress_at: daysAgo(1) });
    expect(plan([bare])).toMatchObject([{ from_state: undefined, to_state: 'active' }]);
  });
});

describe('computeSweepTransitions: boundaries', () => {
  it('idle threshold − 1 day stays active', () => {
    expect(plan([rec('a', { last_progress_at: daysAgo(13) })])).toEqual([]);
  });

  it('archive threshold − 1 day goes idle, not archived', () => {
    expect(plan([rec('a', { last_progress_at: daysAgo(29) })])).toMatchObject([
      { to_state: 'idle' },
    ]);
  });

  it('age is floored: 1 ms short of 14 days is 13 days', () => {
    expect(
      plan([rec('a', { last_progress_at: new Date(NOW - 14 * DAY + 1).toISOString() })]),
    ).toEqual([]);
  });

  it('a transcript mtime newer than last_progress_at keeps a session active', () => {
    expect(
      plan([
        rec('a', { last_progress_at: daysAgo(20), transcript_files: [{ mtime: daysAgo(1) }] }),
      ]),
    ).toEqual([]);
  });

  it('mixed offsets decide the age by instant', () => {
    // 14 days ago at 12:00Z written as 14:00+02:00; string order would not matter, the instant does.
    const fourteen = new Date(NOW - 14 * DAY);
    const withOffset = `${fourteen.toISOString().slice(0, 11)}14:00:00+02:00`;
    expect(plan([rec('a', { last_progress_at: withOffset })])).toMatchObject([
      { to_state: 'idle', age_days: 14, effective_last_progress: fourteen.toISOString() },
    ]);
  });

  it('is idempotent: re-planning after applying the transitions gives none', () => {
    const p = fold(
      ev('session_seen', {}, { stableId: 'a', ts: daysAgo(20) }),
      ev('session_seen', {}, { stableId: 'b', ts: daysAgo(40) }),
      ev('session_seen', {}, { stableId: 'c', ts: daysAgo(1) }),
    );
    const first = computeSweepTransitions(Object.values(p.sessions), { now: NOW });
    expect(first).toHaveLength(2);
    first.forEach((t, i) =>
      applyEvent(
        p,
        ev(
          'sweep',
          { activity_state: t.to_state, effective_last_progress: t.effective_last_progress },
          {
            stableId: t.stable_id,
            ts: NOW_ISO,
            eventId: `evt_sweep-${i}`,
          },
        ),
      ),
    );
    expect(computeSweepTransitions(Object.values(p.sessions), { now: NOW })).toEqual([]);
  });
});

describe('computeSweepTransitions: threshold sources (options > _meta > 14/30)', () => {
  it('defaults are 14 and 30', () => {
    expect([DEFAULT_IDLE_THRESHOLD_DAYS, DEFAULT_ARCHIVE_THRESHOLD_DAYS]).toEqual([14, 30]);
  });

  it('option idleThresholdDays overrides meta and default', () => {
    const r = [rec('a', { last_progress_at: daysAgo(8) })];
    expect(plan(r, { idleThresholdDays: 7, meta: { idle_threshold_days: 20 } })).toMatchObject([
      { to_state: 'idle' },
    ]);
  });

  it('option archiveThresholdDays overrides', () => {
    const r = [rec('a', { last_progress_at: daysAgo(20) })];
    expect(plan(r, { archiveThresholdDays: 15, idleThresholdDays: 7 })).toMatchObject([
      { to_state: 'archived' },
    ]);
  });

  it('_meta thresholds are used when options are absent', () => {
    const r = [rec('a', { last_progress_at: daysAgo(5) })];
    expect(plan(r, { meta: { idle_threshold_days: 3, archive_threshold_days: 10 } })).toMatchObject(
      [{ to_state: 'idle' }],
    );
  });

  it('non-positive or non-finite values fall through to the next source', () => {
    const r = [rec('a', { last_progress_at: daysAgo(15) })];
    expect(plan(r, { idleThresholdDays: 0 })).toMatchObject([{ to_state: 'idle' }]);
    expect(
      plan(r, { idleThresholdDays: -5, meta: { idle_threshold_days: Number.NaN } }),
    ).toMatchObject([{ to_state: 'idle' }]);
    expect(
      plan(r, { idleThresholdDays: Number.POSITIVE_INFINITY, meta: { idle_threshold_days: 16 } }),
    ).toEqual([]);
  });

  it('does not cross-check the pair (idle 40 with the default archive 30 archives at 30)', () => {
    expect(
      plan([rec('a', { last_progress_at: daysAgo(31) })], { idleThresholdDays: 40 }),
    ).toMatchObject([{ to_state: 'archived' }]);
  });
});

describe('resolveSweepThresholds', () => {
  it('resolves defaults, _meta and options with their sources', () => {
    expect(resolveSweepThresholds({})).toEqual({
      ok: true,
      idleThresholdDays: 14,
      archiveThresholdDays: 30,
      sources: { idle: 'default', archive: 'default' },
    });
    expect(
      resolveSweepThresholds({ idleThresholdDays: 2, meta: { archive_threshold_days: 9 } }),
    ).toMatchObject({
      ok: true,
      idleThresholdDays: 2,
      archiveThresholdDays: 9,
      sources: { idle: 'option', archive: 'meta' },
    });
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects idleThresholdDays %s',
    (value) => {
      expect(resolveSweepThresholds({ idleThresholdDays: value })).toEqual({
        ok: false,
        error: {
          code: 'invalid_idle_threshold',
          message: `idleThresholdDays must be a positive number (got: ${String(value)})`,
        },
      });
    },
  );

  it('rejects a non-positive archiveThresholdDays', () => {
    expect(resolveSweepThresholds({ archiveThresholdDays: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_archive_threshold' },
    });
  });

  it('rejects an effective pair with archive < idle, even when only one option is given', () => {
    expect(resolveSweepThresholds({ idleThresholdDays: 40 })).toEqual({
      ok: false,
      error: {
        code: 'archive_before_idle',
        message:
          'archiveThresholdDays (30, from default) must be >= idleThresholdDays (40, from option)',
      },
    });
    expect(
      resolveSweepThresholds({ archiveThresholdDays: 5, meta: { idle_threshold_days: 6 } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'archive_before_idle' },
    });
  });

  it('accepts archive == idle', () => {
    expect(
      resolveSweepThresholds({ idleThresholdDays: 10, archiveThresholdDays: 10 }),
    ).toMatchObject({ ok: true });
  });
});
