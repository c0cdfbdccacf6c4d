// Hold the store's SQLite write lock (BEGIN IMMEDIATE) until stdin closes, like a slow writer in
// another process. Prints "locked" once the lock is held.
// Usage: node hold-lock.mjs <sessions-db.sqlite>
import Database from 'better-sqlite3';

const db = new Database(process.argv[2]);
db.pragma('busy_timeout = 10000');
db.pragma('journal_mode = WAL'); // the index's mode (already so once a store has written it)
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');
process.stdin.resume();
process.stdin.on('end', () => {
  db.exec('ROLLBACK');
  db.close();
  process.exit(0);
});
