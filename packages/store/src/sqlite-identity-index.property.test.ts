/**
 * The SQLite identity index answers exactly as `@sessions-db/identity`'s in-memory reference index,
 * over generated stores (fast-check): every lookup of the port, and `resolveIdentity` itself. So
 * identity's own properties (no false merge, ties are ambiguous, …), proven there against the
 * memory index, hold for the index the store really uses.
 */
import Database from 'better-sqlite3';
import { createMemoryIdentityIndex, resolveIdentity } from '@sessions-db/identity';
import type { FingerprintName, IdentityFacts, IdentityIndex } from '@sessions-db/identity';
import { emptySession } from '@sessions-db/projection';
import type { SessionRecord } from '@sessions-db/projection';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { configureConnection, ensureSchema } from './schema.js';
import { createSqliteIdentityIndex } from './sqlite-identity-index.js';
import { SqliteIndex } from './sqlite-index.js';

const NOW = Date.parse('2026-05-10T12:00:00.000Z');
const iso = (offsetMs: number): string => new Date(NOW + offsetMs).toISOString();
const CSIDS = [1, 2, 3, 4, 5].map((n) => `5b1c9e2a-0d4f-4c31-9a7e-${String(n).padStart(12, '0')}`);
const UUIDS = Array.from(
  { length: 10 },
  (_, n) => `0a0b0c0d-0000-4000-8000-${String(n).padStart(12, '0')}`,
);
const FPS = ['fp-a', 'fp-b', 'fp-c'];
const PIDS = [4100, 4200];
const CWDS = ['/home/dev/api', '/home/dev/web'];
// Few distinct times, so a lookup's bound often equals a stored time (inclusive bounds matter).
const OFFSETS = [-60_000, -30_000, -15_000, -1, 0];

const pick = <T>(values: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...values);
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null });

const transcriptFile = fc.record({
  first: maybe(pick(UUIDS)),
  last: maybe(pick(UUIDS)),
  firstParent: maybe(pick(UUIDS)),
  tail: fc.subarray(UUIDS, { maxLength: 3 }),
  leaf: fc.subarray(UUIDS, { maxLength: 2 }),
  boundary: fc.subarray(UUIDS, { maxLength: 2 }),
});

const recordFields = fc.record({
  csids: fc.subarray(CSIDS, { maxLength: 2 }),
  files: fc.array(transcriptFile, { maxLength: 2 }),
  promptFp: maybe(pick(FPS)),
  lineageFp: maybe(pick(FPS)),
  cwd: maybe(pick(CWDS)),
  end: maybe(
    fc.record({
      reason: pick(['clear', 'other']),
      pid: pick(PIDS),
      offset: pick(OFFSETS),
    }),
  ),
});

const records: fc.Arbitrary<SessionRecord[]> = fc
  .array(recordFields, { maxLength: 8 })
  .map((rows) =>
    rows.map((fields, i): SessionRecord => {
      const id = `sess_0197000${i}-0000-7000-8000-000000000000`;
      return {
        ...emptySession(id, iso(-3_600_000 + i)),
        claude_session_ids: fields.csids,
        cwd: fields.cwd,
        worktree_realpath: fields.cwd,
        last_progress_at: iso(-1000 * i),
        fingerprints: {
          first_human_prompt_v1: fields.promptFp,
          lineage_prefix_v1: fields.lineageFp,
        },
        transcript_files: fields.files.map((file, n) => ({
          path: `/p/${id}-${n}.jsonl`,
          first_uuid: file.first,
          last_uuid: file.last,
          size: 100,
          mtime: iso(0),
          status: 'ok',
          ...(file.firstParent === null ? {} : { first_parent_uuid: file.firstParent }),
          ...(file.tail.length === 0 ? {} : { tail_uuids: file.tail }),
          ...(file.leaf.length === 0 ? {} : { leaf_uuids: file.leaf }),
          ...(file.boundary.length === 0 ? {} : { compact_parent_uuids: file.boundary }),
        })),
        ...(fields.end === null
          ? {}
          : {
              end_reason: fields.end.reason,
              claude_pid: fields.end.pid,
              ended_at: iso(fields.end.offset),
            }),
      } as SessionRecord;
    }),
  );

