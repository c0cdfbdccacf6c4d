import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileStamp, openContentIndex, recordSeenFiles } from '@sessions-db/content';
import { describe, expect, it, onTestFinished } from 'vitest';

import {
  CATCH_UP_LOG_MARK,
  catchUpScope,
  contentPaths,
  SETTLE_GRACE_MS,
  syncContent,
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
