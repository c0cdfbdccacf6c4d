import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { csid, seenPayload, startFacts } from './test-support/fixtures.js';
import { tempDir } from './test-support/temp-dir.js';

function freshStore() {
  const dir = tempDir('sdb-dedupe-');
  return openStore(storePathsIn(join(dir, 'store'), 'arg'));
}

describe('one hook event delivered twice is recorded once', () => {
  it('a second SessionStart with the same hook key appends nothing', () => {
    const store = freshStore();
    const id = csid();
    const input = { facts: startFacts(id), payload: seenPayload(id) };
    const first = store.recordSessionSeen(input, { hookKey: 'hk1:a' });
    const second = store.recordSessionSeen(input, { hookKey: 'hk1:a' });
    expect(first).toMatchObject({ ok: true, minted: true, degraded: [] });
    expect(second).toMatchObject({ ok: true, minted: false, degraded: ['duplicate_hook_event'] });
    expect(first.ok && second.ok && second.stableId === first.stableId).toBe(true);
    expect(first.ok && second.ok && second.eventId === first.eventId).toBe(true);
    expect(store.stats()).toMatchObject({ sessions: 1, events: 1 });
    store.close();
  });

  it('a SessionEnd twice with one key ends once; another key or no key records again', () => {
    const store = freshStore();
    const id = csid();
    const end = {
      facts: startFacts(id),
      payload: { claude_session_id: id, reason: 'other' },
      seenPayload: seenPayload(id),
    };
    expect(store.recordSessionEnd(end, { hookKey: 'hk1:end' }).ok).toBe(true);
    expect(store.recordSessionEnd(end, { hookKey: 'hk1:end' })).toMatchObject({
      ok: true,
      degraded: ['duplicate_hook_event'],
    });
    const ends = () =>
      store.getSession(id).ok
        ? store
            .sessionTimeline(
              (store.getSession(id) as { session: { stable_id: string } }).session.stable_id,
            )
            .filter((event) => event.op === 'session_end').length
        : 0;
    expect(ends()).toBe(1);
    expect(store.recordSessionEnd(end, { hookKey: 'hk1:other' }).ok).toBe(true);
    expect(store.recordSessionEnd(end).ok).toBe(true);
    expect(ends()).toBe(3);
    store.close();
  });

  it('the same key outside the window is a new event', () => {
    const store = freshStore();
    const id = csid();
    const input = { facts: startFacts(id), payload: seenPayload(id) };
    expect(
      store.recordSessionSeen(input, { hookKey: 'hk1:k', ts: '2026-01-01T00:00:00.000Z' }).ok,
    ).toBe(true);
    expect(
      store.recordSessionSeen(input, {
        hookKey: 'hk1:k',
        ts: '2026-01-01T00:05:00.000Z',
        dedupeWindowMs: 60_000,
      }),
    ).toMatchObject({ ok: true, degraded: [] });
    expect(store.stats()).toMatchObject({ sessions: 1, events: 2 });
    store.close();
  });
});