/** The SQLite identity index over `rows`, written the way the store writes sessions. */
function sqliteIndexOf(rows: readonly SessionRecord[]): { index: IdentityIndex; close(): void } {
  const db = new Database(':memory:');
  configureConnection(db, 0);
  ensureSchema(db);
  const table = new SqliteIndex(db);
  for (const record of rows) table.putRecord(record, undefined);
  return { index: createSqliteIdentityIndex(db), close: () => db.close() };
}

/** A lookup's answer in a canonical order (the port allows any order). */
function canonical(rows: readonly object[]): string[] {
  return rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();
}

const FINGERPRINT_NAMES: readonly FingerprintName[] = [
  'first_human_prompt_v1',
  'lineage_prefix_v1',
];

describe('the SQLite identity index against the reference memory index', () => {
  it('answers every lookup of the port the same way', () => {
    fc.assert(
      fc.property(
        records,
        fc.subarray(UUIDS),
        pick(CSIDS),
        pick(FPS),
        pick(PIDS),
        pick(OFFSETS),
        (rows, uuids, csid, fp, pid, since) => {
          const memory = createMemoryIdentityIndex(rows);
          const sqlite = sqliteIndexOf(rows);
          try {
            expect(canonical(sqlite.index.findByClaudeSessionId(csid))).toEqual(
              canonical(memory.findByClaudeSessionId(csid)),
            );
            expect(canonical(sqlite.index.findByTranscriptUuids(uuids))).toEqual(
              canonical(memory.findByTranscriptUuids(uuids)),
            );
            for (const name of FINGERPRINT_NAMES)
              expect(canonical(sqlite.index.findByFingerprint(name, fp))).toEqual(
                canonical(memory.findByFingerprint(name, fp)),
              );
            expect(canonical(sqlite.index.findRecentClearEnds(pid, NOW + since))).toEqual(
              canonical(memory.findRecentClearEnds(pid, NOW + since)),
            );
          } finally {
            sqlite.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('makes resolveIdentity decide the same for any incoming session', () => {
    const facts: fc.Arbitrary<IdentityFacts> = fc.record({
      claudeSessionId: pick([...CSIDS, '7e57c0de-0000-4000-8000-000000000099']),
      now: fc.constant(NOW),
      hookEvent: fc.constant('SessionStart' as const),
      source: pick(['startup', 'resume', 'clear', 'compact', 'fork'] as const),
      claudePid: maybe(pick(PIDS)),
      cwd: maybe(pick(CWDS)),
      firstUuid: maybe(pick(UUIDS)),
      lastUuid: maybe(pick(UUIDS)),
      headUuids: fc.subarray(UUIDS, { maxLength: 4 }),
      tailUuids: fc.subarray(UUIDS, { maxLength: 4 }),
      transcriptVersion: pick(['1.0.100', '2.1.332']),
      fingerprints: fc.record({
        first_human_prompt_v1: maybe(pick(FPS)),
        lineage_prefix_v1: maybe(pick(FPS)),
      }),
    });
    fc.assert(
      fc.property(records, facts, (rows, incoming) => {
        const sqlite = sqliteIndexOf(rows);
        try {
          const mint = (): string => 'sess_minted';
          const expected = resolveIdentity(incoming, createMemoryIdentityIndex(rows), {
            mintStableId: mint,
          });
          const actual = resolveIdentity(incoming, sqlite.index, { mintStableId: mint });
          expect(actual).toEqual(expected);
        } finally {
          sqlite.close();
        }
      }),
      { numRuns: 200 },
    );
  });
});
