import type { SessionRecord } from '@sessions-db/projection';
import { sessionAgent } from '../enums.js';
import { displayLabel } from '../format/session-label.js';

/** What `find_sessions` returns per session: enough to choose one, not the whole record. */
export interface SessionSummary {
  readonly stable_id: string;
  readonly label: string | null;
  readonly label_source: string | null;
  readonly agent: string;
  readonly alias: string | null;
  readonly activity_state: string;
  readonly outcome: string;
  readonly created_at: string;
  readonly last_progress_at: string;
  readonly cwd: string | null;
  readonly projects: readonly string[];
  readonly tasks: readonly string[];
  readonly branch: string | null;
  readonly claude_session_ids: readonly string[];
  readonly parent_session_id: string | null;
  readonly parent_kind: string | null;
}

/** The summary of one session (label by the CLI's rule: alias, custom title, AI title, prompt). */
export function sessionSummary(session: SessionRecord): SessionSummary {
  const label = displayLabel(session);
  return {
    stable_id: session.stable_id,
    label: label.text,
    label_source: label.source,
    agent: sessionAgent(session),
    alias: session.alias,
    activity_state: session.activity_state,
    outcome: session.outcome,
    created_at: session.created_at,
    last_progress_at: session.last_progress_at,
    cwd: session.cwd ?? null,
    projects: session.projects,
    tasks: session.tasks,
    branch: session.branch_current ?? session.branch_at_start,
    claude_session_ids: session.claude_session_ids,
    parent_session_id: session.parent_session_id,
    parent_kind: session.parent_kind ?? null,
  };
}
