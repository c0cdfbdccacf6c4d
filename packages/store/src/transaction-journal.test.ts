import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';

import { createFileLog } from './log-port.js';
import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { StoreCore } from './store-core.js';
import { csid, seenPayload } from './test-support/fixtures.js';
import { tempDir } from './test-support/temp-dir.js';

/** SQLite's `temp_store` values: where a transaction's savepoint journal is kept. */
const DEFAULT = 0;
const MEMORY = 2;

/** A store's index opened as a bare core, and its connection. */
function core(): { core: StoreCore; db: Database.Database } {
  const paths = storePathsIn(join(tempDir('sdb-journal-'), 'store'), 'arg');
  openStore(paths).close();
  const db = new Database(paths.indexPath);
  onTestFinished(() => void db.close());
  return { core: new StoreCore({ db, log: createFileLog(paths.eventsPath), paths }), db };
}

/** `temp_store` as a transaction of `store` sees it. */
function tempStoreInside(store: StoreCore, db: Database.Database, large?: boolean): number {
  return store.transact(
    () => ({ events: [], result: () => db.pragma('temp_store', { simple: true }) as number }),
    large === undefined ? {} : { large },
  );
}

describe('where a transaction keeps its savepoint journal', () => {
  it('in memory for a small transaction, in a temp file for a large one, and back', () => {
    const { core: store, db } = core();
    expect(tempStoreInside(store, db)).toBe(MEMORY);
    expect(tempStoreInside(store, db, true)).toBe(DEFAULT);
    expect(tempStoreInside(store, db)).toBe(MEMORY);
  });

  it('in a temp file when the catch-up is long (events appended without the index)', () => {
    const { core: store, db } = core();
    expect(tempStoreInside(store, db)).toBe(MEMORY);
    const id = csid();
    // ~1 KB each: past the 256 KiB a catch-up may apply with the journal in memory
    store.appendUnlocked(
      Array.from({ length: 300 }, (_, n) => ({
        op: 'session_seen',
        stable_id: `sess_01900000-0000-7000-8000-${String(n).padStart(12, '0')}`,
        payload: seenPayload(id, { first_prompt_preview: 'x'.repeat(800) }),
      })),
    );
    expect(tempStoreInside(store, db)).toBe(DEFAULT);
    // caught up: the next one is small again
    expect(tempStoreInside(store, db)).toBe(MEMORY);
  });
});
