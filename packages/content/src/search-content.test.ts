import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openContentIndex, openContentIndexReadOnly } from './content-index.js';
import { hasRowsTimeIndex } from './content-schema.js';
import type { ContentRole } from './extract-rows.js';
import { ContentQueryError, searchContent } from './search-content.js';
import { makeTempDir } from './test-support/temp-dir.js';
import { toLayout2 } from './test-support/layout-2.js';
import { assistantLine, jsonl, userLine } from './test-support/transcript.js';
import { updateContent } from './update-content.js';

const WORDS = ['amber', 'basil', 'cedar', 'delta', 'ember'] as const;

/** One generated row: who said it and which words. */
const rowArb = fc.record({
  role: fc.constantFrom<ContentRole>('user', 'assistant'),
  words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }),
});
/** Sessions of one to three transcripts (a resumed session has several) of rows. */
const historyArb = fc.array(
  fc.array(fc.array(rowArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
  { minLength: 1, maxLength: 5 },
);

describe('searchContent against a model of the rows', () => {
  it('gives each session with a match once (of the sessions asked for, at or after a time): its match count, a matching row, that row’s snippet; a prefix query alike', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.constantFrom(...WORDS),
        fc.option(fc.constantFrom<ContentRole>('user', 'assistant'), { nil: undefined }),
        fc.option(fc.uniqueArray(fc.nat(5), { maxLength: 3 }), { nil: undefined }),
        fc.constantFrom('word', 'prefix', 'and'),
        fc.constantFrom(...WORDS),
        fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
        (history, word, role, scope, form, other, sinceDay) => {
          const dir = makeTempDir();
          const archiveDir = join(dir, 'archive');
          const index = openContentIndex(join(dir, 'content.db'));
          try {
            /** The rows each session has, with the uuid of their transcript line. */
            const model = new Map<
              string,
              { uuid: string; role: ContentRole; text: string; ts: string }[]
            >();
            const tsOf = (s: number, f: number, i: number): string =>
              `2026-11-0${String(((s + f + i) % 9) + 1)}T10:00:00.000Z`;
            const refs = history.flatMap((files, s) =>
              files.map((rows, f) => {
                const sessionId = `c${String(s)}-${String(f)}`;
                const lines = rows.map((row, i) => {
                  const text = row.words.join(' ');
                  const ts = tsOf(s, f, i);
                  return row.role === 'user'
                    ? userLine(sessionId, text, ts)
                    : assistantLine(sessionId, text, ts);
                });
                const stableId = `ses_${String(s)}`;
                const known = model.get(stableId) ?? [];
                lines.forEach((line, i) => {
                  const row = rows[i];
                  if (row === undefined) return;
                  const { uuid } = JSON.parse(line) as { uuid: string };
                  known.push({
                    uuid,
                    role: row.role,
                    text: row.words.join(' '),
                    ts: tsOf(s, f, i),
                  });
                });
                model.set(stableId, known);
                const path = join(dir, `${sessionId}.jsonl`);
                writeFileSync(path, jsonl(lines));
                return { path, claudeSessionId: sessionId, stableId };
              }),
            );
            updateContent(refs, { archiveDir, index });

            const stableIds = scope?.map((s) => `ses_${String(s)}`);
            const since =
              sinceDay === undefined ? undefined : `2026-11-0${String(sinceDay)}T10:00:00.000Z`;
            const filters = {
              ...(role === undefined ? {} : { role }),
              ...(stableIds === undefined ? {} : { stableIds }),
              ...(since === undefined ? {} : { since }),
            };
            // the word, a prefix query only it matches (its snippets made alike), or two words
            // that only a row saying both matches (a session saying them in different rows, whose
            // chunk of the session-level index matches, is not a hit)
            const query =
              form === 'prefix'
                ? `${word.slice(0, 3)}*`
                : form === 'and'
                  ? `${word} AND ${other}`
                  : word;
            const words = form === 'and' ? [word, other] : [word];
            const hits = searchContent(index, query, { limit: 100, ...filters });
            const expected = new Map<string, { uuid: string; text: string; ts: string }[]>();
            for (const [stableId, rows] of model) {
              if (stableIds !== undefined && !stableIds.includes(stableId)) continue;
              const matching = rows.filter(
                (r) =>
                  words.every((w) => r.text.split(' ').includes(w)) &&
                  (role === undefined || r.role === role) &&
                  (since === undefined || r.ts >= since),
              );
              if (matching.length > 0) expected.set(stableId, matching);
            }
            expect(hits.map((h) => h.stable_id).sort()).toEqual([...expected.keys()].sort());
            for (const hit of hits) {
              const matching = expected.get(hit.stable_id) ?? [];
              expect(hit.more_matches).toBe(matching.length - 1);
              const row = matching.find((r) => r.uuid === hit.uuid);
              expect(row).toBeDefined();
              expect(hit.snippet.replaceAll('[', '').replaceAll(']', '')).toBe(row?.text);
              expect(hit.snippet).toContain(`[${word}]`);
            }
            const scores = hits.map((h) => h.score);
            expect(scores).toEqual([...scores].sort((a, b) => a - b));
            // a smaller limit shows the first of the same hits (ties: the most recent first)
            for (const limit of [1, 2]) {
              expect(searchContent(index, query, { limit, ...filters })).toEqual(
                hits.slice(0, limit),
              );
            }
          } finally {
            index.close();
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 30_000);
});

describe('searchContent ties', () => {
  /** An index of 50 sessions saying the same thing on 50 days (every score ties); its path and refs. */
  function tiedIndex(): { dbPath: string; stableIds: string[] } {
    const dir = makeTempDir();
    const dbPath = join(dir, 'content.db');
    const index = openContentIndex(dbPath);
    try {
      const refs = Array.from({ length: 50 }, (_, i) => {
        const day = new Date(Date.UTC(2026, 0, 1 + i)).toISOString();
        const path = join(dir, `t${String(i)}.jsonl`);
        writeFileSync(path, jsonl([userLine(`c${String(i)}`, 'the flaky tiebreak test', day)]));
        return { path, claudeSessionId: `c${String(i)}`, stableId: `ses_${String(i)}` };
      });
      updateContent(refs, { archiveDir: join(dir, 'archive'), index });
      return { dbPath, stableIds: refs.map((r) => r.stableId) };
    } finally {
      index.close();
    }
  }

  /**
   * What the tiebreak gives on `index` (opened here, closed after): every session, then the first
   * three; and whether it has the time index.
   */
  function expectRecencyOrder(
    open: () => ReturnType<typeof openContentIndexReadOnly>,
    stableIds: readonly string[],
    timeIndex: boolean,
  ): void {
    const index = open();
    if (index === null) throw new Error('the index should open');
    try {
      expect(hasRowsTimeIndex(index.db)).toBe(timeIndex);
      const all = searchContent(index, 'tiebreak', { limit: 100 });
      expect(all).toHaveLength(50);
      expect(new Set(all.map((h) => h.score)).size).toBe(1);
      expect(all.map((h) => h.stable_id)).toEqual([...stableIds].reverse());
      expect(searchContent(index, 'tiebreak', { limit: 3 }).map((h) => h.stable_id)).toEqual([
        'ses_49',
        'ses_48',
        'ses_47',
      ]);
    } finally {
      index.close();
    }
  }

  it('orders sessions whose best matches score the same by recency, however many tie', () => {
    const { dbPath, stableIds } = tiedIndex();
    expectRecencyOrder(() => openContentIndex(dbPath), stableIds, true);
  });

  it('orders them the same in an index of layout 2 made before the time index (read only), which a writer converts', () => {
    const { dbPath, stableIds } = tiedIndex();
    toLayout2(dbPath, { timeIndex: false });
    expectRecencyOrder(() => openContentIndexReadOnly(dbPath), stableIds, false);
    expectRecencyOrder(() => openContentIndex(dbPath), stableIds, true);
  });
});

describe('searchContent by session', () => {
  it('ranks sessions by how well the session as a whole matches, not by its best row', () => {
    const dir = makeTempDir();
    const index = openContentIndex(join(dir, 'content.db'));
    try {
      const filler = 'the quick brown fox jumps over a lazy dog near the river bank today';
      const write = (
        name: string,
        lines: string[],
      ): { path: string; claudeSessionId: string; stableId: string } => {
        const path = join(dir, `${name}.jsonl`);
        writeFileSync(path, jsonl(lines));
        return { path, claudeSessionId: name, stableId: `ses_${name}` };
      };
      // one short row saying it (the best row of all), in a long session about other things
      const once = write('once', [
        userLine('once', 'invoice'),
        ...Array.from({ length: 40 }, () => assistantLine('once', filler)),
      ]);
      // a short session saying it in each of its rows, each row as long as the other's filler
      const often = write('often', [
        userLine('often', `invoice ${filler}`),
        assistantLine('often', `${filler} invoice`),
      ]);
      updateContent([once, often], { archiveDir: join(dir, 'archive'), index });
      const hits = searchContent(index, 'invoice');
      expect(hits.map((h) => [h.stable_id, h.more_matches])).toEqual([
        ['ses_often', 1],
        ['ses_once', 0],
      ]);
      // the hit shows the session's latest matching row
      expect(hits[0]?.snippet).toMatch(/\[invoice\]$/);
      // a time filter keeps the session-level ranking
      expect(
        searchContent(index, 'invoice', { since: '2000-01-01' }).map((h) => h.stable_id),
      ).toEqual(['ses_often', 'ses_once']);
    } finally {
      index.close();
    }
  });

  it('rejects a malformed query with a role filter too, which a column filter around it could hide', () => {
    const dir = makeTempDir();
    const index = openContentIndex(join(dir, 'content.db'));
    try {
      for (const bad of ['amber) OR (basil', 'amber AND', '"open']) {
        expect(() => searchContent(index, bad, { role: 'user' })).toThrow(ContentQueryError);
      }
    } finally {
      index.close();
    }
  });
});
