import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { MAX_EVENT_BYTES } from '@sessions-db/event-log';

import { shortenLongString } from './fit-payload.js';
import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { csid, seenPayload, startFacts } from './test-support/fixtures.js';
import { tempDir } from './test-support/temp-dir.js';

describe('long paths are recorded, shortened with a marker and a hash', () => {
  it('a session whose cwd is 1500 characters long is recorded within the line cap', () => {
    const dir = tempDir('sdb-long-');
    const paths = storePathsIn(join(dir, 'store'), 'arg');
    const cwd = `/home/u/${'deep-directory/'.repeat(100)}proj`;
    const id = csid();
    const store = openStore(paths);
    const result = store.recordSessionSeen({
      facts: startFacts(id, { cwd, worktreeRealpath: cwd }),
      payload: seenPayload(id, {
        cwd,
        worktree_path_observed: cwd,
        worktree_realpath: cwd,
        git_common_dir: `${cwd}/.git`,
      }),
    });
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.degraded).toContain('paths_shortened');
    const found = store.getSession(result.stableId);
    store.close();
    const record = found.ok ? found.session : undefined;
    const lines = readFileSync(paths.eventsPath, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0] ?? '')).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(record?.cwd).toBe(shortenLongString(cwd));
    expect(record?.cwd).toMatch(/^\/home\/u\/deep-directory.*…\[sha256:[0-9a-f]{12}\]….*\/proj$/);
  });

  it('two long paths that differ only in the middle stay different; short ones are unchanged', () => {
    const a = `/a/${'x'.repeat(200)}/one/${'y'.repeat(200)}`;
    const b = `/a/${'x'.repeat(200)}/two/${'y'.repeat(200)}`;
    expect(shortenLongString(a)).not.toBe(shortenLongString(b));
    expect([...shortenLongString(a)].length).toBeLessThan(240);
    expect(shortenLongString('/home/u/proj')).toBe('/home/u/proj');
  });
});
