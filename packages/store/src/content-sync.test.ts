import { spawn } from 'node:child_process';
import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  fileStamp,
  ftsSegmentCounts,
  mergeFtsSegments,
  openContentIndex,
  readContentMark,
  recordSeenFiles,
  searchContent,
  updateContentInBulk,
} from '@sessions-db/content';
import { describe, expect, it, onTestFinished } from 'vitest';

import {
  CATCH_UP_BEHIND_AT_MARK,
  CATCH_UP_BEHIND_BYTES_MARK,
  CATCH_UP_LOG_MARK,
  catchUpScope,
  contentPaths,
  MERGE_ABOVE_SEGMENTS,
  rebuildContentIndex,
  SETTLE_GRACE_MS,
  syncContent,
  transcriptRefs,
} from './content-sync.js';
import { openStore } from './open-store.js';
import { csid, seenPayload, startFacts, uuid } from './test-support/fixtures.js';
import { tempDir, tempStore } from './test-support/temp-dir.js';
import type { SessionsStore } from './types.js';

/** Record a session whose transcript is a real file in `dir`; its stable id and path. */
function recordWithTranscript(store: SessionsStore, dir: string): Recorded {
  const claude = csid();
  const path = join(dir, `${claude}.jsonl`);
  writeFileSync(path, '{}\n');
  const first = uuid('scope', Number.parseInt(claude.slice(-12), 16));
  const result = store.recordSessionSeen(
    {
      facts: startFacts(claude, { firstUuid: first, lastUuid: first, tailUuids: [first] }),
      payload: seenPayload(claude, {
        transcript_file: {
          path,
          first_uuid: first,
          last_uuid: first,
          size: 3,
          mtime: '2026-05-10T09:00:00.000Z',
          status: 'ok',
          tail_uuids: [first],
        },
      }),
    },
    { ts: '2026-05-10T09:00:00.000Z' },
  );
  if (!result.ok) throw new Error(result.error.message);
  return { id: result.stableId, path };
}

/** A session recorded with a transcript file. */
interface Recorded {
  readonly id: string;
  readonly path: string;
}

/** A temp store (closed after the test) with `count` sessions recorded with transcripts, and its content index. */
function storeWithTranscripts(count: number): {
  store: SessionsStore;
  index: ReturnType<typeof openContentIndex>;
  sessions: Recorded[];
} {
  const store = openStore(tempStore());
  onTestFinished(() => store.close());
  const dir = tempDir();
  const sessions = Array.from({ length: count }, () => recordWithTranscript(store, dir));
  const index = openContentIndex(contentPaths(store).indexPath);
  onTestFinished(() => index.close());
  return { store, index, sessions };
}

describe('catchUpScope', () => {
  it('lists every session the first time; once its log position is recorded, only what was seen and the sessions written since', () => {
    const { store, index, sessions } = storeWithTranscripts(2);
    const [a, b] = sessions as [Recorded, Recorded];

    const first = catchUpScope(store, index);
    expect(first.refs.map((ref) => ref.path).sort()).toEqual([a.path, b.path].sort());
    expect([...first.current].sort()).toEqual([a.id, b.id].sort());
    expect(first.seen).toEqual([]);
    expect(first.logMark).toBeGreaterThan(0);

    // what a caught-up search records: what it saw of `a` and how far it read the log
    recordSeenFiles(
      index,
      [{ path: a.path, stableId: a.id, claudeSessionId: '', stamp: fileStamp(a.path) }],
      { [CATCH_UP_LOG_MARK]: first.logMark ?? 0 },
    );
    const quiet = catchUpScope(store, index);
    expect(quiet.refs).toEqual([]);
    expect([...quiet.current]).toEqual([]);
    expect(quiet.seen.map((file) => file.path)).toEqual([a.path]);
    expect(quiet.logMark).toBe(first.logMark);

    const c = recordWithTranscript(store, dirname(a.path));
    const after = catchUpScope(store, index);
    expect(after.refs.map((ref) => ref.path)).toEqual([c.path]);
    expect([...after.current]).toEqual([c.id]);
    expect(after.logMark).toBeGreaterThan(first.logMark ?? 0);

    // a mark past the end of the log (a log replaced): every session again
    recordSeenFiles(index, [], { [CATCH_UP_LOG_MARK]: 1e12 });
    expect(catchUpScope(store, index).refs).toHaveLength(3);
  });

  it('lists every session once for an index holding only the mark from before imported sessions settled', () => {
    const { store, index } = storeWithTranscripts(2);
    const first = catchUpScope(store, index);
    recordSeenFiles(index, [], { store_log_bytes: first.logMark ?? 0 });
    expect(catchUpScope(store, index).refs).toHaveLength(2);
  });
});

