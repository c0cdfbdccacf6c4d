import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  openContentIndex,
  readSeenFiles,
  recordSeenFiles,
  searchContent,
} from '@sessions-db/content';
import type { SeenFile, TranscriptRef } from '@sessions-db/content';
import { CATCH_UP_BEHIND_AT_MARK, SETTLE_GRACE_MS } from '@sessions-db/store/content';
import type { CatchUpScope } from '@sessions-db/store/content';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../test-support/harness.js';
import { exchangeRows } from '../test-support/transcript-rows.js';
import { catchUpForSearch, pendingContent, SEARCH_BEHIND_RECHECK_MS } from './content-store.js';

/** A temp directory and a content index in it, both gone after the test. */
function tempIndex() {
  const { dir, cleanup } = tempDir();
  onTestFinished(cleanup);
  const index = openContentIndex(join(dir, 'content.db'));
  onTestFinished(() => index.close());
  return { dir, index };
}

describe('pendingContent', () => {
  it('settles a changed file of an imported session from its new modification time, not the one seen before', () => {
    const { dir, index } = tempIndex();
    const id = '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d';
    const path = join(dir, `${id}.jsonl`);
    const ref: TranscriptRef = {
      path,
      stableId: 'ses_imported',
      claudeSessionId: id,
      settleAfter: null,
      settleIdleMs: SETTLE_GRACE_MS,
    };
    // seen a day ago, when the file had been left alone since two days ago (settles after that)
    const now = Date.now();
    const longAgo = now - 2 * 24 * 3600 * 1000;
    const seen: SeenFile = {
      ...ref,
      stamp: { size: 1, mtimeMs: longAgo, ctimeMs: longAgo },
      settleAfter: longAgo + SETTLE_GRACE_MS,
      seenAt: longAgo + SETTLE_GRACE_MS - 1,
    };
    // written to just now, with no event (a resume without the hook)
    writeFileSync(
      path,
      exchangeRows({
        cwd: '/home/alex/code/acme-api',
        sessionId: id,
        uuids: ['00000011-3f0e-4e5e-9d0b-6c1f2a3b4c5d', '00000012-3f0e-4e5e-9d0b-6c1f2a3b4c5d'],
        prompt: 'still working',
        minute: '2026-03-05T09:00',
      }),
    );
    const recent = new Date(now - 1000);
    utimesSync(path, recent, recent);
    const pending = pendingContent(
      index,
      { refs: [], seen: [seen], current: new Set(), logMark: undefined },
      () => [ref],
      now,
    );
    expect(pending.refs.map((r) => r.path)).toEqual([path]);
    recordSeenFiles(index, pending.changed, {}, now);
    // still stat'ed by the next catch-up: modified a second ago, so not settled
    expect(readSeenFiles(index, { alsoPaths: [] }).map((f) => f.path)).toEqual([path]);
  });
});

describe('catchUpForSearch', () => {
  it("once it finds the index too far behind, says so again without listing or stat'ing anything until the recheck time or an import", () => {
    const { dir, index } = tempIndex();
    const id = '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e';
    const path = join(dir, `${id}.jsonl`);
    writeFileSync(
      path,
      exchangeRows({
        cwd: '/home/alex/code/acme-api',
        sessionId: id,
        uuids: ['00000021-3f0e-4e5e-9d0b-6c1f2a3b4c5d', '00000022-3f0e-4e5e-9d0b-6c1f2a3b4c5d'],
        prompt: 'reconcile the ledger',
        minute: '2026-03-05T09:00',
      }),
    );
    const ref: TranscriptRef = {
      path,
      stableId: 'ses_one',
      claudeSessionId: id,
      settleAfter: null,
    };
    let listed = 0;
    const scopeOf = (): CatchUpScope => {
      listed += 1;
      return { refs: [ref], seen: [], current: new Set(['ses_one']), logMark: undefined };
    };
    const paths = { archiveDir: join(dir, 'archive'), indexPath: join(dir, 'content.db') };
    const now = Date.now();
    // a catch-up bound of 10 bytes: the transcript is too far behind
    const catchUp = (at: number, catchUpBytes?: number): string[] =>
      catchUpForSearch(index, scopeOf, () => [ref], paths, {
        archive: true,
        now: at,
        ...(catchUpBytes === undefined ? {} : { catchUpBytes }),
      });
    const first = catchUp(now, 10);
    expect(first).toEqual([
      'warning: the content index is 1 MB behind; run `sessions-db import` to catch up',
    ]);
    expect(listed).toBe(1);
    // the next searches repeat it, listing nothing
    expect(catchUp(now + 1000, 10)).toEqual(first);
    expect(catchUp(now + SEARCH_BEHIND_RECHECK_MS - 1)).toEqual(first);
    expect(listed).toBe(1);
    // past the recheck time it looks again
    expect(catchUp(now + SEARCH_BEHIND_RECHECK_MS, 10)).toEqual(first);
    expect(listed).toBe(2);
    // once an import has caught up every session, it catches up again
    recordSeenFiles(index, [], { [CATCH_UP_BEHIND_AT_MARK]: 0 });
    expect(catchUp(now + SEARCH_BEHIND_RECHECK_MS + 1)).toEqual([]);
    expect(listed).toBe(3);
    expect(searchContent(index, 'ledger').map((hit) => hit.stable_id)).toEqual(['ses_one']);
  });
});
