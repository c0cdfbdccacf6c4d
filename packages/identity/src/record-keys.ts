/**
 * The one mapping from a session record to what identity looks it up by (docs/identity.md): its
 * Claude session ids, its transcript uuids with their lineage roles, its fingerprints, and the
 * candidate fields the resolver compares. The in-memory index and the store's SQLite index both
 * use it, so they agree on every record (an empty string is never a key, and is `null` as a field).
 */
import type { SessionRecord } from '@sessions-db/projection';
import { FINGERPRINT_NAMES, type FingerprintName } from './fingerprints.js';
import type { IdentityCandidate, LineageRole } from './identity-index.js';

/** What a record is found by. */
export interface RecordLineageKeys {
  /** Distinct non-empty Claude session ids. */
  readonly csids: string[];
  /** Distinct (uuid, role) pairs of every transcript file. */
  readonly uuids: [string, LineageRole][];
  /** Non-empty fingerprints by name. */
  readonly fingerprints: [FingerprintName, string][];
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function nonEmptyOrNull(value: unknown): string | null {
  return nonEmpty(value) ? value : null;
}

/**
 * What a fork child copied from its origin (docs/identity.md#copied-uuids): a fork's file always
 * starts with copied rows, so its `first` uuid is a copy; and the uuid its fork was decided by (the
 * deepest one it shared with its origin, `identity_resolution.matched.uuid`) is a copy too.
 */
function copiedByFork(record: SessionRecord): { fork: boolean; forkPoint: string | null } {
  if (record.parent_kind !== 'fork' || !nonEmpty(record.parent_session_id))
    return { fork: false, forkPoint: null };
  const matched: unknown = record.identity_resolution?.matched;
  if (typeof matched !== 'object' || matched === null) return { fork: true, forkPoint: null };
  const fields = matched as Record<string, unknown>;
  const forkPoint =
    fields['relation'] === 'fork' &&
    fields['matched_stable_id'] === record.parent_session_id &&
    nonEmpty(fields['uuid'])
      ? fields['uuid']
      : null;
  return { fork: true, forkPoint };
}

/**
 * The lookup keys of a record (see `RecordLineageKeys`). The uuids a fork child copied from its
 * origin (its files' `first` uuid, its fork point) get the role `copied` instead of their own.
 */
export function recordLineageKeys(record: SessionRecord): RecordLineageKeys {
  const csids = new Set<string>();
  if (Array.isArray(record.claude_session_ids)) {
    for (const csid of record.claude_session_ids) if (nonEmpty(csid)) csids.add(csid);
  }
  const copied = copiedByFork(record);
  const seen = new Set<string>();
  const uuids: [string, LineageRole][] = [];
  const add = (value: unknown, ownRole: LineageRole): void => {
    if (!nonEmpty(value)) return;
    const role: LineageRole =
      ownRole !== 'head' && copied.fork && (ownRole === 'first' || value === copied.forkPoint)
        ? 'copied'
        : ownRole;
    const key = `${value}\u0000${role}`;
    if (seen.has(key)) return;
    seen.add(key);
    uuids.push([value, role]);
  };
  const addList = (values: unknown, role: LineageRole): void => {
    if (Array.isArray(values)) for (const value of values) add(value, role);
  };
  if (Array.isArray(record.transcript_files)) {
    for (const file of record.transcript_files) {
      if (typeof file !== 'object' || file === null) continue;
      add(file.first_uuid, 'first');
      add(file.last_uuid, 'last');
      addList(file.tail_uuids, 'tail');
      addList(file.leaf_uuids, 'leaf');
      addList(file.compact_parent_uuids, 'boundary');
      add(file.first_parent_uuid, 'head');
    }
  }
  const fingerprints: [FingerprintName, string][] = [];
  const fp = record.fingerprints as Partial<SessionRecord['fingerprints']> | null | undefined;
  if (typeof fp === 'object' && fp !== null) {
    for (const name of FINGERPRINT_NAMES) {
      const value = fp[name];
      if (nonEmpty(value)) fingerprints.push([name, value]);
    }
  }
  return { csids: [...csids], uuids, fingerprints };
}

/** The fields of a record the resolver compares (`''` and non-strings become `null`). */
export function identityCandidateOf(record: SessionRecord): IdentityCandidate {
  const fp = record.fingerprints as Partial<SessionRecord['fingerprints']> | null | undefined;
  return {
    stable_id: record.stable_id,
    cwd: nonEmptyOrNull(record.cwd),
    worktree_realpath: nonEmptyOrNull(record.worktree_realpath),
    branch_at_start: nonEmptyOrNull(record.branch_at_start),
    last_progress_at: nonEmptyOrNull(record.last_progress_at),
    created_at: nonEmptyOrNull(record.created_at),
    fingerprints: {
      first_human_prompt_v1: nonEmptyOrNull(fp?.first_human_prompt_v1),
      lineage_prefix_v1: nonEmptyOrNull(fp?.lineage_prefix_v1),
    },
  };
}
