/**
 * In-memory `IdentityIndex` over projection records: every map is built once, so each lookup
 * costs the size of its answer, not the number of sessions. Used by tests and by callers that hold
 * a projection in memory; the SQLite store implements the same port with indexed queries.
 */
import type { Projection, SessionRecord, TranscriptFile } from '@sessions-db/projection';
import type { FingerprintName } from './fingerprints.js';
import type {
  ClearEndCandidate,
  IdentityCandidate,
  IdentityIndex,
  LineageCandidate,
  LineageRole,
} from './identity-index.js';

interface UuidEntry {
  readonly stableId: string;
  readonly role: LineageRole;
}

interface ClearEnd {
  readonly stableId: string;
  readonly pid: number;
  readonly endedAt: string;
  readonly endedMs: number;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function isProjection(source: Projection | Iterable<SessionRecord>): source is Projection {
  return (
    typeof source === 'object' &&
    source !== null &&
    !(Symbol.iterator in source) &&
    'sessions' in source
  );
}

function toCandidate(record: SessionRecord): IdentityCandidate {
  const fingerprints = record.fingerprints as Partial<SessionRecord['fingerprints']> | undefined;
  return {
    stable_id: record.stable_id,
    cwd: stringOrNull(record.cwd),
    worktree_realpath: stringOrNull(record.worktree_realpath),
    branch_at_start: stringOrNull(record.branch_at_start),
    last_progress_at: stringOrNull(record.last_progress_at),
    created_at: stringOrNull(record.created_at),
    fingerprints: {
      first_human_prompt_v1: stringOrNull(fingerprints?.first_human_prompt_v1),
      lineage_prefix_v1: stringOrNull(fingerprints?.lineage_prefix_v1),
    },
  };
}

function addToSetMap(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([value]));
  else set.add(value);
}

/** The (uuid, role) pairs a transcript file contributes to the lineage index. */
function transcriptUuids(file: TranscriptFile): [string, LineageRole][] {
  const pairs: [string, LineageRole][] = [];
  const single = (value: unknown, role: LineageRole): void => {
    if (isNonEmptyString(value)) pairs.push([value, role]);
  };
  const list = (value: unknown, role: LineageRole): void => {
    if (!Array.isArray(value)) return;
    for (const item of value) single(item, role);
  };
  single(file.first_uuid, 'first');
  single(file.last_uuid, 'last');
  list(file.tail_uuids, 'tail');
  list(file.leaf_uuids, 'leaf');
  list(file.compact_parent_uuids, 'boundary');
  single(file.first_parent_uuid, 'head');
  return pairs;
}

/**
 * Build an `IdentityIndex` from a projection (its `sessions`) or any iterable of records. Records
 * are read once, at construction; later changes to them are not seen. Stable ids must be unique
 * (a later record with the same `stable_id` replaces the earlier one).
 */
export function createMemoryIdentityIndex(
  source: Projection | Iterable<SessionRecord>,
): IdentityIndex {
  const byId = new Map<string, SessionRecord>();
  for (const record of isProjection(source) ? Object.values(source.sessions) : source) {
    if (isNonEmptyString(record.stable_id)) byId.set(record.stable_id, record);
  }

  const candidates = new Map<string, IdentityCandidate>();
  const byCsid = new Map<string, Set<string>>();
  const byUuid = new Map<string, Map<string, UuidEntry>>();
  const byFingerprint: Record<FingerprintName, Map<string, Set<string>>> = {
    first_human_prompt_v1: new Map(),
    lineage_prefix_v1: new Map(),
  };
  const clearEndsByPid = new Map<number, ClearEnd[]>();

  for (const [id, record] of byId) {
    candidates.set(id, toCandidate(record));

    if (Array.isArray(record.claude_session_ids)) {
      for (const csid of record.claude_session_ids) {
        if (isNonEmptyString(csid)) addToSetMap(byCsid, csid, id);
      }
    }

    if (Array.isArray(record.transcript_files)) {
      for (const file of record.transcript_files) {
        if (typeof file !== 'object' || file === null) continue;
        for (const [uuid, role] of transcriptUuids(file)) {
          let entries = byUuid.get(uuid);
          if (entries === undefined) byUuid.set(uuid, (entries = new Map()));
          entries.set(`${id}\u0000${role}`, { stableId: id, role });
        }
      }
    }

    const fingerprints = record.fingerprints as Partial<SessionRecord['fingerprints']> | undefined;
    for (const name of ['first_human_prompt_v1', 'lineage_prefix_v1'] as const) {
      const value = fingerprints?.[name];
      if (isNonEmptyString(value)) addToSetMap(byFingerprint[name], value, id);
    }

    const endedMs = typeof record.ended_at === 'string' ? Date.parse(record.ended_at) : NaN;
    const pid = record.claude_pid;
    if (
      record.end_reason === 'clear' &&
      typeof pid === 'number' &&
      Number.isInteger(pid) &&
      typeof record.ended_at === 'string' &&
      Number.isFinite(endedMs)
    ) {
      const end: ClearEnd = { stableId: id, pid, endedAt: record.ended_at, endedMs };
      const list = clearEndsByPid.get(pid);
      if (list === undefined) clearEndsByPid.set(pid, [end]);
      else list.push(end);
    }
  }

  const candidatesOf = (ids: Iterable<string> | undefined): IdentityCandidate[] => {
    const out: IdentityCandidate[] = [];
    if (ids === undefined) return out;
    for (const id of ids) {
      const candidate = candidates.get(id);
      if (candidate !== undefined) out.push(candidate);
    }
    return out;
  };

  return {
    findByClaudeSessionId(claudeSessionId) {
      if (!isNonEmptyString(claudeSessionId)) return [];
      return candidatesOf(byCsid.get(claudeSessionId));
    },

    findByTranscriptUuids(uuids) {
      const out: LineageCandidate[] = [];
      for (const uuid of new Set(uuids)) {
        if (!isNonEmptyString(uuid)) continue;
        const entries = byUuid.get(uuid);
        if (entries === undefined) continue;
        for (const entry of entries.values()) {
          const candidate = candidates.get(entry.stableId);
          if (candidate !== undefined)
            out.push({ ...candidate, matched_uuid: uuid, role: entry.role });
        }
      }
      return out;
    },

    findByFingerprint(name, value) {
      if (!isNonEmptyString(value)) return [];
      return candidatesOf(byFingerprint[name]?.get(value));
    },

    findRecentClearEnds(claudePid, sinceMs) {
      const ends = clearEndsByPid.get(claudePid);
      if (ends === undefined) return [];
      const out: ClearEndCandidate[] = [];
      for (const end of ends) {
        if (!(end.endedMs >= sinceMs)) continue;
        const candidate = candidates.get(end.stableId);
        if (candidate !== undefined) {
          out.push({ ...candidate, claude_pid: end.pid, ended_at: end.endedAt });
        }
      }
      return out;
    },
  };
}
