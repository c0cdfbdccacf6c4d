/**
 * `recordSessions`: many records in one write transaction, through the one write path
 * (`StoreCore.transactBatch`): one write to the log, the same log and index as the records one at
 * a time, a failing record isolated, other writers' bytes folded in log order.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendEvent, newEvent, readLog } from '@sessions-db/event-log';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import {
  csid,
  deterministicClock,
  recordOneAtATime,
  seenPayload,
  startFacts,
  uuid,
} from './test-support/fixtures.js';
import { rebuiltSnapshot, snapshotIndex } from './test-support/snapshot.js';
import { tempDir } from './test-support/temp-dir.js';
import type { RecordResult, RecordStep, StorePaths, WritePoint } from './types.js';

function open(
  dir: string,
  points: WritePoint[] = [],
  onPoint?: (point: WritePoint, paths: StorePaths) => void,
) {
  const paths = storePathsIn(join(dir, 'store'), 'arg');
  const store = openStore(paths, {
    clock: deterministicClock('0197a000', 7),
    onWritePoint: (point) => {
      points.push(point);
      onPoint?.(point, paths);
    },
  });
  return { paths, store };
}

/** A session's start and end; `first`/`last` are transcript uuids (shared ones link sessions). */
function session(id: string, first: string, last: string, extra: object = {}): RecordStep[] {
  const facts = startFacts(id, { firstUuid: first, lastUuid: last });
  const transcript = { first_uuid: first, last_uuid: last };
  return [
    {
      kind: 'seen',
      input: {
        facts,
        payload: seenPayload(id, { transcript_file: transcript as never, ...extra }),
      },
    },
    {
      kind: 'end',
      input: { facts, payload: { claude_session_id: id, reason: 'import' } },
    },
  ];
}

/** The results of recording `records` one at a time in a store of their own, and its paths. */
function oneAtATime(records: readonly (readonly RecordStep[])[]): {
  expected: RecordResult[][];
  single: { paths: StorePaths };
} {
  const single = open(tempDir());
  const expected = recordOneAtATime(single.store, records);
  single.store.close();
  return { expected, single };
}

/** How many events the results say were written. */
function written(results: readonly (readonly RecordResult[])[]): number {
  return results.flat().reduce((n, r) => n + (r.ok ? r.eventIds.length : 0), 0);
}

