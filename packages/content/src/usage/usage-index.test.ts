import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { openContentIndex } from '../content-index.js';
import type { ContentIndex } from '../content-index.js';
import { makeTempDir } from '../test-support/temp-dir.js';
import { jsonl, userLine } from '../test-support/transcript.js';
import { row, u1, u2 } from '../test-support/usage-rows.js';
import { catchUpUsage, updateContent } from '../update-content.js';
import { readUsage } from './usage-index.js';
import type { UsageRow } from './usage-index.js';

function world() {
  const dir = makeTempDir();
  const index = openContentIndex(join(dir, 'content.db'));
  const archiveDir = join(dir, 'archive');
  /** Write a transcript of `stableId` and archive + index it. */
  const put = (name: string, stableId: string, lines: readonly string[]): string => {
    const path = join(dir, `${name}.jsonl`);
    writeFileSync(path, jsonl(lines));
    updateContent([{ path, claudeSessionId: name, stableId }], { archiveDir, index });
    return path;
  };
  return { dir, index, archiveDir, put };
}

/** Sessions created in this order: A before B before C. */
const created: Record<string, number> = { A: 1, B: 2, C: 3 };
const order = (a: string, b: string): number => (created[a] ?? 99) - (created[b] ?? 99);

/** [session, model, responses, input, output] per row, sorted. */
function summary(index: ContentIndex, since?: string): (string | number)[][] {
  const rows: UsageRow[] = readUsage(index.db, {
    order,
    ...(since === undefined ? {} : { since }),
  });
  return rows
    .map((r) => [r.stableId, r.model, r.day, r.responses, r.tokens.input, r.tokens.output])
    .sort((a, b) => String(a).localeCompare(String(b)));
}

