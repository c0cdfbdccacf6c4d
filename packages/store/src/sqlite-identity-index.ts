import type Database from 'better-sqlite3';
import type {
  ClearEndCandidate,
  FingerprintName,
  IdentityIndex,
  LineageCandidate,
  LineageRole,
} from '@sessions-db/identity';
import { identityCandidateOf } from '@sessions-db/identity';
import type { SessionRecord } from '@sessions-db/projection';

import type { SqliteIndex } from './sqlite-index.js';

/** At most this many uuids are looked up in one query (SQLite's variable limit is far higher). */
const MAX_LOOKUP_UUIDS = 500;

const candidateOf = identityCandidateOf;

/** A row of the transcript-uuid lookup. */
interface UuidRow {
  readonly uuid: string;
  readonly role: string;
  readonly record: string;
}

/**
 * The identity port over the SQLite index: each lookup is one indexed query (primary keys of
 * the lookup tables, the `(claude_pid, end_reason, ended_at)` index), never a scan.
 *
 * With `sessionRows` (the store's `SqliteIndex`), every lookup sees its held row (folded, not yet
 * written): the exact lookup answers from it when no other session holds the Claude session id
 * (the held session's own row, absent or stale, is left out), which is the answer the query would
 * give once the row is written; every other case, and every other lookup, writes the held row
 * first (`settle`) and queries.
 */
export function createSqliteIdentityIndex(
  db: Database.Database,
  sessionRows?: SqliteIndex,
): IdentityIndex {
  const byCsid = db.prepare<[string], { stable_id: string; record: string }>(
    `SELECT s.stable_id, s.record FROM claude_ids c JOIN sessions s ON s.seq = c.seq WHERE c.csid = ?`,
  );
  const byFingerprint = db.prepare<[string, string], { record: string }>(
    `SELECT s.record FROM fingerprints f JOIN sessions s ON s.seq = f.seq WHERE f.name = ? AND f.value = ?`,
  );
  const clearEnds = db.prepare<[number, string], { record: string }>(
    `SELECT record FROM sessions WHERE claude_pid = ? AND end_reason = 'clear' AND ended_at >= ?`,
  );
  const parse = (row: { record: string }): SessionRecord => JSON.parse(row.record) as SessionRecord;
  // One statement per number of uuids, prepared on first use (an import looks up thousands of
  // transcripts with a handful of lengths; preparing each time was a tenth of its identity work).
  const byUuids = new Map<number, Database.Statement<string[], UuidRow>>();
  const byUuidsOf = (count: number): Database.Statement<string[], UuidRow> => {
    let statement = byUuids.get(count);
    if (statement === undefined) {
      statement = db.prepare<string[], UuidRow>(
        `SELECT t.uuid, t.role, s.record FROM transcript_uuids t JOIN sessions s ON s.seq = t.seq
         WHERE t.uuid IN (${Array.from({ length: count }, () => '?').join(',')})`,
      );
      byUuids.set(count, statement);
    }
    return statement;
  };
  return {
    findByClaudeSessionId(claudeSessionId) {
      if (claudeSessionId.length === 0) return [];
      const found = byCsid.all(claudeSessionId);
      const held = sessionRows?.heldClaudeId(claudeSessionId);
      if (held === undefined) return found.map((row) => candidateOf(parse(row)));
      if (found.every((row) => row.stable_id === held.stableId))
        return held.record === null ? [] : [candidateOf(held.record)];
      // Another session holds the id too: the query's answer, in its order, with the row written.
      sessionRows?.settle();
      return byCsid.all(claudeSessionId).map((row) => candidateOf(parse(row)));
    },
    findByTranscriptUuids(uuids) {
      sessionRows?.settle();
      const wanted = [...new Set(uuids.filter((u) => typeof u === 'string' && u.length > 0))].slice(
        0,
        MAX_LOOKUP_UUIDS,
      );
      if (wanted.length === 0) return [];
      const rows = byUuidsOf(wanted.length).all(...wanted);
      return rows.map((row): LineageCandidate => ({
        ...candidateOf(parse(row)),
        matched_uuid: row.uuid,
        role: row.role as LineageRole,
      }));
    },
    findByFingerprint(name: FingerprintName, value: string) {
      if (value.length === 0) return [];
      sessionRows?.settle();
      return byFingerprint.all(name, value).map((row) => candidateOf(parse(row)));
    },
    findRecentClearEnds(claudePid, sinceMs) {
      sessionRows?.settle();
      const since = new Date(sinceMs).toISOString();
      return clearEnds.all(claudePid, since).flatMap((row): ClearEndCandidate[] => {
        const record = parse(row);
        const endedAt = record.ended_at;
        if (typeof endedAt !== 'string' || Date.parse(endedAt) < sinceMs) return [];
        return [{ ...candidateOf(record), claude_pid: claudePid, ended_at: endedAt }];
      });
    },
  };
}
