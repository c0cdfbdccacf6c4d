import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openContentIndex } from './content-index.js';
import { SESSION_ROW_BITS } from './content-schema.js';
import { searchContent } from './search-content.js';
import { makeTempDir } from './test-support/temp-dir.js';
import { assistantLine, jsonl, userLine } from './test-support/transcript.js';
import { updateContent } from './update-content.js';

/**
 * The session ranking as one statement ranked every session (wave 10's, kept here as the
 * reference): each session's best chunk by `min()` (its bare column: the first chunk of the
 * lowest rank), every session of a score up to the page's last one ordered by score, its best
 * chunk's time (newest first), its number (highest first).
 */
const REFERENCE_RANK = `WITH best AS MATERIALIZED (
    SELECT c.rowid >> ${String(SESSION_ROW_BITS)} AS session, c.rowid AS chunk, min(c.rank) AS score
    FROM content_chunks c WHERE content_chunks MATCH ? GROUP BY session)
  SELECT s.stable_id, b.score
  FROM best b JOIN content_chunk_files f ON f.id = b.chunk
    JOIN content_sessions s ON s.no = b.session
  WHERE b.score <= coalesce((SELECT score FROM best ORDER BY score LIMIT 1 OFFSET ?), 1e308)
  ORDER BY b.score, f.ts DESC, b.session DESC LIMIT ?`;

/** Few texts and few times, so that scores and times tie often, within sessions and across. */
const TEXTS = ['amber', 'amber basil', 'basil amber', 'amber amber', 'cedar'] as const;
const TIMES = ['2026-11-01T10:00:00.000Z', '2026-11-02T10:00:00.000Z'] as const;

const rowArb = fc.record({
  assistant: fc.boolean(),
  text: fc.constantFrom(...TEXTS),
  time: fc.constantFrom(...TIMES),
});
/** Sessions of one to three transcripts (each a chunk or more) of one to three rows. */
const historyArb = fc.array(
  fc.array(fc.array(rowArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  { minLength: 1, maxLength: 30 },
);

describe('searchContent ranks sessions as ranking every session would', () => {
  it('gives the same sessions in the same order with the same scores, ties in score and time included, for every limit', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.constantFrom('amber', 'basil', 'amb*'),
        fc.integer({ min: 1, max: 12 }),
        (history, query, limit) => {
          const dir = makeTempDir();
          const index = openContentIndex(join(dir, 'content.db'));
          try {
            const refs = history.flatMap((files, s) =>
              files.map((rows, f) => {
                const sessionId = `c${String(s)}-${String(f)}`;
                const path = join(dir, `${sessionId}.jsonl`);
                writeFileSync(
                  path,
                  jsonl(
                    rows.map((row) =>
                      (row.assistant ? assistantLine : userLine)(sessionId, row.text, row.time),
                    ),
                  ),
                );
                return { path, claudeSessionId: sessionId, stableId: `ses_${String(s)}` };
              }),
            );
            updateContent(refs, { archiveDir: join(dir, 'archive'), index });
            const expected = index.db.prepare(REFERENCE_RANK).all(query, limit - 1, limit) as {
              stable_id: string;
              score: number;
            }[];
            const hits = searchContent(index, query, { limit });
            expect(hits.map((h) => [h.stable_id, h.score])).toEqual(
              expected.map((e) => [e.stable_id, e.score]),
            );
          } finally {
            index.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});