describe('settling', () => {
  /** End the session of the transcript at `path` as the SessionEnd hook (or import) does, at `ts`. */
  function end(store: SessionsStore, path: string, reason: string, ts: string): void {
    const claude = basename(path, '.jsonl');
    const result = store.recordSessionEnd(
      {
        facts: startFacts(claude, { hookEvent: 'SessionEnd', now: Date.parse(ts) }),
        payload: { claude_session_id: claude, reason },
      },
      { ts },
    );
    if (!result.ok) throw new Error(result.error.message);
  }

  it("settles the files of a session the SessionEnd hook ended, once seen after the grace; a resume unsettles them; import's end does not by its time", () => {
    const { store, index, sessions } = storeWithTranscripts(3);
    const [hooked, imported, live] = sessions as [Recorded, Recorded, Recorded];
    const endedAt = '2026-05-10T10:00:00.000Z';
    end(store, hooked.path, 'prompt_input_exit', endedAt);
    end(store, imported.path, 'import', endedAt);

    const first = catchUpScope(store, index);
    const settleOf = (scope: typeof first, path: string) =>
      scope.refs.find((ref) => ref.path === path)?.settleAfter;
    const settleAfter = Date.parse(endedAt) + SETTLE_GRACE_MS;
    expect(settleOf(first, hooked.path)).toBe(settleAfter);
    expect(settleOf(first, imported.path)).toBeNull();
    expect(settleOf(first, live.path)).toBeNull();

    // seen within the grace: still stat'ed; seen after it: settled, no longer listed as seen
    const record = (seenAt: number) =>
      recordSeenFiles(
        index,
        first.refs.map((ref) => ({ ...ref, stamp: fileStamp(ref.path) })),
        { [CATCH_UP_LOG_MARK]: first.logMark ?? 0 },
        seenAt,
      );
    record(settleAfter - 1);
    expect(catchUpScope(store, index).seen).toHaveLength(3);
    record(settleAfter);
    const quiet = catchUpScope(store, index);
    expect(quiet.refs).toEqual([]);
    expect(quiet.seen.map((file) => file.path).sort()).toEqual([imported.path, live.path].sort());

    // a resume writes SessionStart: the session is listed again, unsettled, with what was seen of it
    const claude = basename(hooked.path, '.jsonl');
    const resumed = store.recordSessionSeen(
      {
        facts: startFacts(claude, { source: 'resume', now: Date.parse(endedAt) + 3_600_000 }),
        payload: seenPayload(claude, { source: 'resume' }),
      },
      { ts: '2026-05-10T11:00:00.000Z' },
    );
    expect(resumed.ok).toBe(true);
    const after = catchUpScope(store, index);
    expect(after.refs.map((ref) => [ref.path, ref.settleAfter])).toEqual([[hooked.path, null]]);
    expect(after.seen.map((file) => file.path).sort()).toEqual(
      [hooked.path, imported.path, live.path].sort(),
    );
  });

  it('settles the files of a session import ended once seen unmodified for the grace; a resume unsettles them', () => {
    const { store, index, sessions } = storeWithTranscripts(2);
    const [idle, fresh] = sessions as [Recorded, Recorded];
    for (const session of sessions) end(store, session.path, 'import', '2026-05-10T10:00:00.000Z');
    const now = Date.now();
    const longAgo = (now - SETTLE_GRACE_MS - 1000) / 1000;
    utimesSync(idle.path, longAgo, longAgo);

    const first = catchUpScope(store, index);
    expect(first.refs.map((ref) => [ref.settleAfter, ref.settleIdleMs])).toEqual([
      [null, SETTLE_GRACE_MS],
      [null, SETTLE_GRACE_MS],
    ]);
    recordSeenFiles(
      index,
      first.refs.map((ref) => ({ ...ref, stamp: fileStamp(ref.path) })),
      { [CATCH_UP_LOG_MARK]: first.logMark ?? 0 },
      now,
    );
    // the file left alone for the grace settles; the one just written is still stat'ed
    expect(catchUpScope(store, index).seen.map((file) => file.path)).toEqual([fresh.path]);

    // with the hook, a resume writes SessionStart: the session is listed again, not settling
    const claude = basename(idle.path, '.jsonl');
    const resumed = store.recordSessionSeen(
      {
        facts: startFacts(claude, {
          source: 'resume',
          now: Date.parse('2026-05-10T11:00:00.000Z'),
        }),
        payload: seenPayload(claude, { source: 'resume' }),
      },
      { ts: '2026-05-10T11:00:00.000Z' },
    );
    expect(resumed.ok).toBe(true);
    const after = catchUpScope(store, index);
    expect(after.refs.map((ref) => [ref.path, ref.settleAfter, ref.settleIdleMs])).toEqual([
      [idle.path, null, undefined],
    ]);
  });
});

