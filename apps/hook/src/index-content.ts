// The hook's background content indexer (dist/index-content.cjs), started detached after a
// SessionEnd: archives and indexes the transcripts of one session at low priority. Silent; it
// exits 0 whatever happens (a failure only means the next import or search catches up).
import { constants, setPriority } from 'node:os';

import { openStore, storePathsIn } from '@sessions-db/store';
import { archiveEnabled, syncContent } from '@sessions-db/store/content';

import { parseIndexerArgs } from './content-indexer.js';

async function main(): Promise<void> {
  const args = parseIndexerArgs(process.argv.slice(2));
  if (args === null) return;
  try {
    setPriority(constants.priority.PRIORITY_LOW);
  } catch {
    // not allowed here: run at the normal priority
  }
  const store = openStore(storePathsIn(args.store, 'arg'));
  try {
    const found = store.getSession(args.session);
    if (!found.ok) return;
    await syncContent(store, {
      archive: archiveEnabled(process.env),
      sessions: [found.session],
    });
  } finally {
    store.close();
  }
}

main().catch(() => {
  // silent: the content is caught up by the next import or search
});