describe('usage stored beside the content index', () => {
  it('counts one response written as several rows once, with its final counts, to the token', () => {
    const { index, put } = world();
    put('s1', 'A', [
      userLine('s1', 'start'),
      row({ uuid: 'a1', msg: 'msg_1', req: 'req_1', usage: { ...u1, output_tokens: 10 } }),
      row({ uuid: 'a2', msg: 'msg_1', req: 'req_1', usage: u1 }),
      row({ uuid: 'a3', msg: 'msg_2', req: 'req_2', usage: u2 }),
    ]);
    const [only] = readUsage(index.db, { order });
    expect(only).toEqual({
      stableId: 'A',
      model: 'claude-sonnet-4-5-20250929',
      day: '2026-01-02',
      responses: 2,
      tokens: { input: 12, output: 652, cacheWrite5m: 1657, cacheWrite1h: 200, cacheRead: 87802 },
    });
  });

  it('bills a legacy resume copy and a fork copy to the origin only, whatever order they were indexed in', () => {
    const { index, put } = world();
    const origin = [
      row({ uuid: 'a1', msg: 'msg_1', req: 'req_1', usage: u1 }),
      row({ uuid: 'a2', msg: 'msg_2', req: 'req_2', usage: u2 }),
    ];
    // The fork (B) is indexed before its origin (A): it ended first.
    put('fork', 'B', [
      origin[0] ?? '',
      row({
        uuid: 'f1',
        msg: 'msg_4',
        req: 'req_4',
        usage: { input_tokens: 100, output_tokens: 1 },
      }),
    ]);
    put('origin', 'A', origin);
    // A legacy resume: another file of the same logical session repeats the history.
    put('resumed', 'A', [
      ...origin,
      row({ uuid: 'a3', msg: 'msg_3', req: 'req_3', usage: { input_tokens: 7, output_tokens: 8 } }),
    ]);
    expect(summary(index)).toEqual([
      ['A', 'claude-sonnet-4-5-20250929', '2026-01-02', 3, 19, 660],
      ['B', 'claude-sonnet-4-5-20250929', '2026-01-02', 1, 100, 1],
    ]);
    // Asked for one session, the answer is the same as the whole table's for it.
    const fork = readUsage(index.db, { order, stableIds: ['B'] });
    expect(fork.map((r) => [r.stableId, r.responses, r.tokens.input])).toEqual([['B', 1, 100]]);
    const originOnly = readUsage(index.db, { order, stableIds: ['A'] });
    expect(originOnly.map((r) => [r.stableId, r.responses, r.tokens.input])).toEqual([
      ['A', 3, 19],
    ]);
    expect(readUsage(index.db, { order, stableIds: [] })).toEqual([]);
  });

  it('counts a subagent transcript indexed under its parent toward the parent, per model', () => {
    const { index, put } = world();
    put('parent', 'C', [row({ uuid: 'a1', msg: 'msg_1', req: 'req_1', usage: u1 })]);
    put('agent-1', 'C', [
      row({
        uuid: 'x1',
        msg: 'msg_9',
        req: 'req_9',
        model: 'claude-haiku-4-5-20251001',
        usage: { input_tokens: 50, output_tokens: 5 },
      }),
    ]);
    expect(summary(index)).toEqual([
      ['C', 'claude-haiku-4-5-20251001', '2026-01-02', 1, 50, 5],
      ['C', 'claude-sonnet-4-5-20250929', '2026-01-02', 1, 2, 612],
    ]);
  });

  it('grows with the transcript: only new lines are read, nothing counted twice', () => {
    const { index, put, archiveDir } = world();
    const path = put('s1', 'A', [row({ uuid: 'a1', msg: 'msg_1', req: 'req_1', usage: u1 })]);
    appendFileSync(
      path,
      jsonl([
        row({ uuid: 'a2', msg: 'msg_1', req: 'req_1', usage: u1 }),
        row({ uuid: 'a3', msg: 'msg_2', req: 'req_2', ts: '2026-01-03T08:00:00.000Z', usage: u2 }),
      ]),
    );
    updateContent([{ path, claudeSessionId: 's1', stableId: 'A' }], { archiveDir, index });
    expect(summary(index)).toEqual([
      ['A', 'claude-sonnet-4-5-20250929', '2026-01-02', 1, 2, 612],
      ['A', 'claude-sonnet-4-5-20250929', '2026-01-03', 1, 10, 40],
    ]);
    expect(summary(index, '2026-01-03')).toEqual([
      ['A', 'claude-sonnet-4-5-20250929', '2026-01-03', 1, 10, 40],
    ]);
  });

  it('an index from before usage was kept catches up from the archive, even with the original gone', () => {
    const { index, put, archiveDir } = world();
    put('s1', 'A', [row({ uuid: 'a1', msg: 'msg_1', req: 'req_1', usage: u1 })]);
    index.db.exec('DELETE FROM usage_responses; DELETE FROM usage_files;');
    expect(readUsage(index.db, { order })).toEqual([]);
    expect(catchUpUsage(index, archiveDir)).toBe(1);
    expect(summary(index)).toEqual([['A', 'claude-sonnet-4-5-20250929', '2026-01-02', 1, 2, 612]]);
    expect(catchUpUsage(index, archiveDir)).toBe(0);
  });

  it.each([
    [
      'the earlier usage layout (keyed by file first)',
      `DROP TABLE usage_responses; DROP TABLE usage_files;
      CREATE TABLE usage_responses (file_key TEXT NOT NULL, response_key TEXT NOT NULL,
        stable_id TEXT NOT NULL, model TEXT NOT NULL, ts TEXT NOT NULL, input INTEGER NOT NULL,
        output INTEGER NOT NULL, cache_write_5m INTEGER NOT NULL, cache_write_1h INTEGER NOT NULL,
        cache_read INTEGER NOT NULL, PRIMARY KEY (file_key, response_key)) WITHOUT ROWID;`,
    ],
    // a conversion cut between its two drops by an earlier version
    ['file states left without their responses', 'DROP TABLE usage_responses'],
  ])('an index with %s is refilled in the current layout', (_name, damage) => {
    const { dir, index, put, archiveDir } = world();
    put('s1', 'A', [row({ uuid: 'a1', msg: 'msg_1', req: 'req_1', usage: u1 })]);
    index.db.exec(damage);
    index.close();
    const reopened = openContentIndex(join(dir, 'content.db'));
    expect(catchUpUsage(reopened, archiveDir)).toBe(1);
    expect(summary(reopened)).toEqual([
      ['A', 'claude-sonnet-4-5-20250929', '2026-01-02', 1, 2, 612],
    ]);
    reopened.close();
  });
});
