/**
 * Test helpers: `SessionRecord` objects (the projection's defaults), realistic ids, and a small
 * simulation of what the store does with a resolution (create or update a record).
 */
import { emptySession } from '@sessions-db/projection';
import type { SessionRecord, TranscriptFile } from '@sessions-db/projection';
import { computeFingerprints } from '../fingerprints.js';
import type { IdentityFacts, IdentityResult } from '../types.js';

/** A fixed "now": 2026-05-10T09:15:00.000Z. */
export const NOW = Date.parse('2026-05-10T09:15:00.000Z');

export const HOUR = 3_600_000;

/** ISO string of `NOW + offsetMs`. */
export function iso(offsetMs = 0): string {
  return new Date(NOW + offsetMs).toISOString();
}

/** A deterministic UUID-shaped string from a label and a number. */
export function uuid(n: number, salt = 0): string {
  const hex = (value: number, width: number): string =>
    (value >>> 0).toString(16).padStart(width, '0').slice(-width);
  const a = Math.imul(n + 1, 2654435761) ^ salt;
  const b = Math.imul(n + 7, 40503) ^ Math.imul(salt + 3, 2246822519);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(n, 3)}-a${hex(salt, 3)}-${hex(a ^ b, 8)}${hex(n * 31 + salt, 4)}`;
}

/** A stable id shaped like the event log's (`sess_` + UUIDv7). */
export function stableId(n: number): string {
  return `sess_019e0f2d-${n.toString(16).padStart(4, '0')}-7f00-8a11-0b2c3d4e5f60`;
}

/** A Claude session id (UUID v4 shape). */
export function csid(n: number): string {
  return uuid(n, 0xc1a);
}

/** A transcript file entry; `extra` may add our optional fields. */
export function transcriptFile(
  path: string,
  firstUuid: string | null,
  lastUuid: string | null,
  extra: Partial<TranscriptFile> = {},
): TranscriptFile {
  return {
    path,
    first_uuid: firstUuid,
    last_uuid: lastUuid,
    size: 48_213,
    mtime: iso(-HOUR),
    status: 'ok',
    ...extra,
  };
}

/** A schema-v2 record with the original's defaults, overridden by `fields`. */
export function makeRecord(id: string, fields: Partial<SessionRecord> = {}): SessionRecord {
  return {
    ...emptySession(id, iso(-2 * HOUR)),
    last_progress_at: iso(-HOUR),
    ...fields,
  };
}

/**
 * Fold a resolution into a record map the way the store would: a minted result creates a record
 * (with the parent edge for a fork/clear child); otherwise the record gains the csid and facts.
 * Returns the stable id.
 */
export function recordResolution(
  records: Map<string, SessionRecord>,
  facts: IdentityFacts,
  result: IdentityResult,
): string {
  const ts = new Date(facts.now).toISOString();
  const fingerprints = {
    first_human_prompt_v1: facts.fingerprints?.first_human_prompt_v1 ?? null,
    lineage_prefix_v1: facts.fingerprints?.lineage_prefix_v1 ?? null,
  };
  const file: TranscriptFile | null =
    facts.firstUuid === undefined || facts.firstUuid === null
      ? null
      : transcriptFile(
          `/home/dev/.claude/projects/x/${facts.claudeSessionId}.jsonl`,
          facts.firstUuid,
          facts.lastUuid ?? null,
          {
            first_parent_uuid: facts.firstParentUuid ?? null,
            tail_uuids: [...(facts.tailUuids ?? [])],
          },
        );
  const existing = records.get(result.stableId);
  const record =
    existing ??
    makeRecord(result.stableId, {
      created_at: ts,
      last_progress_at: ts,
      parent_session_id: result.parent?.stableId ?? null,
      ...(result.parent === undefined ? {} : { parent_kind: result.parent.kind }),
    });
  if (!record.claude_session_ids.includes(facts.claudeSessionId)) {
    record.claude_session_ids.push(facts.claudeSessionId);
  }
  if (file !== null) record.transcript_files.push(file);
  record.fingerprints.first_human_prompt_v1 ??= fingerprints.first_human_prompt_v1;
  record.fingerprints.lineage_prefix_v1 ??= fingerprints.lineage_prefix_v1;
  if (record.cwd === undefined && typeof facts.cwd === 'string') record.cwd = facts.cwd;
  record.worktree_realpath = facts.worktreeRealpath ?? record.worktree_realpath;
  record.branch_at_start ??= facts.branch ?? null;
  if (ts > record.last_progress_at) record.last_progress_at = ts;
  if (typeof facts.claudePid === 'number') record.claude_pid = facts.claudePid;
  records.set(record.stable_id, record);
  return record.stable_id;
}

/** Facts of a session start whose transcript already holds `prompt` as its first prompt. */
export function promptFacts(
  n: number,
  prompt: string,
  fields: Partial<IdentityFacts> = {},
): IdentityFacts {
  const firstUuid = uuid(n, 0xf1);
  return {
    claudeSessionId: csid(n),
    now: NOW,
    hookEvent: 'SessionStart',
    source: 'startup',
    firstUuid,
    firstParentUuid: null,
    lastUuid: uuid(n, 0xe7),
    fingerprints: computeFingerprints({
      sanitizedPrompt: prompt,
      firstUuid,
      firstParentUuid: null,
    }),
    firstPrompt: prompt,
    ...fields,
  };
}

/** A `mintStableId` that hands out `sess_…` ids in order and counts its calls. */
export function createMinter(prefix = 'sess_019e1a00-0000-7000-8000-'): {
  mint: () => string;
  readonly calls: number;
  readonly minted: string[];
} {
  const minted: string[] = [];
  return {
    mint: () => {
      const id = `${prefix}${minted.length.toString(16).padStart(12, '0')}`;
      minted.push(id);
      return id;
    },
    get calls() {
      return minted.length;
    },
    minted,
  };
}
