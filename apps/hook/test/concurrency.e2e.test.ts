// Many hooks at once, hooks killed mid-run, and a store locked by another writer: every hook
// exits 0 silently, nothing is lost or corrupted, and the deadline holds.
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { expectSilentExit, repoDir, useHookWorld, world } from './support/hook-world.js';
import { holdWriteLock, runHookProcess } from './support/hook-process.js';
import type { HookExit } from './support/hook-process.js';
import { allSessions, sessionOf } from './support/store-view.js';
import {
  lastDiagnostics,
  newSession,
  parseEvents,
  readDiagnostics,
  readEvents,
} from './support/world.js';

useHookWorld({ repo: true });

/** A new session with its own transcript; returns its SessionStart payload. */
const newSessionIn = (prompt: string) => newSession(world, repoDir, [prompt]);

describe('concurrency', () => {
  it('32 hooks started at once record 32 sessions', async () => {
    const sessions = Array.from({ length: 32 }, (_, i) =>
      newSessionIn(`task ${i}: implement feature ${randomUUID()} in module ${i * 7}`),
    );
    const exits = await Promise.all(
      sessions.map(({ payload }) => runHookProcess(payload, { env: world.env, cwd: world.root })),
    );
    for (const exit of exits) expectSilentExit(exit);

    const events = parseEvents(readEvents(world)).filter((event) => event.op === 'session_seen');
    expect(events).toHaveLength(32);
    expect(new Set(events.map((event) => event.stable_id)).size).toBe(32);
    expect(readDiagnostics(world).map((entry) => entry.outcome)).toEqual(
      Array(32).fill('recorded'),
    );
    const stableIds = new Set(sessions.map(({ csid }) => sessionOf(world, csid).stable_id));
    expect(stableIds.size).toBe(32);
    expect(allSessions(world)).toHaveLength(32);
  });

  it('a hook killed with SIGKILL mid-run leaves nothing behind that stops the next one', async () => {
    const first = newSessionIn('prepare the store for the kill test');
    expectSilentExit(await runHookProcess(first.payload, { env: world.env, cwd: world.root }));
    const indexPath = join(world.storeDir, 'sessions-db.sqlite');

    // Killed while it waits for the write lock another process holds.
    const release = await holdWriteLock(indexPath);
    const victim = newSessionIn('this run is killed while waiting');
    const killed = await runHookProcess(victim.payload, {
      env: world.env,
      cwd: world.root,
      onSpawn: (child) => {
        void sleep(400).then(() => child.kill('SIGKILL'));
      },
    });
    await release();
    expect(killed.signal).toBe('SIGKILL');

    // Killed at whatever point it reached: right away, while loading, while working.
    for (const delay of [5, 60, 120, 250]) {
      const run = newSessionIn(`killed after ${delay} ms`);
      await runHookProcess(run.payload, {
        env: world.env,
        cwd: world.root,
        onSpawn: (child) => {
          void sleep(delay).then(() => child.kill('SIGKILL'));
        },
      });
    }

    const next = newSessionIn('the next session after the kills');
    expectSilentExit(await runHookProcess(next.payload, { env: world.env, cwd: world.root }));
    expect(lastDiagnostics(world).outcome).toBe('recorded');
    const events = parseEvents(readEvents(world));
    const recorded = sessionOf(world, next.csid);
    expect(events.at(-1)?.stable_id).toBe(recorded.stable_id);
    expect(() => sessionOf(world, victim.csid)).toThrow();
    // The index agrees with the log: one session per distinct stable id.
    expect(allSessions(world)).toHaveLength(new Set(events.map((event) => event.stable_id)).size);
  });

  it('a store locked past the deadline: the session goes to the log unindexed in time, and the next run indexes it', async () => {
    const first = newSessionIn('create the store before locking it');
    expectSilentExit(await runHookProcess(first.payload, { env: world.env, cwd: world.root }));
    const before = readEvents(world);

    const release = await holdWriteLock(join(world.storeDir, 'sessions-db.sqlite'));
    let exit: HookExit;
    const blocked = newSessionIn('this session waits for a locked store');
    try {
      exit = await runHookProcess(blocked.payload, {
        env: { ...world.env, SESSIONS_DB_HOOK_DEADLINE_MS: '500' },
        cwd: world.root,
      });
    } finally {
      await release();
    }
    expectSilentExit(exit);
    const after = readEvents(world);
    expect(after.startsWith(before)).toBe(true);
    const appended = parseEvents(after.slice(before.length));
    expect(appended.map((event) => event.payload['claude_session_id'])).toEqual([blocked.csid]);
    const entry = lastDiagnostics(world);
    expect(entry.outcome).toBe('recorded');
    expect(entry.notes).toContain('degraded: appended_unindexed');

    const next = newSessionIn('the next run after the lock is released');
    expectSilentExit(await runHookProcess(next.payload, { env: world.env, cwd: world.root }));
    expect(sessionOf(world, blocked.csid).stable_id).toBe(appended[0]?.stable_id);
  });

  it('the same SessionStart twice (settings hook and plugin) while another process creates the index: one record, decided on the index file', async () => {
    // A new store's first writer holds the new index's write lock past the hooks' busy timeout
    // at open (its schema check must write): they open it again once free, not in memory.
    const indexPath = join(world.storeDir, 'sessions-db.sqlite');
    mkdirSync(world.storeDir, { recursive: true, mode: 0o700 });
    closeSync(openSync(indexPath, 'a', 0o600));
    const release = await holdWriteLock(indexPath);
    const { csid, payload } = newSessionIn('delivered twice while the index is created');
    const runs = Promise.all([
      runHookProcess(payload, { env: world.env, cwd: world.root }),
      runHookProcess(payload, { env: world.env, cwd: world.root }),
    ]);
    await sleep(1500);
    await release();
    for (const exit of await runs) expectSilentExit(exit);
    const seen = parseEvents(readEvents(world)).filter((event) => event.op === 'session_seen');
    const notes = readDiagnostics(world).map((entry) => entry.notes);
    expect(
      seen.map((event) => event.payload['claude_session_id']),
      JSON.stringify(notes),
    ).toEqual([csid]);
    expect(notes.flat().filter((note) => note.startsWith('in-memory index'))).toEqual([]);
    expect(
      notes.map((entryNotes) => entryNotes.includes('degraded: duplicate_hook_event')),
    ).toEqual(expect.arrayContaining([true, false]));
  });
});
