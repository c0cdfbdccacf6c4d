import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { readLog } from '@sessions-db/event-log';

import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { csid, seenPayload, startFacts, tempDir } from './test-support/fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A store whose write lock another connection holds until `release()`. */
function lockedStore() {
  const { dir, cleanup } = tempDir('sdb-busy-');
  cleanups.push(cleanup);
  const paths = storePathsIn(join(dir, 'store'), 'arg');
  openStore(paths).close();
  const holder = new Database(paths.indexPath);
  holder.exec('BEGIN IMMEDIATE');
  const release = (): void => {
    if (holder.inTransaction) holder.exec('ROLLBACK');
    holder.close();
  };
  cleanups.push(release);
  return { paths, release };
}

describe('a write lock that stays busy until the deadline', () => {
  it('fails with STORE_BUSY and writes nothing by default', async () => {
    const { paths } = lockedStore();
    const store = openStore(paths, { busyTimeoutMs: 50 });
    const id = csid();
    const result = store.recordSessionSeen(
      { facts: startFacts(id), payload: seenPayload(id) },
      { deadline: Date.now() + 200 },
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
      { deadline: Date.now() + 400, appendWhenBusy: true },
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