describe('recordSessions', () => {
  it('records many sessions with one write to the log: the same log, index and results as one at a time', () => {
    const a = csid();
    const b = csid();
    const copy = csid();
    const records = [
      session(a, uuid('a', 1), uuid('a', 9)),
      session(b, uuid('b', 1), uuid('b', 9)),
      // A legacy resume copy: starts with a's rows, so it joins a's logical session.
      session(copy, uuid('a', 1), uuid('c', 9)),
    ];
    const single = open(tempDir());
    const expected = recordOneAtATime(single.store, records);
    single.store.close();

    const points: WritePoint[] = [];
    const dir = tempDir();
    const batched = open(dir, points);
    const results = batched.store.recordSessions(records);
    batched.store.close();

    expect(results).toEqual(expected);
    expect(results[2]?.[0]).toMatchObject({
      ok: true,
      stableId: results[0]?.[0]?.ok && results[0][0].stableId,
    });
    expect(points.filter((p) => p === 'appended')).toHaveLength(1);
    expect(points.filter((p) => p === 'locked')).toHaveLength(1);
    expect(readFileSync(batched.paths.eventsPath)).toEqual(readFileSync(single.paths.eventsPath));
    const live = snapshotIndex(batched.paths.indexPath);
    expect(live).toEqual(snapshotIndex(single.paths.indexPath));
    expect(rebuiltSnapshot(batched.paths.eventsPath, dir)).toEqual(live);
  });

  it("writes a record's session row once: its end reads the row its seen left unwritten", () => {
    const [a, c, copy] = [csid(), csid(), csid()];
    const [seenA, endA] = session(a, uuid('a', 1), uuid('a', 9));
    const records = [
      [seenA as RecordStep],
      // An end landing on the session another record of the batch wrote.
      [endA as RecordStep],
      session(c, uuid('c', 1), uuid('c', 9)),
      // A legacy resume copy of c: its seen joins c's session, its end finds it by its own id.
      session(copy, uuid('c', 1), uuid('d', 9)),
    ];
    const { expected, single } = oneAtATime(records);
    const dir = tempDir();
    const { store, paths } = open(dir);
    const count = new Database(paths.indexPath);
    count.exec(`CREATE TABLE row_updates (stable_id TEXT);
      CREATE TRIGGER count_updates AFTER UPDATE ON sessions
      BEGIN INSERT INTO row_updates VALUES (NEW.stable_id); END`);
    count.close();
    const results = store.recordSessions(records);
    store.close();

    expect(results).toEqual(expected);
    expect(results[3]?.[0]).toMatchObject({
      ok: true,
      stableId: results[2]?.[0]?.ok && results[2][0].stableId,
    });
    const db = new Database(paths.indexPath);
    const updated = db.prepare('SELECT stable_id FROM row_updates').pluck().all();
    db.exec('DROP TRIGGER count_updates; DROP TABLE row_updates');
    db.close();
    // a's end (a record of its own) and c's copy update a row; no record writes its row twice.
    const [idA, idC] = [results[0]?.[0], results[2]?.[0]].map((r) => (r?.ok ? r.stableId : ''));
    expect(updated).toEqual([idA, idC]);
    expect(readFileSync(paths.eventsPath)).toEqual(readFileSync(single.paths.eventsPath));
    const live = snapshotIndex(paths.indexPath);
    expect(live).toEqual(snapshotIndex(single.paths.indexPath));
    expect(rebuiltSnapshot(paths.eventsPath, dir)).toEqual(live);
  });

  it('a record whose step fails is isolated: its earlier steps stay, the records around it are written', () => {
    const [a, b, c] = [csid(), csid(), csid()];
    // Thousands of short strings: no degradation step makes this session_end fit 4096 bytes.
    const huge = { claude_session_id: b, reason: 'import', notes: Array(400).fill('x'.repeat(20)) };
    const failing = session(b, uuid('b', 1), uuid('b', 9));
    const records = [
      session(a, uuid('a', 1), uuid('a', 9)),
      [
        failing[0] as RecordStep,
        { ...failing[1], input: { ...failing[1]?.input, payload: huge } } as RecordStep,
      ],
      session(c, uuid('c', 1), uuid('c', 9)),
    ];
    const { expected, single } = oneAtATime(records);
    const dir = tempDir();
    const { store, paths } = open(dir);
    const results = store.recordSessions(records);

    expect(results).toEqual(expected);
    expect(results.map((r) => r.map((step) => step.ok))).toEqual([
      [true, true],
      [true, false],
      [true, true],
    ]);
    expect(results[1]?.[1]).toMatchObject({ ok: false, error: { code: 'EVENT_TOO_LARGE' } });
    expect(store.hasClaudeSession(b)).toBe(true);
    expect(store.stats()).toMatchObject({ sessions: 3, events: 5, lagBytes: 0 });
    store.close();
    expect(readFileSync(paths.eventsPath)).toEqual(readFileSync(single.paths.eventsPath));
    expect(rebuiltSnapshot(paths.eventsPath, dir)).toEqual(snapshotIndex(paths.indexPath));
  });

  it('a step whose fold fails after writing part of its rows leaves none of them; the steps before it stay folded', async () => {
    const [a, b, c] = [csid(), csid(), csid()];
    const dir = tempDir();
    const { store, paths } = open(dir);
    // The index refuses b's event rows once b's session row is written: a failure inside the fold.
    const poison = new Database(paths.indexPath);
    poison.exec(`CREATE TRIGGER poison BEFORE INSERT ON events
      WHEN (SELECT record FROM sessions WHERE seq = NEW.seq) LIKE '%${b}%'
      BEGIN SELECT RAISE(ABORT, 'poisoned'); END`);
    poison.close();
    const results = store.recordSessions([
      session(a, uuid('a', 1), uuid('a', 9)),
      session(b, uuid('b', 1), uuid('b', 9)),
      session(c, uuid('c', 1), uuid('c', 9)),
    ]);

    expect(results.map((r) => r.map((step) => step.ok))).toEqual([
      [true, true],
      [false],
      [true, true],
    ]);
    expect(store.hasClaudeSession(b)).toBe(false);
    expect(store.hasClaudeSession(c)).toBe(true);
    expect(store.stats()).toMatchObject({ sessions: 2, events: 4, lagBytes: 0 });
    store.close();
    const log = await readLog(paths.eventsPath);
    expect(
      log.events.map(
        (e) => (e as { payload: { claude_session_id: string } }).payload.claude_session_id,
      ),
    ).toEqual([a, a, c, c]);
    const cure = new Database(paths.indexPath);
    cure.exec('DROP TRIGGER poison');
    cure.close();
    expect(rebuiltSnapshot(paths.eventsPath, dir)).toEqual(snapshotIndex(paths.indexPath));
  });

  it('sees the events of its own earlier records not yet in the log (a repeated hook event is recorded once)', () => {
    const a = csid();
    const facts = startFacts(a);
    const step: RecordStep = {
      kind: 'seen',
      input: { facts, payload: seenPayload(a) },
      options: { hookKey: 'hk_same_payload' },
    };
    const dir = tempDir();
    const { store, paths } = open(dir);
    const [first, second] = store.recordSessions([[step], [step]]);
    expect(first?.[0]).toMatchObject({ ok: true, degraded: [] });
    expect(second?.[0]).toMatchObject({
      ok: true,
      degraded: ['duplicate_hook_event'],
      eventIds: [],
      eventId: first?.[0]?.ok === true ? first[0].eventId : 'none',
    });
    expect(store.stats()).toMatchObject({ sessions: 1, events: 1 });
    store.close();
    expect(rebuiltSnapshot(paths.eventsPath, dir)).toEqual(snapshotIndex(paths.indexPath));
  });

  it('another writer appending without the lock after the catch-up: the index folds the log as it is', async () => {
    const [a, b] = [csid(), csid()];
    const foreign = newEvent({
      op: 'alias_set',
      stable_id: 'sess_0197ffff-0000-7000-8000-000000000001',
      payload: { alias: 'from-a-busy-hook' },
    });
    let injected = false;
    const dir = tempDir();
    const { store, paths } = open(dir, [], (point, where) => {
      if (point === 'caught-up' && !injected) {
        injected = true;
        appendEvent(where.eventsPath, foreign);
      }
    });
    const results = store.recordSessions([
      session(a, uuid('a', 1), uuid('a', 9)),
      session(b, uuid('b', 1), uuid('b', 9)),
    ]);
    expect(results.flat().every((r) => r.ok)).toBe(true);
    const ours = written(results);
    expect(ours).toBeGreaterThanOrEqual(4);
    expect(store.stats()).toMatchObject({ sessions: 3, events: ours + 1, lagBytes: 0 });
    expect(store.getSession('from-a-busy-hook').ok).toBe(true);
    store.close();
    const log = await readLog(paths.eventsPath);
    expect((log.events[0] as { event_id: string }).event_id).toBe(foreign.event_id);
    expect(rebuiltSnapshot(paths.eventsPath, dir)).toEqual(snapshotIndex(paths.indexPath));
  });

  it('a fragment a dead writer left at the end of the log is closed by the batch and reported once', () => {
    const [a, b] = [csid(), csid()];
    const dir = tempDir();
    const { store, paths } = open(dir);
    const first = store.recordSessions([session(a, uuid('a', 1), uuid('a', 9))]);
    appendFileSync(paths.eventsPath, '{"event_id":"evt_cut","op":"sess');
    const results = store.recordSessions([session(b, uuid('b', 1), uuid('b', 9))]);
    expect(results[0]?.map((r) => r.ok)).toEqual([true, true]);
    const events = written(first) + written(results);
    expect(store.stats()).toMatchObject({ sessions: 2, events, lagBytes: 0 });
    expect(store.stats().logIssues).toHaveLength(1);
    store.close();
    const live = snapshotIndex(paths.indexPath);
    expect(live['sessions']).toHaveLength(2);
    expect(live['events']).toHaveLength(events);
    expect(rebuiltSnapshot(paths.eventsPath, dir)['events']).toEqual(live['events']);
  });

  it('with maxHoldMs, a prefix is recorded per call; the rest in later calls gives the same log', () => {
    const records = Array.from({ length: 5 }, (_, i) =>
      session(csid(), uuid('h', i * 10 + 1), uuid('h', i * 10 + 9)),
    );
    const whole = open(tempDir());
    whole.store.recordSessions(records);
    whole.store.close();
    const points: WritePoint[] = [];
    const parts = open(tempDir(), points);
    let rest = records;
    const sizes: number[] = [];
    while (rest.length > 0) {
      const done = parts.store.recordSessions(rest, { maxHoldMs: 0 });
      sizes.push(done.length);
      rest = rest.slice(done.length);
    }
    parts.store.close();
    expect(sizes).toEqual([1, 1, 1, 1, 1]);
    expect(points.filter((p) => p === 'committed')).toHaveLength(5);
    expect(readFileSync(parts.paths.eventsPath)).toEqual(readFileSync(whole.paths.eventsPath));
  });

  it('a busy store fails every record of the batch with STORE_BUSY and writes nothing', () => {
    const dir = tempDir();
    const { store, paths } = open(dir);
    store.recordSessions([session(csid(), uuid('z', 1), uuid('z', 2))]);
    const before = readFileSync(paths.eventsPath);
    const holder = new Database(paths.indexPath);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const records = [
        session(csid(), uuid('y', 1), uuid('y', 2)),
        session(csid(), uuid('x', 1), uuid('x', 2)),
      ];
      const results = store.recordSessions(records, { deadline: performance.now() + 50 });
      expect(results).toHaveLength(2);
      for (const result of results) {
        expect(result).toEqual([
          { ok: false, error: expect.objectContaining({ code: 'STORE_BUSY' }) },
        ]);
      }
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(readFileSync(paths.eventsPath)).toEqual(before);
    expect(store.stats()).toMatchObject({ sessions: 1, events: 2 });
    store.close();
  });
});
