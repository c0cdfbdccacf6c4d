// Reading what the hook recorded, through the store library (never through the hook itself).
import { openStore, resolveStore } from '@sessions-db/store';
import type { SessionsStore } from '@sessions-db/store';

import type { World } from './world.js';

/** A session record as the store returns it. */
export type SessionRecord = Extract<
  ReturnType<SessionsStore['getSession']>,
  { ok: true }
>['session'];

/** Run `read` against the world's store, then close it. */
export function withStore<T>(world: World, read: (store: SessionsStore) => T): T {
  const store = openStore(resolveStore({ store: world.storeDir }));
  try {
    return read(store);
  } finally {
    store.close();
  }
}

/** The session recorded for a Claude session id (throws when there is none). */
export function sessionOf(world: World, csid: string): SessionRecord {
  return withStore(world, (store) => {
    const found = store.getSession(csid);
    if (!found.ok) throw new Error(`no session for ${csid}: ${found.error.message}`);
    return found.session;
  });
}

/** Every recorded session. */
export function allSessions(world: World): SessionRecord[] {
  return withStore(world, (store) => store.findSessions({ limit: null }));
}
