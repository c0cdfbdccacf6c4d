import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';

import { storePathsIn } from './paths.js';
import { tempDir } from './test-support/temp-dir.js';
import { watchStore } from './watch.js';
import type { StoreChange } from './watch.js';
import type { StorePaths } from './types.js';

function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (predicate()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('condition not met in time'));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

/** Watch `paths`, polling every 100 ms, collecting its changes; disposed when the test ends. */
function collectChanges(
  paths: StorePaths,
  debounceMs: number,
): { changes: StoreChange[]; handle: ReturnType<typeof watchStore> } {
  const changes: StoreChange[] = [];
  const handle = watchStore(paths, (change) => changes.push(change), {
    debounceMs,
    pollIntervalMs: 100,
  });
  onTestFinished(() => handle.dispose());
  return { changes, handle };
}

describe('watchStore', () => {
  it('fires once for a burst of appends, sees a log that appears later, and stops on dispose', async () => {
    const dir = tempDir('sdb-watch-');
    const paths = storePathsIn(join(dir, 'store'), 'arg');
    mkdirSync(paths.dir);
    const { changes: seen, handle } = collectChanges(paths, 50);

    writeFileSync(paths.eventsPath, '{"a":1}\n');
    await waitFor(() => seen.length >= 1);
    const afterCreate = seen.length;
    for (let i = 0; i < 5; i += 1) appendFileSync(paths.eventsPath, `{"a":${i}}\n`);
    await waitFor(() => seen.length > afterCreate);
    // A later change is noticed too; by the time it is, the burst has given at most two
    // notifications (the OS watcher's and the poll's), not one per append.
    const afterBurst = seen.length;
    appendFileSync(paths.eventsPath, '{"a":"later"}\n');
    await waitFor(() => seen.length > afterBurst);
    expect(seen.length - afterCreate).toBeLessThanOrEqual(3);
    expect(seen.every((c) => c.path === paths.eventsPath)).toBe(true);

    handle.dispose();
    handle.dispose();
    const count = seen.length;
    // A second watcher, slower to report than the first was, witnesses that the next append is
    // observable; the disposed one stays silent.
    const { changes: witnessed } = collectChanges(paths, 150);
    appendFileSync(paths.eventsPath, '{"a":9}\n');
    await waitFor(() => witnessed.length >= 1);
    expect(seen.length).toBe(count);
  });

  it('swallows listener errors and validates its arguments', async () => {
    const dir = tempDir('sdb-watch-');
    const paths = storePathsIn(dir, 'arg');
    expect(() => watchStore(paths, 42 as unknown as () => void)).toThrow(TypeError);
    expect(() => watchStore(paths, () => undefined, { pollIntervalMs: 0 })).toThrow(TypeError);
    let calls = 0;
    const handle = watchStore(
      paths,
      () => {
        calls += 1;
        throw new Error('listener bug');
      },
      { debounceMs: 10, pollIntervalMs: 50 },
    );
    onTestFinished(() => handle.dispose());
    writeFileSync(paths.eventsPath, 'x\n');
    await waitFor(() => calls >= 1);
    appendFileSync(paths.eventsPath, 'y\n');
    await waitFor(() => calls >= 2);
  });
});
