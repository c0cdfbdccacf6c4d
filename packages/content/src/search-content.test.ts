import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openContentIndex, openContentIndexReadOnly } from './content-index.js';
import { hasRowsTimeIndex, ROWS_TIME_INDEX } from './content-schema.js';
import type { ContentRole } from './extract-rows.js';
import { searchContent } from './search-content.js';
import { makeTempDir } from './test-support/temp-dir.js';
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
  it('gives each session with a match once (of the sessions asked for): its match count, a matching row, that row’s snippet; a prefix query alike', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.constantFrom(...WORDS),
        fc.option(fc.constantFrom<ContentRole>('user', 'assistant'), { nil: undefined }),
        fc.option(fc.uniqueArray(fc.nat(5), { maxLength: 3 }), { nil: undefined }),
        fc.boolean(),
        (history, word, role, scope, prefix) => {
          const dir = makeTempDir();
          const archiveDir = join(dir, 'archive');
          const index = openContentIndex(join(dir, 'content.db'));
          try {
            /** The rows each session has, with the uuid of their transcript line. */
            const model = new Map<string, { uuid: string; role: ContentRole; text: string }[]>();
            const refs = history.flatMap((files, s) =>
              files.map((rows, f) => {
                const sessionId = `c${String(s)}-${String(f)}`;
                const lines = rows.map((row, i) => {
                  const text = row.words.join(' ');
                  const ts = `2026-11-0${String(((s + f + i) % 9) + 1)}T10:00:00.000Z`;
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
                  known.push({ uuid, role: row.role, text: row.words.join(' ') });
                });
                model.set(stableId, known);
                const path = join(dir, `${sessionId}.jsonl`);
                writeFileSync(path, jsonl(lines));
                return { path, claudeSessionId: sessionId, stableId };
              }),
            );
            updateContent(refs, { archiveDir, index });

            const stableIds = scope?.map((s) => `ses_${String(s)}`);
            const filters = {
              ...(role === undefined ? {} : { role }),
              ...(stableIds === undefined ? {} : { stableIds }),
            };
            // the word, or a prefix query only it matches (its snippets made alike)
            const query = prefix ? `${word.slice(0, 3)}*` : word;
            const hits = searchContent(index, query, { limit: 100, ...filters });
            const expected = new Map<string, { uuid: string; text: string }[]>();
            for (const [stableId, rows] of model) {
              if (stableIds !== undefined && !stableIds.includes(stableId)) continue;
              const matching = rows.filter(
                (r) => r.text.split(' ').includes(word) && (role === undefined || r.role === role),
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
  });
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

  it('orders them the same in an index made before the time index (read only), which a writer gives it', () => {
    const { dbPath, stableIds } = tiedIndex();
    const older = openContentIndex(dbPath);
    older.db.exec(`DROP INDEX ${ROWS_TIME_INDEX}`);
    older.close();
    expectRecencyOrder(() => openContentIndexReadOnly(dbPath), stableIds, false);
    expectRecencyOrder(() => openContentIndex(dbPath), stableIds, true);
  });
});
