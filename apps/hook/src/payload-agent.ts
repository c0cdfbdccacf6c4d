import { parseRolloutName } from '@sessions-db/git-transcript';
import type { AgentName } from '@sessions-db/git-transcript';

/**
 * Which coding agent sent a hook payload. Codex CLI sends Claude Code's payload shape
 * (docs/agents-codex.md#hooks) but its `transcript_path` names a rollout
 * (`rollout-<time>-<thread id>.jsonl`) of the same session; anything else is Claude Code's. Pure.
 */
export function payloadAgent(sessionId: string | null, transcriptPath: string | null): AgentName {
  if (sessionId === null || transcriptPath === null) return 'claude';
  const rollout = parseRolloutName(transcriptPath);
  return rollout !== null && rollout.threadId === sessionId.toLowerCase() ? 'codex' : 'claude';
}