describe("syncContent and search's mark of an index too far behind", () => {
  it('clears it when every session is caught up, not when one is', async () => {
    const { store, index, sessions } = storeWithTranscripts(2);
    recordSeenFiles(index, [], {
      [CATCH_UP_BEHIND_AT_MARK]: Date.now(),
      [CATCH_UP_BEHIND_BYTES_MARK]: 100 << 20,
    });
    const found = store.getSession(sessions[0]?.id ?? '');
    if (!found.ok) throw new Error('recorded session not found');
    await syncContent(store, { archive: true, sessions: [found.session] });
    expect(readContentMark(index, CATCH_UP_BEHIND_AT_MARK)).toBeGreaterThan(0);
    await syncContent(store, { archive: true });
    expect(readContentMark(index, CATCH_UP_BEHIND_AT_MARK)).toBe(0);
  });
});

describe('syncContent with archiving off', () => {
  it('with no archive, opens no index and counts the originals that are gone', async () => {
    const store = openStore(tempStore());
    onTestFinished(() => store.close());
    const dir = tempDir();
    const [kept, gone] = [recordWithTranscript(store, dir), recordWithTranscript(store, dir)];
    rmSync(gone.path);
    const result = await syncContent(store, { archive: false });
    expect(result).toEqual({ archivedBytes: 0, indexedRows: 0, skippedLocked: 0, missing: 1 });
    expect(existsSync(kept.path)).toBe(true);
    expect(existsSync(contentPaths(store).indexPath)).toBe(false);
    expect(existsSync(contentPaths(store).archiveDir)).toBe(false);
  });

  it('indexes further what was archived before archiving was turned off', async () => {
    const store = openStore(tempStore());
    onTestFinished(() => store.close());
    const dir = tempDir();
    recordWithTranscript(store, dir);
    const archived = await syncContent(store, { archive: true });
    expect(archived.archivedBytes).toBeGreaterThan(0);
    const again = await syncContent(store, { archive: false });
    expect(again).toEqual({ archivedBytes: 0, indexedRows: 0, skippedLocked: 0, missing: 0 });
    expect(existsSync(contentPaths(store).indexPath)).toBe(true);
  });
});

/** Writes a transcript of user prompts (each with `word`) over the file of `recorded`. */
function writePrompts(recorded: Recorded, word: string, seed: number, count: number): void {
  const claude = basename(recorded.path, '.jsonl');
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      type: 'user',
      sessionId: claude,
      uuid: uuid(word, seed * 1000 + i),
      timestamp: `2026-05-10T09:00:${String(i % 60).padStart(2, '0')}.000Z`,
      message: { role: 'user', content: `${word} prompt ${String(i)} of ${claude}` },
    }),
  );
  writeFileSync(recorded.path, lines.map((line) => `${line}\n`).join(''));
}

/** The number of segments of each FTS5 table of `index`. */
const segmentsOf = ftsSegmentCounts;
/** The content index's FTS5 tables. */
const FTS_TABLES = ['content_text', 'content_chunks'];

