import type { IdentityFacts } from '@sessions-db/identity';
import { computeFingerprints } from '@sessions-db/identity';
import type { SessionSeenPayload } from '@sessions-db/projection';
import type { RecordResult, RecordStep, SessionsStore, StoreClock } from '../types.js';

let counter = 0;

/** A UUID-shaped Claude session id, unique per call. */
export function csid(n = ++counter): string {
  const hex = n.toString(16).padStart(12, '0');
  return `5b1c9e2a-0d4f-4c31-9a7e-${hex}`;
}

/** A transcript uuid, unique per (prefix, n). */
export function uuid(prefix: string, n: number): string {
  const p = Buffer.from(prefix).toString('hex').padEnd(8, '0').slice(0, 8);
  return `${p}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Facts of a plain SessionStart. */
export function startFacts(
  claudeSessionId: string,
  overrides: Partial<IdentityFacts> = {},
): IdentityFacts {
  return {
    claudeSessionId,
    now: Date.parse('2026-05-10T09:15:02.123Z'),
    hookEvent: 'SessionStart',
    source: 'startup',
    cwd: '/home/u/proj',
    worktreeRealpath: '/home/u/proj',
    branch: 'main',
    ...overrides,
  };
}

/** A `session_seen` payload like the hook's. */
export function seenPayload(
  claudeSessionId: string,
  overrides: Partial<SessionSeenPayload> = {},
): SessionSeenPayload {
  return {
    claude_session_id: claudeSessionId,
    branch_at_start: 'main',
    branch_current: 'main',
    head_at_start: null,
    head_last_seen: null,
    worktree_path_observed: '/home/u/proj',
    worktree_realpath: '/home/u/proj',
    worktree_registry_name: null,
    git_common_dir: '/home/u/proj/.git',
    transcript_file: null,
    fingerprints: { first_human_prompt_v1: null, lineage_prefix_v1: null },
    first_prompt_preview: 'fix the flaky upload test',
    cwd: '/home/u/proj',
    ...overrides,
  };
}

/** A hook run over a transcript whose rows have the uuids `rows` (null: no transcript yet). */
export interface HookRun {
  readonly claudeSessionId: string;
  readonly hookEvent: 'SessionStart' | 'SessionEnd';
  /** The SessionStart source (ignored for a SessionEnd). */
  readonly source: IdentityFacts['source'] | undefined;
  readonly rows: readonly string[] | null;
  readonly prompt: string;
  readonly pid: number;
  /** The client version written on the rows. */
  readonly version: string;
  readonly cwd: string;
  /** When the hook runs (epoch ms). */
  readonly now: number;
}

/**
 * The identity facts and the `session_seen` payload a hook would build for `run`: the transcript
 * file's head, tail and fingerprints come from its rows, as the hook reads them.
 */
export function hookRecord(run: HookRun): {
  facts: IdentityFacts;
  payload: SessionSeenPayload;
} {
  const { claudeSessionId: id, rows, prompt } = run;
  const fingerprints =
    rows === null
      ? { first_human_prompt_v1: null, lineage_prefix_v1: null }
      : computeFingerprints({
          sanitizedPrompt: prompt,
          firstUuid: rows[0] ?? null,
          firstParentUuid: null,
        });
  const file =
    rows === null
      ? null
      : {
          path: `/home/u/.claude/projects/-home-u-proj/${id}.jsonl`,
          first_uuid: rows[0] ?? null,
          last_uuid: rows[rows.length - 1] ?? null,
          size: 100 * rows.length,
          mtime: new Date(run.now).toISOString(),
          status: 'ok' as const,
          tail_uuids: rows.slice(-8),
        };
  return {
    facts: startFacts(id, {
      now: run.now,
      hookEvent: run.hookEvent,
      source: run.hookEvent === 'SessionEnd' ? null : (run.source ?? null),
      claudePid: run.pid,
      cwd: run.cwd,
      firstUuid: rows?.[0] ?? null,
      lastUuid: rows?.[rows.length - 1] ?? null,
      headUuids: rows?.slice(0, 8) ?? null,
      tailUuids: rows?.slice(-8) ?? null,
      transcriptVersion: rows === null ? null : run.version,
      fingerprints,
      firstPrompt: rows === null ? null : prompt,
    }),
    payload: seenPayload(id, {
      transcript_file: file,
      fingerprints,
      first_prompt_preview: rows === null ? null : prompt,
      claude_pid: run.pid,
    }),
  };
}

/**
 * A deterministic store clock: the same calls in the same order give the same ids and times. The
 * ids are `sess_<tag>-0000-7000-8000-<n>` and `evt_<tag>-…` (`tag`: 8 hex digits), and each call
 * of `now` moves the time `stepMs` on from 2026-05-10T09:00:00.000Z.
 */
export function deterministicClock(tag: string, stepMs: number): StoreClock {
  let tick = Date.parse('2026-05-10T09:00:00.000Z');
  let sessions = 0;
  let events = 0;
  const hex = (n: number) => n.toString(16).padStart(12, '0');
  return {
    now: () => (tick += stepMs),
    newSessionId: () => `sess_${tag}-0000-7000-8000-${hex(++sessions)}`,
    newEventId: () => `evt_${tag}-0000-7000-8000-${hex(++events)}`,
  };
}

/**
 * Record each of `records` step by step, each step in a transaction of its own as the hook does;
 * a failure ends its record. What `recordSessions` must equal.
 */
export function recordOneAtATime(
  store: Pick<SessionsStore, 'recordSessionSeen' | 'recordSessionEnd'>,
  records: readonly (readonly RecordStep[])[],
): RecordResult[][] {
  return records.map((steps) => {
    const results: RecordResult[] = [];
    for (const step of steps) {
      const result =
        step.kind === 'seen'
          ? store.recordSessionSeen(step.input, step.options)
          : store.recordSessionEnd(step.input, step.options);
      results.push(result);
      if (!result.ok) break;
    }
    return results;
  });
}
