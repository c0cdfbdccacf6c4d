/**
 * In-memory `IdentityIndex` over projection records: every map is built once, so each lookup
 * costs the size of its answer, not the number of sessions. Used by tests and by callers that hold
 * a projection in memory; the SQLite store implements the same port with indexed queries.
 */
import type { Projection, SessionRecord } from '@sessions-db/projection';
import { identityCandidateOf, recordLineageKeys } from './record-keys.js';
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

function isProjection(source: Projection | Iterable<SessionRecord>): source is Projection {
  return (
    typeof source === 'object' &&
    source !== null &&
    !(Symbol.iterator in source) &&
    'sessions' in source
  );
}

function addToSetMap(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([value]));
  else set.add(value);
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
    candidates.set(id, identityCandidateOf(record));
    const keys = recordLineageKeys(record);
    for (const csid of keys.csids) addToSetMap(byCsid, csid, id);
    for (const [uuid, role] of keys.uuids) {
      let entries = byUuid.get(uuid);
      if (entries === undefined) byUuid.set(uuid, (entries = new Map()));
      entries.set(`${id}\u0000${role}`, { stableId: id, role });
    }
    for (const [name, value] of keys.fingerprints) addToSetMap(byFingerprint[name], value, id);

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
