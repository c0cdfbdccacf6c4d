// A background indexer killed while merging, for the SIGKILL test of merging the FTS5 segments:
//   merge-child.ts <storeDir>
// runs an indexing run (syncContent) over every session; once the merge of the FTS5 segments has
// committed its first step, prints "ready" and waits there, holding the merge lock, until killed.
import Database from 'better-sqlite3';

import { syncContent } from '../content-sync.js';
import { openStore } from '../open-store.js';
import { storePathsIn } from '../paths.js';

const [dir] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: merge-child.ts <storeDir>\n');
  process.exit(2);
}
const exec = Database.prototype.exec;
Database.prototype.exec = function execThenWait(this: Database.Database, sql: string) {
  const result = exec.call(this, sql);
  if (sql.includes("'merge'")) {
    process.stdout.write('ready\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
  return result;
};
const store = openStore(storePathsIn(dir, 'arg'));
await syncContent(store, { archive: true });
throw new Error('merged without waiting');
