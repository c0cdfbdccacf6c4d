/**
 * The `IdentityIndex` port: the few indexed lookups the resolver needs. The in-memory adapter is
 * `createMemoryIdentityIndex`; the SQLite store implements the same contract with indexed queries.
 * Every method is synchronous, never scans all sessions, and may return rows in any order (the
 * resolver sorts them, so its decision never depends on row order).
 */
import type { FingerprintName } from './fingerprints.js';

/**
 * Role of a uuid in a stored session's transcript files (the `TranscriptFile` field it came from):
 * `first` = `first_uuid`, `last` = `last_uuid`, `tail` = an entry of `tail_uuids`, `leaf` = an
 * entry of `leaf_uuids`, `boundary` = an entry of `compact_parent_uuids`, `head` =
 * `first_parent_uuid` (the parent of the file's first record: a point *before* the file, in the
 * conversation it continued). `copied` = a uuid a fork child copied from its origin (its files'
 * first uuid, and the uuid its fork was decided by): it still belongs to the origin, so only a
 * fork may descend through it (docs/identity.md#copied-uuids).
 */
export type LineageRole = 'first' | 'last' | 'tail' | 'leaf' | 'boundary' | 'head' | 'copied';

/** Every lineage role. */
export const LINEAGE_ROLES: readonly LineageRole[] = [
  'first',
  'last',
  'tail',
  'leaf',
  'boundary',
  'head',
  'copied',
];

/**
 * A stored session as the resolver sees it: the corroborator fields of the record. Missing values
 * are `null` (a record without `cwd` gives `cwd: null`).
 */
export interface IdentityCandidate {
  readonly stable_id: string;
  readonly cwd: string | null;
  readonly worktree_realpath: string | null;
  readonly branch_at_start: string | null;
  /** ISO 8601, as stored. */
  readonly last_progress_at: string | null;
  /** ISO 8601, as stored. */
  readonly created_at: string | null;
  readonly fingerprints: {
    readonly first_human_prompt_v1: string | null;
    readonly lineage_prefix_v1: string | null;
  };
}

/** A session that shares a transcript uuid with the incoming transcript. */
export interface LineageCandidate extends IdentityCandidate {
  /** The uuid that matched (one of the uuids asked for). */
  readonly matched_uuid: string;
  /** Its role in this session's transcript files. */
  readonly role: LineageRole;
}

/** A session whose last `session_end` was a `/clear` from a given Claude process. */
export interface ClearEndCandidate extends IdentityCandidate {
  readonly claude_pid: number;
  /** ISO 8601 time of that `session_end` (the record's `ended_at`). */
  readonly ended_at: string;
}

/** The lookups identity resolution needs; each is one indexed query. */
export interface IdentityIndex {
  /**
   * Every session whose `claude_session_ids` contains `claudeSessionId` (exact string equality).
   * A record with an empty `claude_session_ids` never matches; an empty argument returns `[]`.
   * Each session appears at most once.
   */
  findByClaudeSessionId(claudeSessionId: string): readonly IdentityCandidate[];

  /**
   * One row per distinct (session, uuid, role) where `uuid` is in `uuids` and is indexed for one
   * of that session's transcript files as `first_uuid` (`first`), `last_uuid` (`last`), an entry
   * of `tail_uuids` (`tail`), `leaf_uuids` (`leaf`), `compact_parent_uuids` (`boundary`) or
   * `first_parent_uuid` (`head`). Empty strings are never indexed; `[]` returns `[]`.
   */
  findByTranscriptUuids(uuids: readonly string[]): readonly LineageCandidate[];

  /**
   * Every session whose `fingerprints[name]` equals `value` exactly (each session once). An empty
   * `value` returns `[]`.
   */
  findByFingerprint(name: FingerprintName, value: string): readonly IdentityCandidate[];

  /**
   * Every session whose last `session_end` had reason `clear` (`end_reason === 'clear'`), from
   * Claude process `claudePid` (`claude_pid`), with `ended_at` at or after `sinceMs` (epoch ms;
   * inclusive). Each session once. The resolver applies the upper bound (`now`) itself.
   */
  findRecentClearEnds(claudePid: number, sinceMs: number): readonly ClearEndCandidate[];
}
