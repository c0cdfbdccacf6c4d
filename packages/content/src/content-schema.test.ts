import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { archiveKey } from './archive.js';
import { openContentIndex, openContentIndexReadOnly } from './content-index.js';
import { CONTENT_SCHEMA_VERSION } from './content-schema.js';
import { searchContent } from './search-content.js';
import { toLayout2 } from './test-support/layout-2.js';
import { makeTempDir } from './test-support/temp-dir.js';
import { assistantLine, jsonl, userLine } from './test-support/transcript.js';
import { updateContent } from './update-content.js';

/** The first layout of the content index, as sessions-db wrote it before layout 2. */
const FIRST_LAYOUT = `
CREATE TABLE content_files (
  key TEXT PRIMARY KEY, version INTEGER NOT NULL, indexed_bytes INTEGER NOT NULL,
  stable_id TEXT NOT NULL, claude_session_id TEXT NOT NULL
);
CREATE VIRTUAL TABLE content_rows USING fts5(
  text, stable_id UNINDEXED, claude_session_id UNINDEXED, role UNINDEXED, ts UNINDEXED,
  uuid UNINDEXED, file_key UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
);`;

/** A first-layout index holding two sessions' rows, as the old indexer left them. */
function firstLayoutIndex(dbPath: string): void {
  const db = new Database(dbPath);
  db.exec(FIRST_LAYOUT);
  const insert = db.prepare('INSERT INTO content_rows VALUES (?, ?, ?, ?, ?, ?, ?)');
  insert.run('deploy the canary first', 'ses_a', 'c1', 'user', '2026-11-01T10:00:00Z', 'u1', 'k1');
  insert.run(
    'canary looks healthy',
    'ses_a',
    'c1',
    'assistant',
    '2026-11-01T10:01:00Z',
    'u2',
    'k1',
  );
  insert.run('roll back the canary', 'ses_b', 'c2', 'user', '2026-11-03T10:00:00Z', 'u3', 'k2');
  insert.run('unrelated words', 'ses_b', 'c2', 'user', '2026-11-03T10:01:00Z', 'u4', 'k2');
  db.prepare('INSERT INTO content_files VALUES (?, 1, 100, ?, ?)').run('k1', 'ses_a', 'c1');
  db.prepare('INSERT INTO content_files VALUES (?, 1, 200, ?, ?)').run('k2', 'ses_b', 'c2');
  db.close();
}

