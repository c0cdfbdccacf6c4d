import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readLog } from '@sessions-db/event-log';

import { openStore } from './open-store.js';
import { csid, seenPayload, startFacts } from './test-support/fixtures.js';
import { tempStore } from './test-support/temp-dir.js';
import type { StorePaths } from './types.js';

const CHILD = new URL('./test-support/busy-index-child.ts', import.meta.url).pathname;

/** How long the other process keeps the index busy (ms): long past the connection's timeout. */
const HOLD_MS = 2000;

/**
 * Run `busy-index-child.ts` with `args`; resolves `locked` once it holds the index's write lock
 * and `done` (its last line) when it exits.
 */
function startChild(...args: string[]): {
  readonly locked: Promise<void>;
  readonly done: Promise<string>;
} {
  const child = spawn(
    process.execPath,
    ['--conditions=@sessions-db/source', '--import', 'tsx', CHILD, ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  let onLocked: () => void = () => undefined;
  const locked = new Promise<void>((resolve, reject) => {
    onLocked = resolve;
    child.on('error', reject);
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('locked\n')) onLocked();
  });
  const done = new Promise<string>((resolve, reject) => {
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout.trim().split('\n').at(-1) ?? '')
        : reject(new Error(`busy-index-child exited ${String(code)}`)),
    );
  });
  return { locked, done };
}

/**
 * A new store whose index another process is creating: it holds the index's write lock for
 * {@link HOLD_MS}, so this process's schema check (which must write) finds it busy after its own
 * busy timeout, as a second hook does beside the first one on a new store.
 */
async function storeBeingCreated(): Promise<{ paths: StorePaths; released: Promise<string> }> {
  const paths = tempStore();
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  closeSync(openSync(paths.indexPath, 'a', 0o600));
  const holder = startChild('hold', paths.dir, String(HOLD_MS));
  await holder.locked;
  return { paths, released: holder.done };
}

describe('opening an index that another process keeps busy', () => {
  it('without openBusyUntil, folds the log in memory and says why', async () => {
    const { paths, released } = await storeBeingCreated();
    const store = openStore(paths, { busyTimeoutMs: 10, memoryIndexFallback: true });
    expect(store.indexFallback).toMatch(/database is locked/);
    expect(store.health().indexFallback).toBe(store.indexFallback);
    store.close();
    await released;
  });

  it('with openBusyUntil, opens it again once free instead of folding the log in memory', async () => {
    const { paths, released } = await storeBeingCreated();
    const store = openStore(paths, {
      busyTimeoutMs: 10,
      memoryIndexFallback: true,
      openBusyUntil: performance.now() + 60_000,
    });
    expect(store.indexFallback).toBeNull();
    const id = csid();
    expect(store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) }).ok).toBe(
      true,
    );
    store.close();
    await released;
    const again = openStore(paths);
    expect(again.hasClaudeSession(id)).toBe(true);
    again.close();
  });

  it('folded in memory, still decides under the write lock of the index: a hook event another writer is recording is recorded once', async () => {
    const { paths, released } = await storeBeingCreated();
    const fallback = openStore(paths, { busyTimeoutMs: 10, memoryIndexFallback: true });
    expect(fallback.indexFallback).not.toBeNull();
    await released;
    // The same SessionStart delivered twice (settings hook and plugin): a writer on the index
    // file has read the log under its lock and not yet decided when this handle records it.
    const id = csid();
    const writer = startChild('record', paths.dir, id, 'start-1', '500');
    await writer.locked;
    const result = fallback.recordSessionSeen(
      { facts: startFacts(id), payload: seenPayload(id) },
      { hookKey: 'start-1', deadline: performance.now() + 30_000, appendWhenBusy: true },
    );
    fallback.close();
    const written = JSON.parse(await writer.done) as unknown;
    expect((await readLog(paths.eventsPath)).events).toHaveLength(1);
    expect(written).toEqual({ ok: true, degraded: [] });
    expect(result).toMatchObject({ ok: true, degraded: ['duplicate_hook_event'] });
  });

  it('held in EXCLUSIVE locking mode: each attempt waits only its busy timeout, then falls back', async () => {
    const paths = tempStore();
    openStore(paths).close();
    const holder = startChild('exclusive', paths.dir, String(HOLD_MS));
    await holder.locked;
    // Not better-sqlite3's 5 s default before the connection's own timeout is set: a hook with
    // a deadline of a second would be killed there, its event lost.
    const store = openStore(paths, { busyTimeoutMs: 10, memoryIndexFallback: true });
    expect(store.indexFallback).toMatch(/database is locked/);
    store.close();
    await holder.done;
    const again = openStore(paths, { busyTimeoutMs: 10, memoryIndexFallback: true });
    expect(again.indexFallback).toBeNull();
    again.close();
  });
});
