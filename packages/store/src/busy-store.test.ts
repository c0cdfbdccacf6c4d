import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readLog } from '@sessions-db/event-log';

import { stableIdForClaudeSession } from './claude-mint.js';
import { createFileLog } from './log-port.js';
import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { StoreCore } from './store-core.js';
import { csid, seenPayload, startFacts } from './test-support/fixtures.js';
import { tempDir } from './test-support/temp-dir.js';

/** A store whose write lock another connection holds until `release()`. */
function lockedStore() {
  const dir = tempDir('sdb-busy-');
  const paths = storePathsIn(join(dir, 'store'), 'arg');
  openStore(paths).close();
  const holder = new Database(paths.indexPath);
  holder.exec('BEGIN IMMEDIATE');
  const release = (): void => {
    if (holder.inTransaction) holder.exec('ROLLBACK');
    holder.close();
  };
  onTestFinished(release);
  return { paths, release };
}

describe('a write lock that stays busy until the deadline', () => {
  it('fails with STORE_BUSY and writes nothing by default', async () => {
    const { paths } = lockedStore();
    const store = openStore(paths, { busyTimeoutMs: 50 });
    const id = csid();
    const result = store.recordSessionSeen(
      { facts: startFacts(id), payload: seenPayload(id) },
      { deadline: performance.now() + 200 },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'STORE_BUSY' } });
    expect((await readLog(paths.eventsPath)).events).toHaveLength(0);
    store.close();
  });

  it('with appendWhenBusy, appends to the log anyway; the next writer indexes it', async () => {
    const { paths, release } = lockedStore();
    const store = openStore(paths, { busyTimeoutMs: 50 });
    const id = csid();
    const result = store.recordSessionSeen(
      { facts: startFacts(id), payload: seenPayload(id) },
      { deadline: performance.now() + 400, appendWhenBusy: true },
    );
    expect(result).toMatchObject({ ok: true, minted: true, degraded: ['appended_unindexed'] });
    expect((await readLog(paths.eventsPath)).events).toHaveLength(1);
    expect(store.hasClaudeSession(id)).toBe(false);

    release();
    const other = csid();
    expect(
      store.recordSessionSeen({ facts: startFacts(other), payload: seenPayload(other) }).ok,
    ).toBe(true);
    expect(store.hasClaudeSession(id)).toBe(true);
    expect(result.ok && store.getSession(id)).toMatchObject({
      ok: true,
      session: { stable_id: result.ok ? result.stableId : '' },
    });
    expect(store.stats()).toMatchObject({ sessions: 2, events: 2, lagBytes: 0 });
    store.close();
  });
});

describe('the busy path never mints two ids for one new Claude session', () => {
  it('two unindexed appends for the same new Claude session id end as one session once indexed', async () => {
    const { paths, release } = lockedStore();
    const first = openStore(paths, { busyTimeoutMs: 0 });
    const second = openStore(paths, { busyTimeoutMs: 0 });
    const id = csid();
    const options = { deadline: performance.now(), appendWhenBusy: true } as const;
    const a = first.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) }, options);
    const b = second.recordSessionSeen(
      { facts: startFacts(id), payload: seenPayload(id) },
      { ...options, deadline: performance.now() },
    );
    expect(a).toMatchObject({ ok: true, minted: true, degraded: ['appended_unindexed'] });
    expect(b).toMatchObject({ ok: true, minted: true, degraded: ['appended_unindexed'] });
    expect(a.ok && b.ok && a.stableId === b.stableId).toBe(true);
    expect((await readLog(paths.eventsPath)).events).toHaveLength(2);

    release();
    first.catchUp();
    expect(first.stats()).toMatchObject({ sessions: 1, events: 2, lagBytes: 0 });
    expect(first.getSession(id)).toMatchObject({
      ok: true,
      session: { stable_id: a.ok ? a.stableId : '', claude_session_ids: [id] },
    });
    first.close();
    second.close();
  });

  // The free writer's options are made when its case runs: a deadline is a point in time.
  it.each([
    [
      'a busy writer and a writer holding the lock',
      () => ({ deadline: performance.now() + 5000, appendWhenBusy: true }),
    ],
    [
      'a writer on the normal path (import, no appendWhenBusy) and a busy hook',
      () => ({ ts: '2026-01-01T00:00:00.000Z' }),
    ],
  ] as const)('%s mint the same id for the same new session', (_name, freeOptions) => {
    const id = csid();
    const free = openStore(storePathsIn(join(tempDir('sdb-busy-free-'), 'store'), 'arg'));
    const busy = openStore(lockedStore().paths, { busyTimeoutMs: 0 });
    const viaFree = free.recordSessionSeen(
      { facts: startFacts(id), payload: seenPayload(id) },
      freeOptions(),
    );
    const viaAppend = busy.recordSessionSeen(
      { facts: startFacts(id), payload: seenPayload(id) },
      { deadline: performance.now(), appendWhenBusy: true },
    );
    expect(viaFree).toMatchObject({ ok: true, minted: true, degraded: [] });
    expect(viaAppend).toMatchObject({ ok: true, minted: true, degraded: ['appended_unindexed'] });
    expect(viaFree.ok && viaAppend.ok && viaFree.stableId === viaAppend.stableId).toBe(true);
    free.close();
    busy.close();
  });

  it('an id already held by another session is never reused: a fresh one is minted', () => {
    const dir = tempDir('sdb-busy-held-');
    const paths = storePathsIn(join(dir, 'store'), 'arg');
    const id = csid();
    const derived = stableIdForClaudeSession(id);
    // A session that already holds the derived id under another Claude session id.
    openStore(paths).close();
    appendFileSync(
      paths.eventsPath,
      `${JSON.stringify({
        ts: '2026-01-01T00:00:00.000Z',
        event_id: 'evt_held',
        op: 'session_seen',
        stable_id: derived,
        payload: { claude_session_id: csid() },
      })}\n`,
    );
    const store = openStore(paths);
    const result = store.recordSessionSeen(
      { facts: startFacts(id), payload: seenPayload(id) },
      { deadline: performance.now() + 5000, appendWhenBusy: true },
    );
    expect(result).toMatchObject({ ok: true, minted: true });
    expect(result.ok && result.stableId).not.toBe(derived);
    expect(store.stats()).toMatchObject({ sessions: 2 });
    store.close();
  });
});

describe('isWriteLocked', () => {
  it('says whether another connection holds the lock, and leaves the busy timeout as it was', () => {
    const { paths, release } = lockedStore();
    const db = new Database(paths.indexPath);
    onTestFinished(() => void db.close());
    const core = new StoreCore({
      db,
      log: createFileLog(paths.eventsPath),
      paths,
      busyTimeoutMs: 1234,
    });
    expect(core.isWriteLocked()).toBe(true);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    release();
    expect(core.isWriteLocked()).toBe(false);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(db.inTransaction).toBe(false);
  });
});