describe('the content index layout', () => {
  it('converts an index of the first layout on open, keeping its rows and file states', () => {
    const dir = makeTempDir();
    const dbPath = join(dir, 'content.db');
    firstLayoutIndex(dbPath);
    // a reader cannot convert it: it reads it as not indexed yet
    expect(openContentIndexReadOnly(dbPath)).toBeNull();

    const index = openContentIndex(dbPath);
    try {
      expect(index.db.pragma('user_version', { simple: true })).toBe(CONTENT_SCHEMA_VERSION);
      const hits = searchContent(index, 'canary');
      expect(hits.map((h) => [h.stable_id, h.more_matches]).sort()).toEqual([
        ['ses_a', 1],
        ['ses_b', 0],
      ]);
      expect(searchContent(index, 'canary', { role: 'assistant' })).toMatchObject([
        { stable_id: 'ses_a', uuid: 'u2', snippet: '[canary] looks healthy' },
      ]);
      expect(
        index.db.prepare('SELECT key, indexed_bytes FROM content_files ORDER BY key').all(),
      ).toEqual([
        { key: 'k1', indexed_bytes: 100 },
        { key: 'k2', indexed_bytes: 200 },
      ]);
      expect(index.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      index.close();
    }
    const reader = openContentIndexReadOnly(dbPath);
    expect(reader).not.toBeNull();
    reader?.close();
  });

  it('starts an index of a layout it does not know afresh, and the next update refills it', () => {
    const dir = makeTempDir();
    const dbPath = join(dir, 'content.db');
    const archiveDir = join(dir, 'archive');
    const path = join(dir, 's.jsonl');
    writeFileSync(path, jsonl([userLine('c1', 'zebra crossing'), assistantLine('c1', 'zebra')]));
    const ref = { path, claudeSessionId: 'c1', stableId: 'ses_z' };
    const first = openContentIndex(dbPath);
    updateContent([ref], { archiveDir, index: first });
    first.db.pragma(`user_version = ${String(CONTENT_SCHEMA_VERSION + 1)}`);
    first.close();

    const index = openContentIndex(dbPath);
    try {
      expect(searchContent(index, 'zebra')).toEqual([]);
      // the archive still holds the transcript: indexing again reads it from there
      updateContent([ref], { archiveDir, index, archive: false });
      expect(searchContent(index, 'zebra')).toMatchObject([
        { stable_id: 'ses_z', more_matches: 1 },
      ]);
      expect(
        index.db
          .prepare('SELECT key FROM content_files')
          .all()
          .map((r) => (r as { key: string }).key),
      ).toEqual([archiveKey(path)]);
    } finally {
      index.close();
    }
  });
});

describe('the session-level table', () => {
  /** Three transcripts of two sessions (one resumed into a second transcript) indexed now. */
  function indexed(dir: string): {
    dbPath: string;
    refs: { path: string; claudeSessionId: string; stableId: string }[];
  } {
    const dbPath = join(dir, 'content.db');
    const write = (name: string, stableId: string, lines: string[]) => {
      const path = join(dir, `${name}.jsonl`);
      writeFileSync(path, jsonl(lines));
      return { path, claudeSessionId: name, stableId };
    };
    const refs = [
      write('a1', 'ses_a', [userLine('a1', 'deploy the canary'), assistantLine('a1', 'canary up')]),
      write('a2', 'ses_a', [userLine('a2', 'deploy the canary'), assistantLine('a2', 'rolled')]),
      write('b1', 'ses_b', [userLine('b1', 'roll back the canary'), userLine('b1', 'other')]),
    ];
    const index = openContentIndex(dbPath);
    updateContent(refs, { archiveDir: join(dir, 'archive'), index });
    index.close();
    return { dbPath, refs };
  }

  const found = (
    index: ReturnType<typeof openContentIndex>,
    query: string,
    role?: 'user' | 'assistant',
  ) =>
    searchContent(index, query, role === undefined ? {} : { role })
      .map((h) => [h.stable_id, h.more_matches])
      .sort();

  it('is filled from the rows when an index of layout 2 is opened for writing; a reader searches it row by row meanwhile', () => {
    const dir = makeTempDir();
    const { dbPath } = indexed(dir);
    toLayout2(dbPath, { timeIndex: true });
    const reader = openContentIndexReadOnly(dbPath);
    if (reader === null) throw new Error('a reader opens layout 2');
    const before = [
      found(reader, 'canary'),
      found(reader, 'canary', 'assistant'),
      found(reader, 'deploy OR rolled'),
    ];
    reader.close();
    expect(before[0]).toEqual([
      ['ses_a', 2],
      ['ses_b', 0],
    ]);

    const index = openContentIndex(dbPath);
    try {
      expect(index.db.pragma('user_version', { simple: true })).toBe(CONTENT_SCHEMA_VERSION);
      // one chunk per transcript
      expect(index.db.prepare('SELECT count(*) AS n FROM content_chunk_files').get()).toEqual({
        n: 3,
      });
      expect([
        found(index, 'canary'),
        found(index, 'canary', 'assistant'),
        found(index, 'deploy OR rolled'),
      ]).toEqual(before);
      expect(index.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      index.close();
    }
  });

  it('loses a transcript’s chunks with its rows (indexed again under another session)', () => {
    const dir = makeTempDir();
    const { dbPath, refs } = indexed(dir);
    const index = openContentIndex(dbPath);
    try {
      const moved = refs.map((ref) =>
        ref.stableId === 'ses_b' ? { ...ref, stableId: 'ses_c' } : ref,
      );
      updateContent(moved, { archiveDir: join(dir, 'archive'), index, archive: false });
      expect(found(index, 'canary')).toEqual([
        ['ses_a', 2],
        ['ses_c', 0],
      ]);
      expect(index.db.prepare('SELECT count(*) AS n FROM content_chunk_files').get()).toEqual({
        n: 3,
      });
      // no chunk left of ses_b: only ses_a's two and ses_c's one match
      expect(
        index.db
          .prepare("SELECT count(*) AS n FROM content_chunks WHERE content_chunks MATCH 'canary'")
          .get(),
      ).toEqual({ n: 3 });
    } finally {
      index.close();
    }
  });
});

describe('a transcript indexed as it grows', () => {
  it('keeps adding to its last chunk while that is small, then starts another; search finds the same', () => {
    const dir = makeTempDir();
    const archiveDir = join(dir, 'archive');
    const path = join(dir, 'live.jsonl');
    const ref = { path, claudeSessionId: 'live', stableId: 'ses_live' };
    const index = openContentIndex(join(dir, 'content.db'));
    try {
      const lines: string[] = [];
      const chunks = (): number =>
        (index.db.prepare('SELECT count(*) AS n FROM content_chunk_files').get() as { n: number })
          .n;
      // indexed after each new line (a search's catch-up, a session end): 40 rows, one chunk
      for (let i = 0; i < 40; i += 1) {
        lines.push(userLine('live', `step ${String(i)} of the walrus rollout`));
        writeFileSync(path, jsonl(lines));
        updateContent([ref], { archiveDir, index });
      }
      expect(chunks()).toBe(1);
      expect(searchContent(index, 'walrus')).toMatchObject([
        { stable_id: 'ses_live', more_matches: 39 },
      ]);
      // a phrase said in the first line only, found in the chunk as in the rows
      expect(searchContent(index, '"step 0 of"')).toMatchObject([{ more_matches: 0 }]);
      // past SMALL_CHUNK_ROWS rows the next call starts a chunk of its own
      for (let i = 40; i < 80; i += 1) {
        lines.push(userLine('live', `step ${String(i)} of the walrus rollout`));
        writeFileSync(path, jsonl(lines));
        updateContent([ref], { archiveDir, index });
      }
      expect(chunks()).toBe(2);
      expect(searchContent(index, 'walrus')).toMatchObject([{ more_matches: 79 }]);
      expect(
        index.db
          .prepare("SELECT count(*) AS n FROM content_chunks WHERE content_chunks MATCH 'walrus'")
          .get(),
      ).toEqual({ n: 2 });
      expect(index.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      index.close();
    }
  });
});
