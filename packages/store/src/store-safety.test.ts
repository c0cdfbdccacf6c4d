import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { INDEX_APPLICATION_ID } from './schema.js';
import { csid, seenPayload, startFacts } from './test-support/fixtures.js';
import { tempDir } from './test-support/temp-dir.js';

function scratch(): string {
  const dir = tempDir('sdb-safety-');
  return dir;
}

/** Another application's database: a table of its own, rollback journal, no application_id. */
function foreignDatabase(path: string, userVersion = 0): Buffer {
  const db = new Database(path);
  db.exec(
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')",
  );
  db.pragma(`user_version = ${userVersion}`);
  db.close();
  return readFileSync(path);
}

function record(paths: ReturnType<typeof storePathsIn>): void {
  const store = openStore(paths);
  const id = csid();
  expect(store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) }).ok).toBe(
    true,
  );
  store.close();
}

describe('a store never writes through a symlink or into a database that is not ours', () => {
  it('refuses a log that is a symlink to a file elsewhere; the file stays byte-identical', () => {
    const root = scratch();
    const target = join(root, 'bashrc');
    writeFileSync(target, 'export PATH=$HOME/bin:$PATH\n');
    const dir = join(root, 'store');
    mkdirSync(dir, { mode: 0o700 });
    symlinkSync(target, join(dir, 'sessions-db-events.jsonl'));
    const paths = storePathsIn(dir, 'arg');
    expect(() => openStore(paths)).toThrow(
      expect.objectContaining({
        code: 'STORE_UNSAFE',
        message: expect.stringMatching(/is a symlink/) as unknown,
      }),
    );
    expect(readFileSync(target, 'utf8')).toBe('export PATH=$HOME/bin:$PATH\n');
  });

  it('refuses an index that is a symlink to another database; that database stays byte-identical', () => {
    const root = scratch();
    const foreign = join(root, 'other-app.sqlite');
    const before = foreignDatabase(foreign, 4);
    const dir = join(root, 'store');
    mkdirSync(dir, { mode: 0o700 });
    symlinkSync(foreign, join(dir, 'sessions-db.sqlite'));
    expect(() => openStore(storePathsIn(dir, 'arg'))).toThrow(
      expect.objectContaining({ code: 'STORE_UNSAFE' }),
    );
    expect(readFileSync(foreign)).toEqual(before);
  });

  it('never modifies a foreign database found in place of the index, even with our user_version', () => {
    for (const userVersion of [0, 4]) {
      const dir = join(scratch(), 'store');
      mkdirSync(dir, { mode: 0o700 });
      const indexPath = join(dir, 'sessions-db.sqlite');
      const before = foreignDatabase(indexPath, userVersion);
      expect(() => openStore(storePathsIn(dir, 'arg'))).toThrow(
        expect.objectContaining({
          code: 'STORE_FOREIGN_INDEX',
          message: expect.stringMatching(/not a sessions-db index .* left untouched/) as unknown,
        }),
      );
      expect(readFileSync(indexPath)).toEqual(before);
      expect(existsSync(`${indexPath}-wal`)).toBe(false);
    }
  });

  it('marks its index with its own application_id, and adopts an index of ours from before the mark', () => {
    const dir = join(scratch(), 'store');
    const paths = storePathsIn(dir, 'arg');
    record(paths);
    const read = (): number => {
      const db = new Database(paths.indexPath, { readonly: true });
      try {
        return db.pragma('application_id', { simple: true }) as number;
      } finally {
        db.close();
      }
    };
    expect(read()).toBe(INDEX_APPLICATION_ID);
    // An index written before the mark existed: our tables, application_id 0.
    const db = new Database(paths.indexPath);
    db.pragma('application_id = 0');
    db.close();
    const store = openStore(paths);
    expect(store.stats().sessions).toBe(1);
    store.close();
    expect(read()).toBe(INDEX_APPLICATION_ID);
  });

  it('moves an unreadable index aside (never deletes it) and rebuilds it from the log', () => {
    const dir = join(scratch(), 'store');
    const paths = storePathsIn(dir, 'arg');
    record(paths);
    record(paths);
    const garbage = randomBytes(64 * 1024);
    writeFileSync(paths.indexPath, garbage);
    const store = openStore(paths);
    expect(store.stats().sessions).toBe(2);
    const recovery = store.health().indexRecovery;
    expect(recovery).toMatchObject({ reason: expect.stringMatching(/not a database/i) as unknown });
    store.close();
    const moved = readdirSync(dir).filter((name) => name.startsWith('sessions-db.sqlite.corrupt-'));
    expect(moved).toHaveLength(1);
    expect(readFileSync(join(dir, moved[0] ?? ''))).toEqual(garbage);
    expect(recovery?.movedTo).toBe(join(dir, moved[0] ?? ''));
  });

  it('with memoryIndexFallback, a foreign index stays untouched and the event still reaches the log', () => {
    const dir = join(scratch(), 'store');
    const paths = storePathsIn(dir, 'arg');
    record(paths);
    const before = foreignDatabase(`${paths.indexPath}.other`, 4);
    writeFileSync(paths.indexPath, before);
    const logBefore = readFileSync(paths.eventsPath, 'utf8').split('\n').filter(Boolean).length;
    const store = openStore(paths, { memoryIndexFallback: true });
    expect(store.health().indexFallback).toMatch(/STORE_FOREIGN_INDEX/);
    expect(store.stats().sessions).toBe(1);
    const id = csid();
    expect(store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) }).ok).toBe(
      true,
    );
    store.close();
    expect(readFileSync(paths.indexPath)).toEqual(before);
    const lines = readFileSync(paths.eventsPath, 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(logBefore);
    expect(lines.some((line) => line.includes(id))).toBe(true);
  });

  it('moves an index with a malformed body aside and rebuilds it', () => {
    const dir = join(scratch(), 'store');
    const paths = storePathsIn(dir, 'arg');
    record(paths);
    record(paths);
    const bytes = readFileSync(paths.indexPath);
    // Keep the 100-byte header (a valid SQLite file to open), scramble every page after it.
    const damaged = Buffer.concat([bytes.subarray(0, 100), randomBytes(bytes.length - 100)]);
    writeFileSync(paths.indexPath, damaged);
    const store = openStore(paths);
    expect(store.stats().sessions).toBe(2);
    expect(store.health().indexRecovery).not.toBeNull();
    store.close();
  });
});
