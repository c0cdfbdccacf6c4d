import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readLog } from '@sessions-db/event-log';

import { openStore } from './open-store.js';
import { csid, seenPayload, startFacts } from './test-support/fixtures.js';
import { tempStore } from './test-support/temp-dir.js';

describe('openStore', () => {
  it('records a session, finds it again by every kind of reference, and survives reopening', async () => {
    const paths = tempStore();
    const store = openStore(paths);
    const id = csid();
    const seen = store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) });
    expect(seen.ok).toBe(true);
    if (!seen.ok) return;
    expect(seen.minted).toBe(true);
    expect(store.getSession(seen.stableId)).toMatchObject({ ok: true, matchedBy: 'stable_id' });
    expect(store.getSession(id)).toMatchObject({ ok: true, matchedBy: 'claude_session_id' });
    expect(store.getSession(seen.stableId.slice(0, 16))).toMatchObject({
      ok: true,
      matchedBy: 'prefix',
    });
    expect(store.setAlias(seen.stableId, 'upload-flake')).toMatchObject({ ok: true });
    expect(store.getSession('upload-flake')).toMatchObject({ ok: true, matchedBy: 'alias' });
    store.close();

    const again = openStore(paths);
    const second = again.recordSessionSeen({
      facts: { ...startFacts(id), source: 'resume' },
      payload: seenPayload(id),
    });
    expect(second).toMatchObject({ ok: true, stableId: seen.stableId, minted: false });
    const found = again.findSessions({ text: 'UPLOAD' });
    expect(found.map((r) => r.stable_id)).toEqual([seen.stableId]);
    expect(found[0]?.alias).toBe('upload-flake');
    again.close();

    const log = await readLog(paths.eventsPath);
    expect(log.events.map((e) => (e as { op: string }).op)).toEqual([
      'session_seen',
      'alias_set',
      'session_seen',
    ]);
    expect(statSync(paths.eventsPath).mode & 0o777).toBe(0o600);
    expect(statSync(paths.indexPath).mode & 0o777).toBe(0o600);
    expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(paths.eventsPath, 'utf8').endsWith('\n')).toBe(true);
  });
});
