import { ACTIVITY_STATES, OUTCOMES } from '@sessions-db/projection';

/** Activity states accepted by `--state` (docs/on-disk-format.md#activity-states-sweep). */
export const ACTIVITY_STATE_VALUES: readonly string[] = ACTIVITY_STATES;

/** Outcomes accepted by `--outcome` (docs/on-disk-format.md#what-the-writers-check). */
export const OUTCOME_VALUES: readonly string[] = OUTCOMES;

/** Coding agents accepted by `--agent` (docs/agents-codex.md). */
export const AGENT_VALUES: readonly string[] = ['claude', 'codex'];

/** The yargs spec of an `--agent` flag (one of {@link AGENT_VALUES}); `describe` says what it does. */
export function agentFlag(describe: string) {
  return { type: 'string', choices: AGENT_VALUES, requiresArg: true, describe } as const;
}

/** The agent of a session: its `agent` field, absent meaning Claude Code. */
export function sessionAgent(session: { readonly agent?: string }): string {
  return session.agent ?? 'claude';
}
