import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '@sessions-db/event-log';

import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { csid } from './test-support/fixtures.js';
import { tempDir } from './test-support/temp-dir.js';
import { rebuiltSnapshot, snapshotIndex } from './test-support/snapshot.js';
import { runChildWriter } from './test-support/spawn.js';

describe('concurrent writers', () => {
  it(
    '32 processes recording at once: 32 events, one stable id per Claude session id, index equals a rebuild',
    { timeout: 180_000 },
    async () => {
      const dir = tempDir();
      const storeDir = join(dir, 'store');
      openStore(storePathsIn(storeDir, 'arg')).close();
      const ids = Array.from({ length: 32 }, () => csid());
      const results = await Promise.all(ids.map((id) => runChildWriter(storeDir, id)));
      for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
      const stableIds = results.map((r) => (JSON.parse(r.stdout) as { stableId: string }).stableId);
      expect(new Set(stableIds).size).toBe(32);

      const log = await readLog(join(storeDir, 'sessions-db-events.jsonl'));
      expect(log.corruptions).toEqual([]);
      expect(log.events).toHaveLength(32);
      const live = snapshotIndex(join(storeDir, 'sessions-db.sqlite'));
      expect(live['sessions']).toHaveLength(32);
      expect(rebuiltSnapshot(join(storeDir, 'sessions-db-events.jsonl'), dir)).toEqual(live);
    },
  );

  it(
    '8 processes recording the SAME Claude session id at once get one stable id',
    { timeout: 120_000 },
    async () => {
      const dir = tempDir();
      const storeDir = join(dir, 'store');
      const id = csid();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => runChildWriter(storeDir, id)),
      );
      const stableIds = results.map((r) => (JSON.parse(r.stdout) as { stableId: string }).stableId);
      expect(new Set(stableIds).size).toBe(1);
      const store = openStore(storePathsIn(storeDir, 'arg'));
      expect(store.stats()).toMatchObject({ sessions: 1, events: 8 });
      store.close();
      rmSync(join(dir, 'rebuilt'), { recursive: true, force: true });
    },
  );
});

describe('batch writers (import) and single writers (hooks) at once', () => {
  it(
    '4 batches of 40 sessions and 16 single writers: every session once, one stable id each, index equals a rebuild',
    { timeout: 180_000 },
    async () => {
      const dir = tempDir();
      const storeDir = join(dir, 'store');
      openStore(storePathsIn(storeDir, 'arg')).close();
      const batches = Array.from({ length: 4 }, () => Array.from({ length: 40 }, () => csid()));
      const singles = Array.from({ length: 16 }, () => csid());
      const runs = await Promise.all([
        ...batches.map((ids) => runChildWriter(storeDir, ids.join(','))),
        ...singles.map((id) => runChildWriter(storeDir, id)),
      ]);
      for (const r of runs) expect(r, r.stderr).toMatchObject({ code: 0 });
      const stableIds = runs.flatMap((r) => {
        const parsed = JSON.parse(r.stdout) as { stableId: string } | { stableId: string }[];
        return (Array.isArray(parsed) ? parsed : [parsed]).map((x) => x.stableId);
      });
      expect(new Set(stableIds).size).toBe(4 * 40 + 16);

      const log = await readLog(join(storeDir, 'sessions-db-events.jsonl'));
      expect(log.corruptions).toEqual([]);
      expect(log.events).toHaveLength(4 * 40 + 16);
      const live = snapshotIndex(join(storeDir, 'sessions-db.sqlite'));
      expect(live['sessions']).toHaveLength(4 * 40 + 16);
      expect(rebuiltSnapshot(join(storeDir, 'sessions-db-events.jsonl'), dir)).toEqual(live);
    },
  );
});

describe('a writer killed at any point of the write path', () => {
  const points = ['locked', 'caught-up', 'appended', 'applied'] as const;
  const writers = [
    { count: 1, what: 'nothing appended is lost, no lock is left' },
    { count: 3, what: 'a batch: the whole batch is in the log or none of it' },
  ] as const;
  for (const { count, what } of writers) {
    for (const point of points) {
      it(
        `killed at "${point}", ${what}, the next write succeeds, index equals a rebuild`,
        { timeout: 180_000 },
        async () => {
          const dir = tempDir();
          const storeDir = join(dir, 'store');
          const first = csid();
          expect((await runChildWriter(storeDir, first)).code).toBe(0);

          const victims = Array.from({ length: count }, () => csid());
          const killed = await runChildWriter(storeDir, victims.join(','), point);
          expect(killed.signal).toBe('SIGKILL');

          const next = csid();
          const after = await runChildWriter(storeDir, next);
          expect(after.code, after.stderr).toBe(0);

          const log = await readLog(join(storeDir, 'sessions-db-events.jsonl'));
          const csids = log.events.map(
            (e) => (e as { payload: { claude_session_id: string } }).payload.claude_session_id,
          );
          const appended = point === 'appended' || point === 'applied';
          expect(csids).toEqual(appended ? [first, ...victims, next] : [first, next]);

          const store = openStore(storePathsIn(storeDir, 'arg'));
          for (const victim of victims) expect(store.hasClaudeSession(victim)).toBe(appended);
          expect(store.stats().lagBytes).toBe(0);
          store.close();
          expect(rebuiltSnapshot(join(storeDir, 'sessions-db-events.jsonl'), dir)).toEqual(
            snapshotIndex(join(storeDir, 'sessions-db.sqlite')),
          );
        },
      );
    }
  }
});
