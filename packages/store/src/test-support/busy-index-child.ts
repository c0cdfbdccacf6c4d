// Another process busy with a store's index, for the tests of opening a busy index:
//   busy-index-child.ts hold <storeDir> <ms>
//     opens the index as a new store's first writer does (creating it when missing), takes its
//     write lock, prints "locked", and releases it after <ms>;
//   busy-index-child.ts exclusive <storeDir> <ms>
//     holds the index in SQLite's EXCLUSIVE locking mode (nobody else can even read it), prints
//     "locked", and closes it after <ms>;
//   busy-index-child.ts record <storeDir> <claudeSessionId> <hookKey> <ms>
//     records that session's SessionStart as the hook does (with its hook key), pausing <ms>
//     under the write lock once caught up with the log, before deciding (prints "locked" there),
//     then prints the result.
import Database from 'better-sqlite3';

import { openStore } from '../open-store.js';
import { storePathsIn } from '../paths.js';
import { sleepMs } from '../store-core.js';
import { seenPayload, startFacts } from './fixtures.js';

const [mode, dir, ...rest] = process.argv.slice(2);
if (dir === undefined || (mode !== 'hold' && mode !== 'exclusive' && mode !== 'record')) {
  process.stderr.write('usage: busy-index-child.ts hold|exclusive|record <storeDir> …\n');
  process.exit(2);
}
const paths = storePathsIn(dir, 'arg');
if (mode === 'hold') {
  const db = new Database(paths.indexPath);
  db.pragma('journal_mode = WAL');
  db.exec('BEGIN IMMEDIATE');
  process.stdout.write('locked\n');
  sleepMs(Number(rest[0]));
  db.exec('ROLLBACK');
  db.close();
} else if (mode === 'exclusive') {
  const db = new Database(paths.indexPath);
  db.pragma('locking_mode = EXCLUSIVE');
  db.exec('BEGIN EXCLUSIVE');
  db.exec('COMMIT'); // the EXCLUSIVE lock stays until the connection closes
  process.stdout.write('locked\n');
  sleepMs(Number(rest[0]));
  db.close();
} else {
  const [claudeSessionId = '', hookKey = '', ms = '0'] = rest;
  const store = openStore(paths, {
    busyTimeoutMs: 30_000,
    onWritePoint: (point) => {
      if (point !== 'caught-up') return;
      process.stdout.write('locked\n');
      sleepMs(Number(ms));
    },
  });
  const result = store.recordSessionSeen(
    { facts: startFacts(claudeSessionId), payload: seenPayload(claudeSessionId) },
    { hookKey },
  );
  store.close();
  process.stdout.write(
    JSON.stringify(result.ok ? { ok: true, degraded: result.degraded } : result) + '\n',
  );
}
