import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { storePathsIn } from './paths.js';
import { tempDir } from './test-support/fixtures.js';
import { watchStore } from './watch.js';
import type { StoreChange } from './watch.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

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

describe('watchStore', () => {
  it('fires once for a burst of appends, sees a log that appears later, and stops on dispose', async () => {
    const { dir, cleanup } = tempDir('sdb-watch-');
    cleanups.push(cleanup);
    const paths = storePathsIn(join(dir, 'store'), 'arg');
    mkdirSync(paths.dir);
    const seen: StoreChange[] = [];
    const handle = watchStore(paths, (change) => seen.push(change), {
      debounceMs: 50,
      pollIntervalMs: 100,
    });
    cleanups.push(() => handle.dispose());

    writeFileSync(paths.eventsPath, '{"a":1}\n');
    await waitFor(() => seen.length >= 1);
    const afterCreate = seen.length;
    for (let i = 0; i < 5; i += 1) appendFileSync(paths.eventsPath, `{"a":${i}}\n`);
    await waitFor(() => seen.length > afterCreate);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length - afterCreate).toBeLessThanOrEqual(2);
    expect(seen.every((c) => c.path === paths.eventsPath)).toBe(true);

    handle.dispose();
    handle.dispose();
    const count = seen.length;
    appendFileSync(paths.eventsPath, '{"a":9}\n');
    await new Promise((r) => setTimeout(r, 400));
    expect(seen.length).toBe(count);
  });

  it('swallows listener errors and validates its arguments', async () => {
    const { dir, cleanup } = tempDir('sdb-watch-');
    cleanups.push(cleanup);
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
    cleanups.push(() => handle.dispose());
    writeFileSync(paths.eventsPath, 'x\n');
    await waitFor(() => calls >= 1);
    appendFileSync(paths.eventsPath, 'y\n');
    await waitFor(() => calls >= 2);
  });
});
