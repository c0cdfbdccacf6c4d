/**
 * Open a store (which builds its SQLite index from the log when missing or stale, and catches up
 * when behind) and print `{ ok, ms, sessions, events, logBytes }` as JSON. Used to prepare cached
 * stores. Usage: build-index.ts <store dir>
 */
import { performance } from 'node:perf_hooks';
import { openStore, storePathsIn } from '@sessions-db/store';

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: build-index.ts <store dir>\n');
  process.exitCode = 2;
} else {
  const started = performance.now();
  const store = openStore(storePathsIn(dir, 'arg'));
  try {
    const stats = store.stats();
    const ms = Math.round(performance.now() - started);
    process.stdout.write(
      `${JSON.stringify({ ok: stats.lagBytes === 0, ms, sessions: stats.sessions, events: stats.events, logBytes: stats.logBytes })}\n`,
    );
  } finally {
    store.close();
  }
}
