import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { clearContentIndex, openContentIndex } from './content-index.js';
import { SEEN_UNSETTLED } from './content-schema.js';
import {
  changedStamp,
  fileStamp,
  isSettled,
  MISSING_FILE,
  readContentMark,
  readSeenFiles,
  recordSeenFiles,
  settleAfterFor,
} from './seen-files.js';
import type { SeenFile } from './seen-files.js';
import { makeTempDir } from './test-support/temp-dir.js';

const FILES: SeenFile[] = [
  {
    path: '/p/a.jsonl',
    stableId: 'ses_a',
    claudeSessionId: 'a',
    stamp: { size: 10, mtimeMs: 1.5, ctimeMs: 2.25 },
  },
  { path: '/p/b.jsonl', stableId: 'ses_b', claudeSessionId: 'b', stamp: MISSING_FILE },
];

describe('what the catch-up saw', () => {
  it('is read back as recorded, a later stamp replacing the earlier; an unchanged record writes nothing', () => {
    const index = openContentIndex(join(makeTempDir(), 'content.db'));
    try {
      expect(readSeenFiles(index)).toEqual([]);
      expect(readContentMark(index, 'log')).toBeUndefined();
      recordSeenFiles(index, FILES, { log: 42 });
      const grown = { ...FILES[0], stamp: { size: 20, mtimeMs: 3, ctimeMs: 3 } } as SeenFile;
      recordSeenFiles(index, [grown]);
      expect(readSeenFiles(index).sort((x, y) => x.path.localeCompare(y.path))).toEqual([
        grown,
        FILES[1],
      ]);
      expect(readContentMark(index, 'log')).toBe(42);
      const changes = (): number =>
        (index.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
      const before = changes();
      recordSeenFiles(index, [], { log: 42 });
      expect(changes()).toBe(before);
      recordSeenFiles(index, [], { log: 43 });
      expect(readContentMark(index, 'log')).toBe(43);
    } finally {
      index.close();
    }
  });

  it('is forgotten with the rows, so an emptied index is caught up in full', () => {
    const path = join(makeTempDir(), 'content.db');
    const index = openContentIndex(path);
    try {
      recordSeenFiles(index, FILES, { log: 42 });
      clearContentIndex(index);
      expect(readSeenFiles(index)).toEqual([]);
      expect(readContentMark(index, 'log')).toBeUndefined();
    } finally {
      index.close();
    }
    const again = openContentIndex(path);
    try {
      expect(readSeenFiles(again)).toEqual([]);
    } finally {
      again.close();
    }
  });
});

describe('settled files', () => {
  const settling = (path: string, settleAfter: number | null): SeenFile => ({
    path,
    stableId: 'ses_s',
    claudeSessionId: 's',
    stamp: { size: 5, mtimeMs: 1, ctimeMs: 1 },
    settleAfter,
  });

  it('are left out of the files to stat once seen at or after their settle time, unless asked for by path', () => {
    const index = openContentIndex(join(makeTempDir(), 'content.db'));
    try {
      recordSeenFiles(
        index,
        [settling('/p/early.jsonl', 100), settling('/p/never.jsonl', null)],
        {},
        99,
      );
      recordSeenFiles(
        index,
        [settling('/p/late.jsonl', 100), settling('/p/other.jsonl', 100)],
        {},
        100,
      );
      const paths = (files: readonly SeenFile[]): string[] => files.map((f) => f.path).sort();
      expect(paths(readSeenFiles(index))).toEqual([
        '/p/early.jsonl',
        '/p/late.jsonl',
        '/p/never.jsonl',
        '/p/other.jsonl',
      ]);
      expect(paths(readSeenFiles(index, { alsoPaths: [] }))).toEqual([
        '/p/early.jsonl',
        '/p/never.jsonl',
      ]);
      expect(paths(readSeenFiles(index, { alsoPaths: ['/p/other.jsonl'] }))).toEqual([
        '/p/early.jsonl',
        '/p/never.jsonl',
        '/p/other.jsonl',
      ]);
      const byPath = new Map(readSeenFiles(index).map((f) => [f.path, f]));
      expect(byPath.get('/p/late.jsonl')).toEqual({
        ...settling('/p/late.jsonl', 100),
        seenAt: 100,
      });
      expect(isSettled(byPath.get('/p/late.jsonl') ?? settling('', null))).toBe(true);
      expect(isSettled(byPath.get('/p/early.jsonl') ?? settling('', null))).toBe(false);
      // no settle time: read back without one, never settled
      const { settleAfter: _none, ...never } = settling('/p/never.jsonl', null);
      expect(byPath.get('/p/never.jsonl')).toStrictEqual(never);
    } finally {
      index.close();
    }
  });

  it('of a session ended without the hook settle once seen unmodified for their idle time; a missing one never does', () => {
    const index = openContentIndex(join(makeTempDir(), 'content.db'));
    try {
      const idle = (path: string, mtimeMs: number, size = 5): SeenFile => ({
        path,
        stableId: 'ses_i',
        claudeSessionId: 'i',
        stamp: { size, mtimeMs, ctimeMs: mtimeMs },
        settleIdleMs: 600,
      });
      // seen at 1000: left alone since 400 (600 ms idle) settles, since 401 not yet
      recordSeenFiles(
        index,
        [idle('/p/old.jsonl', 400), idle('/p/fresh.jsonl', 401), idle('/p/gone.jsonl', -1, -1)],
        {},
        1000,
      );
      const paths = (files: readonly SeenFile[]): string[] => files.map((f) => f.path).sort();
      expect(paths(readSeenFiles(index, { alsoPaths: [] }))).toEqual([
        '/p/fresh.jsonl',
        '/p/gone.jsonl',
      ]);
      const byPath = new Map(readSeenFiles(index).map((f) => [f.path, f]));
      expect(byPath.get('/p/fresh.jsonl')?.settleAfter).toBe(1001);
      expect(byPath.get('/p/gone.jsonl')?.settleAfter).toBeUndefined();
      // a settle time of the session's own wins over the file's idle time
      expect(settleAfterFor({ settleAfter: 5, settleIdleMs: 600 }, idle('', 400).stamp)).toBe(5);
      expect(settleAfterFor({ settleAfter: null, settleIdleMs: 600 }, idle('', 400).stamp)).toBe(
        1000,
      );
      expect(settleAfterFor({ settleAfter: null }, idle('', 400).stamp)).toBeNull();
    } finally {
      index.close();
    }
  });

  it('are read from a partial index of the unsettled, in the order they were first recorded; an index from before it gains it on open', () => {
    const path = join(makeTempDir(), 'content.db');
    const first = openContentIndex(path);
    recordSeenFiles(
      first,
      [
        settling('/p/z.jsonl', null),
        settling('/p/settled.jsonl', 100),
        settling('/p/a.jsonl', 200),
        settling('/p/m.jsonl', 100),
      ],
      {},
      150,
    );
    first.db.exec('DROP INDEX content_seen_unsettled');
    first.close();
    const index = openContentIndex(path);
    try {
      const plan = index.db
        .prepare(`EXPLAIN QUERY PLAN SELECT rowid FROM content_seen WHERE ${SEEN_UNSETTLED}`)
        .all() as { detail: string }[];
      expect(plan.map((step) => step.detail).join('\n')).toContain('content_seen_unsettled');
      expect(readSeenFiles(index, { alsoPaths: ['/p/m.jsonl'] }).map((f) => f.path)).toEqual([
        '/p/z.jsonl',
        '/p/a.jsonl',
        '/p/m.jsonl',
      ]);
      // a file settling leaves the index, one seen again before its time comes back
      recordSeenFiles(index, [settling('/p/a.jsonl', 200)], {}, 250);
      recordSeenFiles(index, [settling('/p/settled.jsonl', 300)], {}, 250);
      expect(readSeenFiles(index, { alsoPaths: [] }).map((f) => f.path)).toEqual([
        '/p/z.jsonl',
        '/p/settled.jsonl',
      ]);
    } finally {
      index.close();
    }
  });

  it('never include a row recorded before settling was kept: its table gains the columns on open', () => {
    const path = join(makeTempDir(), 'content.db');
    const old = new Database(path);
    old.exec(`CREATE TABLE content_seen (path TEXT PRIMARY KEY, stable_id TEXT NOT NULL,
      claude_session_id TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL,
      ctime_ms REAL NOT NULL);
      INSERT INTO content_seen VALUES ('/p/a.jsonl', 'ses_a', 'a', 10, 1.5, 2.25);`);
    old.close();
    const index = openContentIndex(path);
    try {
      expect(readSeenFiles(index, { alsoPaths: [] })).toEqual([FILES[0]]);
      recordSeenFiles(index, [settling('/p/s.jsonl', 5)], {}, 5);
      expect(readSeenFiles(index, { alsoPaths: [] })).toEqual([FILES[0]]);
    } finally {
      index.close();
    }
  });
});

describe('changedStamp', () => {
  it('is null for a file as it was seen, and the new stamp once it grew, went or came', () => {
    const path = join(makeTempDir(), 't.jsonl');
    expect(changedStamp(path, undefined)).toEqual(MISSING_FILE);
    expect(changedStamp(path, MISSING_FILE)).toBeNull();
    writeFileSync(path, 'one\n');
    const first = fileStamp(path);
    expect(first.size).toBe(4);
    expect(changedStamp(path, MISSING_FILE)).toEqual(first);
    expect(changedStamp(path, first)).toBeNull();
    appendFileSync(path, 'two\n');
    expect(changedStamp(path, first)).toEqual(fileStamp(path));
    expect(fileStamp(path).size).toBe(8);
    rmSync(path);
    expect(changedStamp(path, first)).toEqual(MISSING_FILE);
  });
});
