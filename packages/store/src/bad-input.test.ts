import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { initStore } from './init-store.js';
import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { csid, seenPayload, startFacts } from './test-support/fixtures.js';
import { tempDir } from './test-support/temp-dir.js';
import { snapshotIndex } from './test-support/snapshot.js';

function scratch(): string {
  const dir = tempDir('sdb-bad-');
  return dir;
}

describe('bad input and failing disks', () => {
  it('creates a missing store directory (0700) on first use', () => {
    const dir = join(scratch(), 'not', 'yet', 'there');
    const store = openStore(storePathsIn(dir, 'arg'));
    const id = csid();
    expect(store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) }).ok).toBe(
      true,
    );
    store.close();
    expect(existsSync(join(dir, 'sessions-db-events.jsonl'))).toBe(true);
  });

  it('a store path that cannot be a directory is a clear STORE_UNAVAILABLE error', () => {
    const file = join(scratch(), 'file');
    writeFileSync(file, 'not a directory');
    expect(() => openStore(storePathsIn(join(file, 'store'), 'arg'))).toThrow(
      /cannot open the store in/,
    );
    expect(initStore(storePathsIn(join(file, 'store'), 'arg'))).toMatchObject({
      ok: false,
      error: { code: 'STORE_UNAVAILABLE' },
    });
  });

  // root ignores file permissions; the disk-full case covers write failures there.
  it.skipIf(process.getuid?.() === 0)(
    'a read-only log refuses writes with an error value and loses nothing',
    () => {
      const dir = join(scratch(), 'store');
      const store = openStore(storePathsIn(dir, 'arg'));
      const id = csid();
      store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) });
      chmodSync(join(dir, 'sessions-db-events.jsonl'), 0o400);
      const second = csid();
      expect(
        store.recordSessionSeen({ facts: startFacts(second), payload: seenPayload(second) }).ok,
      ).toBe(false);
      chmodSync(join(dir, 'sessions-db-events.jsonl'), 0o600);
      expect(store.hasClaudeSession(id)).toBe(true);
      store.close();
    },
  );

  // The log is bind-mounted over /dev/full (a symlink would be refused, which is tested apart);
  // that needs root and mount(8), so the test skips itself elsewhere.
  it.skipIf(!existsSync('/dev/full') || process.getuid?.() !== 0)(
    'a full disk (writes fail with ENOSPC) gives a clear error, rolls the index back, and half-writes nothing',
    (ctx) => {
      const dir = join(scratch(), 'store');
      const paths = storePathsIn(dir, 'arg');
      const store = openStore(paths);
      const id = csid();
      store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) });
      store.close();
      const log = readFileSync(paths.eventsPath);
      const before = snapshotIndex(paths.indexPath);

      const full = join(scratch(), 'full-store');
      mkdirSync(full);
      const fullPaths = storePathsIn(full, 'arg');
      writeFileSync(fullPaths.eventsPath, '');
      const broken = openStore(fullPaths);
      // From now on every append goes to a device that is always full.
      try {
        execFileSync('mount', ['--bind', '/dev/full', fullPaths.eventsPath], { stdio: 'ignore' });
      } catch {
        broken.close();
        ctx.skip();
        return;
      }
      const other = csid();
      let result;
      try {
        result = broken.recordSessionSeen({
          facts: startFacts(other),
          payload: seenPayload(other),
        });
      } finally {
        execFileSync('umount', [fullPaths.eventsPath], { stdio: 'ignore' });
      }
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'DISK_FULL',
          message: expect.stringMatching(/^disk full: .*(ENOSPC|no space)/i),
        },
      });
      expect(broken.hasClaudeSession(other)).toBe(false);
      expect(broken.stats().sessions).toBe(0);
      broken.close();

      expect(readFileSync(paths.eventsPath)).toEqual(log);
      expect(snapshotIndex(paths.indexPath)).toEqual(before);
    },
  );

  it('a line that is JSON but not an event is skipped and reported, never fatal', () => {
    const dir = join(scratch(), 'store');
    const paths = storePathsIn(dir, 'arg');
    mkdirSync(dir);
    writeFileSync(paths.eventsPath, '42\nnull\n{"op":"alias_set"}\n');
    const store = openStore(paths);
    const id = csid();
    expect(store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) }).ok).toBe(
      true,
    );
    expect(store.stats().sessions).toBe(1);
    expect(store.stats().logIssues.map((i) => [i.kind, i.line])).toEqual([
      ['invalid_event', 1],
      ['invalid_event', 2],
      ['invalid_event', 3],
    ]);
    store.close();
  });

  it('initStore is idempotent and never modifies existing files', () => {
    const dir = join(scratch(), 'store');
    const paths = storePathsIn(dir, 'arg');
    expect(initStore(paths)).toMatchObject({
      ok: true,
      created: { dir: true, events: true, index: true },
    });
    const log = readFileSync(paths.eventsPath);
    expect(initStore(paths)).toMatchObject({
      ok: true,
      created: { dir: false, events: false, index: false },
    });
    expect(readFileSync(paths.eventsPath)).toEqual(log);
  });
});
