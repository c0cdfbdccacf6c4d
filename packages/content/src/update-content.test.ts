import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { archiveKey, readArchived } from './archive.js';
import { openContentIndex } from './content-index.js';
import { searchContent } from './search-content.js';
import { makeTempDir } from './test-support/temp-dir.js';
import {
  assistantLine,
  bashLines,
  codexMessage,
  jsonl,
  userLine,
} from './test-support/transcript.js';
import { updateContent, updateContentInBulk } from './update-content.js';
import type { TranscriptRef } from './update-content.js';

/** `count` transcripts of one prompt each (`prompt <prefix><i><suffix>`) in `dir`, session `ses_<i>`. */
function promptTranscripts(
  dir: string,
  count: number,
  [prefix, suffix]: readonly [string, string],
): TranscriptRef[] {
  const refs: TranscriptRef[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const path = join(dir, `${id}.jsonl`);
    writeFileSync(path, jsonl([userLine(id, `prompt ${prefix}${String(i)}${suffix}`)]));
    refs.push({ path, claudeSessionId: id, stableId: `ses_${String(i)}` });
  }
  return refs;
}

describe('updateContentInBulk', () => {
  it('archives and indexes transcripts over several batches, Claude and Codex each in its format', async () => {
    const dir = makeTempDir();
    const index = openContentIndex(join(dir, 'content.db'));
    const archiveDir = join(dir, 'archive');
    const refs: TranscriptRef[] = [];
    // more transcripts than one batch holds (256), a Codex rollout among them
    for (let i = 0; i < 300; i += 1) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const path = join(dir, `${id}.jsonl`);
      writeFileSync(
        path,
        jsonl([
          userLine(id, `prompt number w${String(i)}x`),
          assistantLine(id, `answer number a${String(i)}y`),
          ...bashLines(id, `make target${String(i)}`, 'ok'),
        ]),
      );
      refs.push({ path, claudeSessionId: id, stableId: `ses_${String(i)}` });
    }
    const rollout = join(
      dir,
      'rollout-2026-11-02T09-00-00-019a3c10-0a00-7000-8000-00000000000a.jsonl',
    );
    writeFileSync(rollout, jsonl([codexMessage('user', 'Add a zebracheckout page')]));
    refs.splice(150, 0, {
      path: rollout,
      claudeSessionId: '019a3c10-0a00-7000-8000-00000000000a',
      stableId: 'ses_codex',
    });
    const cacheBefore = index.db.pragma('cache_size', { simple: true }) as number;
    const checkpointBefore = index.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    const seen: number[] = [];
    const result = await updateContentInBulk(refs, {
      archiveDir,
      index,
      onFile: (done) => seen.push(done),
    });
    // (before any search, which sets its own cache) the bulk page cache and checkpoint interval are the connection's own again
    expect(index.db.pragma('cache_size', { simple: true })).toBe(cacheBefore);
    expect(index.db.pragma('wal_autocheckpoint', { simple: true })).toBe(checkpointBefore);
    expect(result.missing).toBe(0);
    expect(result.skippedLocked).toBe(0);
    // each Claude transcript: a prompt, an answer, a Bash call and its result; the rollout: one
    expect(result.indexedRows).toBe(300 * 4 + 1);
    expect(seen).toEqual(refs.map((_, i) => i + 1));
    expect(searchContent(index, 'w0x').map((hit) => hit.stable_id)).toEqual(['ses_0']);
    expect(searchContent(index, 'a299y').map((hit) => hit.stable_id)).toEqual(['ses_299']);
    expect(searchContent(index, 'target257').map((hit) => hit.role)).toEqual(['tool']);
    expect(searchContent(index, 'zebracheckout').map((hit) => hit.stable_id)).toEqual([
      'ses_codex',
    ]);
    // a second run finds nothing new
    const again = await updateContentInBulk(refs, { archiveDir, index });
    expect(again).toEqual({ archivedBytes: 0, indexedRows: 0, skippedLocked: 0, missing: 0 });
    index.close();
  });

  it('a transcript listed again in the next batch waits for the batch before, not skipped as locked', async () => {
    const dir = makeTempDir();
    const index = openContentIndex(join(dir, 'content.db'));
    const refs = promptTranscripts(dir, 257, ['q', 'z']);
    // the first transcript again, first in the second batch, under another session
    const first = refs[0] as TranscriptRef;
    refs.push({ ...first, stableId: 'ses_again' });
    const result = await updateContentInBulk(refs, { archiveDir: join(dir, 'archive'), index });
    expect(result.skippedLocked).toBe(0);
    expect(searchContent(index, 'q0z').map((hit) => hit.stable_id)).toEqual(['ses_again']);
    index.close();
  });

  it('over several batches, leaves the index in the database file, its WAL checkpointed beside the writer', async () => {
    const dir = makeTempDir();
    const dbPath = join(dir, 'content.db');
    const index = openContentIndex(dbPath);
    const checkpointBefore = index.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    const refs = promptTranscripts(dir, 300, ['c', 'k']);
    const result = await updateContentInBulk(refs, { archiveDir: join(dir, 'archive'), index });
    expect(result.indexedRows).toBe(300);
    expect(index.db.pragma('wal_autocheckpoint', { simple: true })).toBe(checkpointBefore);
    // every page of the index is in the database file (a commit's own checkpoint would wait for
    // 64 MB of WAL): the worker's last checkpoint ran before the update returned
    const pages = index.db.pragma('page_count', { simple: true }) as number;
    const pageSize = index.db.pragma('page_size', { simple: true }) as number;
    expect(statSync(dbPath).size).toBe(pages * pageSize);
    expect(searchContent(index, 'c299k').map((hit) => hit.stable_id)).toEqual(['ses_299']);
    index.close();
  });

  it('after a large import (two batches or more, half the rows or more), leaves each FTS5 table one segment', async () => {
    const dir = makeTempDir();
    const index = openContentIndex(join(dir, 'content.db'));
    const archiveDir = join(dir, 'archive');
    const segments = (table: string): unknown =>
      index.db.prepare(`SELECT count(DISTINCT segid) AS n FROM ${table}_idx`).get();
    const refs = promptTranscripts(dir, 300, ['m', 'g']);
    const result = await updateContentInBulk(refs, { archiveDir, index });
    expect(result.indexedRows).toBe(300);
    expect(segments('content_text')).toEqual({ n: 1 });
    expect(segments('content_chunks')).toEqual({ n: 1 });
    for (const table of ['content_text', 'content_chunks'])
      index.db.exec(`INSERT INTO ${table} (${table}) VALUES ('integrity-check')`);
    expect(searchContent(index, 'm0g').map((hit) => hit.stable_id)).toEqual(['ses_0']);
    expect(searchContent(index, 'm299g').map((hit) => hit.stable_id)).toEqual(['ses_299']);
    // a small update (one batch) adds its segment and merges nothing
    mkdirSync(join(dir, 'more'));
    const more = promptTranscripts(join(dir, 'more'), 1, ['n', 'h']);
    await updateContentInBulk(more, { archiveDir, index });
    expect(segments('content_text')).toEqual({ n: 2 });
    index.close();
  });

  it("writes a batch's full-text terms as one segment per FTS5 table, and puts FTS5's hashsize back", async () => {
    const dir = makeTempDir();
    const index = openContentIndex(join(dir, 'content.db'));
    // one batch (< 32 MB) with more pending terms than FTS5's default hashsize (1 MiB) holds
    const refs: TranscriptRef[] = [];
    for (let i = 0; i < 40; i += 1) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const path = join(dir, `${id}.jsonl`);
      const words = Array.from({ length: 5000 }, (_, j) => `w${String(i)}x${String(j)}`);
      writeFileSync(path, jsonl([userLine(id, words.join(' '))]));
      refs.push({ path, claudeSessionId: id, stableId: `ses_${String(i)}` });
    }
    const hashSize = (table: string): unknown =>
      (
        index.db.prepare(`SELECT v FROM ${table}_config WHERE k = 'hashsize'`).get() as
          { v: unknown } | undefined
      )?.v;
    index.db.exec(`INSERT INTO content_text (content_text, rank) VALUES ('hashsize', 2000000)`);
    const result = await updateContentInBulk(refs, { archiveDir: join(dir, 'archive'), index });
    expect(result.indexedRows).toBe(40);
    for (const table of ['content_text', 'content_chunks'])
      expect(index.db.prepare(`SELECT count(DISTINCT segid) AS n FROM ${table}_idx`).get()).toEqual(
        { n: 1 },
      );
    // the value each table had: the one set, or FTS5's default
    expect(hashSize('content_text')).toBe(2000000);
    expect(hashSize('content_chunks') ?? 1048576).toBe(1048576);
    expect(searchContent(index, 'w39x4999').map((hit) => hit.stable_id)).toEqual(['ses_39']);
    index.close();
  });

  it('compresses two segments at a time, the archive still byte for byte', async () => {
    const dir = makeTempDir();
    const index = openContentIndex(join(dir, 'content.db'));
    const archiveDir = join(dir, 'archive');
    const refs = promptTranscripts(dir, 40, ['p', 'q']);
    const deflate = zlib.deflate.bind(zlib);
    let calls = 0;
    let running = 0;
    let most = 0;
    const spy = vi.spyOn(zlib, 'deflate').mockImplementation(((
      raw: Buffer,
      options: zlib.ZlibOptions,
      done: (error: Error | null, out: Buffer) => void,
    ) => {
      calls += 1;
      running += 1;
      most = Math.max(most, running);
      deflate(raw, options, (error, out) => {
        running -= 1;
        done(error, out);
      });
    }) as typeof zlib.deflate);
    try {
      const result = await updateContentInBulk(refs, { archiveDir, index });
      expect(result.indexedRows).toBe(40);
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(40);
    expect(most).toBe(2);
    for (const ref of refs)
      expect(readArchived(archiveDir, archiveKey(ref.path))).toEqual(readFileSync(ref.path));
    index.close();
  });
});

describe('updateContent', () => {
  it('makes a new transcript complete under a temporary name and renames it into place; one made meanwhile by another indexer wins', () => {
    const dir = makeTempDir();
    const index = openContentIndex(join(dir, 'content.db'));
    const archiveDir = join(dir, 'archive');
    const refs = promptTranscripts(dir, 3, ['n', 'm']);
    // the first transcript twice in one batch: its second listing, finding the first's temporary
    // directory, archives it under its lock before the first's is renamed (as another indexer would)
    const first = refs[0] as TranscriptRef;
    refs.splice(1, 0, { ...first, stableId: 'ses_other' });
    const result = updateContent(refs, { archiveDir, index });
    expect(result.skippedLocked).toBe(1);
    expect(readdirSync(archiveDir).sort()).toEqual(
      [...new Set(refs.map((ref) => archiveKey(ref.path)))].sort(),
    );
    for (const ref of refs)
      expect(readArchived(archiveDir, archiveKey(ref.path))).toEqual(readFileSync(ref.path));
    expect(searchContent(index, 'n0m').map((hit) => hit.stable_id)).toEqual(['ses_other']);
    expect(searchContent(index, 'n2m').map((hit) => hit.stable_id)).toEqual(['ses_2']);
    index.close();
  });
});
