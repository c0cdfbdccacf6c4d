// A small fixed store for golden outputs: a fork and a clear below one session, an aliased
// session, a closed one, and one labelled only by its first prompt.
import type { SessionRecord } from '@sessions-db/projection';
import type { SessionsStore } from '@sessions-db/store';
import { createFixedStore, csidOf, memoryDeps, runCli, seedSession } from './harness.js';

/** The stable ids of {@link createFixtureStore}, by role. */
export interface FixtureIds {
  readonly origin: string;
  readonly fork: string;
  readonly clear: string;
  readonly checkout: string;
  readonly darkMode: string;
}

function must(result: { ok: boolean }, what: string): void {
  if (!result.ok) throw new Error(`fixture: ${what} failed: ${JSON.stringify(result)}`);
}

/** Build the fixture store (deterministic ids, clock set per event). */
export function createFixtureStore(): {
  store: SessionsStore & { setNow(iso: string): void };
  ids: FixtureIds;
} {
  const store = createFixedStore();
  const darkMode = seedSession(store, {
    csid: csidOf(5),
    ts: '2026-02-10T14:02:11.418Z',
    cwd: '/home/alex/code/acme-web',
    branch: 'feat/dark-mode',
    prompt:
      'add a dark mode toggle to the settings page; it should follow the system preference until the user picks one',
  });
  const checkout = seedSession(store, {
    csid: csidOf(4),
    ts: '2026-02-20T13:05:44.207Z',
    cwd: '/home/alex/code/acme-web',
    branch: 'refactor/checkout',
    prompt:
      'split CheckoutPage.tsx (1,900 lines) into smaller components without changing behaviour',
    aiTitle: 'Split CheckoutPage into components',
  });
  const origin = seedSession(store, {
    csid: csidOf(1),
    ts: '2026-03-02T09:14:03.120Z',
    branch: 'fix/login-redirect',
    prompt: 'the login redirect loops forever after the OAuth callback, can you find out why?',
    aiTitle: 'Fix OAuth callback redirect loop',
    customTitle: 'login-redirect-loop',
  });
  const clear = seedSession(store, {
    csid: csidOf(3),
    ts: '2026-03-02T09:31:52.418Z',
    branch: 'fix/login-redirect',
    prompt:
      'now add a regression test for the redirect loop: after the callback the next request to / must not redirect',
  });
  const fork = seedSession(store, {
    csid: csidOf(2),
    ts: '2026-03-04T16:40:18.502Z',
    branch: 'fix/login-redirect',
    prompt:
      'try a different approach: keep path /auth but move the session check into a middleware',
    aiTitle: 'Scoped session middleware experiment',
  });
  store.setNow('2026-03-02T09:31:52.500Z');
  must(store.setParent(clear, origin, { kind: 'clear' }), 'clear edge');
  store.setNow('2026-03-04T16:40:18.600Z');
  must(store.setParent(fork, origin, { kind: 'fork' }), 'fork edge');
  store.setNow('2026-02-21T10:00:00.000Z');
  must(store.setAlias(checkout, 'checkout-split'), 'alias');
  store.setNow('2026-02-22T10:00:00.000Z');
  must(store.closeSession(checkout, { outcome: 'done', reason: 'merged in #412' }), 'close');
  store.setNow('2026-03-10T12:00:00.000Z');
  return { store, ids: { origin, fork, clear, checkout, darkMode } };
}

/**
 * The fixture store with a CLI runner bound to it, and `record(id)` to read a session back
 * (throws when it is missing).
 */
export function fixtureCli() {
  const { store, ids } = createFixtureStore();
  const record = (id: string): SessionRecord => {
    const found = store.getSession(id);
    if (!found.ok) throw new Error(`missing session ${id}`);
    return found.session;
  };
  return { store, ids, record, run: (...argv: string[]) => runCli(argv, memoryDeps(store)) };
}