describe('merging the FTS5 segments', () => {
  /**
   * A store whose sessions were indexed one run each (as SessionEnds do): one segment each (the
   * first session's transcript has `firstPrompts` prompts, the others `otherPrompts`).
   */
  async function fragmented(count: number, firstPrompts = 30, otherPrompts = 30) {
    const setup = storeWithTranscripts(count);
    const { store, index, sessions } = setup;
    const { archiveDir } = contentPaths(store);
    for (const [i, recorded] of sessions.entries()) {
      writePrompts(
        recorded,
        i % 2 === 0 ? 'billing' : 'invoice',
        i,
        i === 0 ? firstPrompts : otherPrompts,
      );
      const found = store.getSession(recorded.id);
      if (!found.ok) throw new Error('recorded session not found');
      await updateContentInBulk(transcriptRefs([found.session]), { archiveDir, index });
    }
    return setup;
  }

  const queries = ['billing', 'invoice', 'prompt', 'billing OR invoice', '"prompt 3"', 'pro*'];

  it(`merges each table into one segment in an indexing run once one holds more than ${String(MERGE_ABOVE_SEGMENTS)}; searches find the same`, async () => {
    const { store, index, sessions } = await fragmented(MERGE_ABOVE_SEGMENTS + 2);
    expect(segmentsOf(index)).toEqual([MERGE_ABOVE_SEGMENTS + 2, MERGE_ABOVE_SEGMENTS + 2]);
    const before = queries.map((query) => searchContent(index, query, { limit: 50 }));
    const first = sessions[0];
    if (first === undefined) throw new Error('no session');
    const found = store.getSession(first.id);
    if (!found.ok) throw new Error('recorded session not found');
    // the hook's background indexer: one session, nothing new in it
    await syncContent(store, { archive: true, sessions: [found.session] });
    expect(segmentsOf(index)).toEqual([1, 1]);
    expect(queries.map((query) => searchContent(index, query, { limit: 50 }))).toEqual(before);
    for (const table of FTS_TABLES)
      index.db.exec(`INSERT INTO ${table} (${table}) VALUES ('integrity-check')`);
  });

  it(`leaves an index of ${String(MERGE_ABOVE_SEGMENTS)} segments a table as it is`, async () => {
    const { store, index } = await fragmented(MERGE_ABOVE_SEGMENTS);
    await syncContent(store, { archive: true });
    expect(segmentsOf(index)).toEqual([MERGE_ABOVE_SEGMENTS, MERGE_ABOVE_SEGMENTS]);
  });

  it('leaves the small segments SessionEnds add after a large merged import to FTS5, not rewriting the large one', async () => {
    const { store, index, sessions } = storeWithTranscripts(MERGE_ABOVE_SEGMENTS + 3);
    const { archiveDir } = contentPaths(store);
    const indexRun = async (at: number, prompts: number): Promise<void> => {
      const recorded = sessions[at];
      if (recorded === undefined) throw new Error('no session');
      writePrompts(recorded, at % 2 === 0 ? 'billing' : 'invoice', at, prompts);
      const found = store.getSession(recorded.id);
      if (!found.ok) throw new Error('recorded session not found');
      await updateContentInBulk(transcriptRefs([found.session]), { archiveDir, index });
    };
    // a large import, merged into one segment a table
    await indexRun(0, 8000);
    await indexRun(1, 8000);
    await mergeFtsSegments(index.db, () => Promise.resolve());
    expect(segmentsOf(index)).toEqual([1, 1]);
    const segids = (table: string): unknown[] =>
      index.db.prepare(`SELECT DISTINCT segid FROM ${table}_idx ORDER BY 1`).pluck().all();
    // then one small SessionEnd after another, past the threshold
    for (let at = 2; at < sessions.length; at += 1) await indexRun(at, 30);
    const counts = segmentsOf(index);
    expect(Math.max(...counts)).toBeGreaterThan(MERGE_ABOVE_SEGMENTS);
    const before = FTS_TABLES.map(segids);
    await syncContent(store, { archive: true });
    expect(segmentsOf(index)).toEqual(counts);
    expect(FTS_TABLES.map(segids)).toEqual(before);
    expect(existsSync(`${contentPaths(store).indexPath}.merge-lock`)).toBe(false);
  });

  it('ends rebuild --content with one segment a table', async () => {
    const { store, index } = await fragmented(3);
    const before = queries.map((query) => searchContent(index, query, { limit: 50 }));
    const result = await rebuildContentIndex(store);
    expect(result.transcripts).toBe(3);
    expect(segmentsOf(index)).toEqual([1, 1]);
    // the same sessions and counts (ties may come in another order: the rows are new)
    const found = (hits: readonly { stable_id: string; more_matches: number }[]): string[] =>
      hits.map((hit) => `${hit.stable_id} ${String(hit.more_matches)}`).sort();
    expect(queries.map((query) => found(searchContent(index, query, { limit: 50 })))).toEqual(
      before.map(found),
    );
  });

  it('killed (SIGKILL) between two steps of the merge, leaves the index usable; the next run merges it', async () => {
    // enough pages for a merge of several steps
    const { store, index } = await fragmented(MERGE_ABOVE_SEGMENTS + 2, 5000, 500);
    const before = queries.map((query) => searchContent(index, query, { limit: 50 }));
    const child = spawn(
      process.execPath,
      [
        '--conditions=@sessions-db/source',
        '--import',
        'tsx',
        new URL('./test-support/merge-child.ts', import.meta.url).pathname,
        store.paths?.dir ?? '',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const closed = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
    });
    child.kill('SIGKILL');
    expect(await closed).toBe('SIGKILL');
    // one step merged, the rest not yet; its merge lock left behind
    expect(Math.max(...segmentsOf(index))).toBeGreaterThan(1);
    expect(existsSync(`${contentPaths(store).indexPath}.merge-lock`)).toBe(true);
    expect(queries.map((query) => searchContent(index, query, { limit: 50 }))).toEqual(before);
    expect(index.db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const table of FTS_TABLES)
      index.db.exec(`INSERT INTO ${table} (${table}) VALUES ('integrity-check')`);
    await syncContent(store, { archive: true });
    expect(segmentsOf(index)).toEqual([1, 1]);
    expect(existsSync(`${contentPaths(store).indexPath}.merge-lock`)).toBe(false);
    expect(queries.map((query) => searchContent(index, query, { limit: 50 }))).toEqual(before);
  }, 20_000);
});
