import type { IdentityFacts } from '@sessions-db/identity';
import type { SessionSeenPayload } from '@sessions-db/projection';

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
