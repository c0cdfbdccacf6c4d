import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';

import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { csid, seenPayload, startFacts } from './test-support/fixtures.js';
import { tempDir } from './test-support/temp-dir.js';
import { makeReadOnly, mountSmallDisk } from '@sessions-db/vitest-config/unwritable';

function scratch(): string {
  const dir = tempDir('sdb-unwritable-');
  return dir;
}

function logLines(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

describe('an index that cannot be written', () => {
  it('a write whose event is durable succeeds (index_pending), reads fold the log, the index catches up later', async (ctx) => {
    const paths = storePathsIn(join(scratch(), 'store'), 'arg');
    const id = csid();
    const store = openStore(paths);
    expect(store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) }).ok).toBe(
      true,
    );
    store.close();

    const undo = makeReadOnly(paths.indexPath);
    if (undo === null) return ctx.skip();
    onTestFinished(undo);

    const readOnly = openStore(paths);
    const first = readOnly.setAlias(id, 'first');
    expect(first).toMatchObject({
      ok: true,
      index_pending: expect.stringMatching(/readonly|read-only/i),
    });
    readOnly.close();
    expect(logLines(paths.eventsPath)).toHaveLength(2);

    // The index is now behind and cannot catch up: reads fold the log in memory and see the alias.
    const behind = openStore(paths);
    expect(behind.health().indexFallback).toMatch(/cannot be written/);
    expect(behind.getSession('first')).toMatchObject({ ok: true });
    const second = behind.setAlias(id, 'second');
    expect(second).toMatchObject({ ok: true, index_pending: expect.any(String) });
    expect(await behind.rebuild()).toMatchObject({
      ok: false,
      error: { code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/cannot rebuild/) },
    });
    behind.close();

    undo(); // (undoing again when the test finishes does nothing)
    const healed = openStore(paths);
    expect(healed.health().indexFallback).toBeNull();
    expect(healed.health().lagBytes).toBe(0);
    expect(healed.getSession('second')).toMatchObject({ ok: true });
    expect(healed.getSession('first').ok).toBe(false);
    expect(healed.stats().events).toBe(3);
    healed.close();
  });

  it('on a full disk reads still work and writes either reach the log or fail as DISK_FULL, never half-written', (ctx) => {
    const disk = join(scratch(), 'disk');
    const unmount = mountSmallDisk(disk, 2 * 1024 * 1024);
    if (unmount === null) return ctx.skip();
    onTestFinished(unmount);
    const paths = storePathsIn(join(disk, 'store'), 'arg');
    const id = csid();
    const store = openStore(paths);
    expect(store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) }).ok).toBe(
      true,
    );
    store.close();
    // Fill what is left of the disk.
    try {
      writeFileSync(join(disk, 'fill'), Buffer.alloc(4 * 1024 * 1024));
    } catch (error) {
      expect((error as { code?: unknown }).code).toBe('ENOSPC');
    }

    const full = openStore(paths);
    expect(full.getSession(id)).toMatchObject({ ok: true });
    expect(full.findSessions({}).map((s) => s.claude_session_ids)).toEqual([[id]]);
    // Keep writing until the log itself is full: every write before is durable and reported.
    let failure: unknown;
    let written = 0;
    for (let i = 0; i < 200 && failure === undefined; i += 1) {
      const result = full.setAlias(id, `alias-${i}-${'x'.repeat(200)}`);
      if (result.ok) written += 1;
      else failure = result.error;
    }
    expect(failure).toMatchObject({
      code: 'DISK_FULL',
      message: expect.stringMatching(/^disk full/),
    });
    full.close();
    // Every written event is a whole line of the log; a failed append leaves at most a partial
    // last line, which the log tolerates.
    const text = readFileSync(paths.eventsPath, 'utf8');
    const whole = text
      .slice(0, text.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((line) => line !== '');
    expect(whole).toHaveLength(1 + written);
    for (const line of whole) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});
