import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openContentIndex } from './content-index.js';
import { snippetsOf } from './search-snippets.js';
import { makeTempDir } from './test-support/temp-dir.js';

const WORDS = ['amber', 'basil', 'cedar', 'délta', 'ember', 'Fern', 'amberly', 'x-ray'] as const;

/** A row's text: words with punctuation between, long enough for a snippet's window to slide. */
const textArb = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(' ', ', ', '. ', '\n', ' – ')), {
    minLength: 1,
    maxLength: 60,
  })
  .map((parts) => parts.map(([word, gap]) => word + gap).join(''));

/** Queries of every form a search passes on: a word, a prefix, a phrase, AND, OR, NOT, NEAR. */
const queryArb = fc
  .tuple(
    fc.constantFrom('word', 'prefix', 'phrase', 'and', 'or', 'not', 'near'),
    fc.constantFrom(...WORDS),
    fc.constantFrom(...WORDS),
  )
  .map(([form, a, b]) => {
    const quoted = (word: string): string => `"${word}"`;
    switch (form) {
      case 'word':
        return quoted(a);
      case 'prefix':
        return `${quoted(a.slice(0, 3))}*`;
      case 'phrase':
        return `"${a} ${b}"`;
      case 'and':
        return `${quoted(a)} AND ${quoted(b)}`;
      case 'or':
        return `${quoted(a)} OR ${quoted(b)}`;
      case 'not':
        return `${quoted(a)} NOT ${quoted(b)}`;
      default:
        return `NEAR(${quoted(a)} ${quoted(b)}, 3)`;
    }
  });

describe('snippetsOf', () => {
  it('gives each matching row the snippet the row-level index makes, and none to a row that does not match', () => {
    fc.assert(
      fc.property(
        fc.array(textArb, { minLength: 1, maxLength: 8 }),
        queryArb,
        fc.boolean(),
        (texts, query, askAll) => {
          const index = openContentIndex(join(makeTempDir(), 'content.db'));
          try {
            const { db } = index;
            const insertRow = db.prepare(
              `INSERT INTO content_rows (id, file_key, stable_id, claude_session_id, role, ts, uuid, text)
               VALUES (?, 'k', 'ses_a', 'a', 'user', '2026-11-01T00:00:00.000Z', ?, ?)`,
            );
            const insertText = db.prepare('INSERT INTO content_text (rowid, text) VALUES (?, ?)');
            const ids = texts.map((text, i) => {
              const id = 2 ** 28 + i + 1;
              insertRow.run(id, `u${String(i)}`, text);
              insertText.run(id, text);
              return id;
            });
            const direct = new Map(
              (
                db
                  .prepare(
                    `SELECT rowid AS id, snippet(content_text, 0, '<', '>', '…', 16) AS snippet
                     FROM content_text WHERE content_text MATCH ?`,
                  )
                  .all(query) as { id: number; snippet: string }[]
              ).map((row) => [row.id, row.snippet]),
            );
            const asked = askAll ? ids : ids.filter((id) => direct.has(id));
            const made = snippetsOf(db, query, asked, ['<', '>']);
            expect(made).toEqual(
              new Map(
                asked.flatMap((id) => {
                  const snippet = direct.get(id);
                  return snippet === undefined ? [] : [[id, snippet] as const];
                }),
              ),
            );
            // a second call on the same connection starts from an empty scratch table
            expect(snippetsOf(db, query, asked.slice(0, 1), ['<', '>']).size).toBeLessThanOrEqual(
              1,
            );
          } finally {
            index.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('are made in a temporary table of the connection, never in the index file', () => {
    const index = openContentIndex(join(makeTempDir(), 'content.db'));
    try {
      const { db } = index;
      db.prepare(
        `INSERT INTO content_rows (id, file_key, stable_id, claude_session_id, role, ts, uuid, text)
         VALUES (1, 'k', 'ses_a', 'a', 'user', '2026-11-01T00:00:00.000Z', 'u', 'amber basil')`,
      ).run();
      db.prepare("INSERT INTO content_text (rowid, text) VALUES (1, 'amber basil')").run();
      expect(snippetsOf(db, 'basil', [1])).toEqual(new Map([[1, 'amber [basil]']]));
      const scratch = (schema: 'main' | 'temp'): number =>
        (
          db
            .prepare(
              `SELECT count(*) AS n FROM ${schema}.sqlite_master WHERE name LIKE 'sessions_db_snippets%'`,
            )
            .get() as { n: number }
        ).n;
      expect(scratch('temp')).toBeGreaterThan(0);
      expect(scratch('main')).toBe(0);
    } finally {
      index.close();
    }
  });
});
