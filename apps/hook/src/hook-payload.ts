import { resolve } from 'node:path';

import type { HookEnv } from './hook-env.js';
import type { StdinInput } from './read-hook-stdin.js';

/** SessionStart `source` values Claude Code sends (an unknown or missing one counts as `startup`). */
export const SESSION_START_SOURCES = ['startup', 'resume', 'clear', 'compact', 'fork'] as const;

/** A SessionStart `source`. */
export type SessionStartSource = (typeof SESSION_START_SOURCES)[number];

/** The SessionEnd `reason` used when the payload has none. */
export const DEFAULT_END_REASON = 'other';

/** Longest kept text of a free-form payload field (model, agent type, title, reason). */
const MAX_FIELD = 200;

/** Longest kept session id (a UUID has 36 characters; longer text is only kept for the log). */
const MAX_SESSION_ID = 100;

/** Facts common to every handled hook event. */
interface HookRequestBase {
  /** The Claude session id (payload `session_id`, else the environment's), unvalidated; null if none. */
  readonly sessionId: string | null;
  /** Absolute working directory: payload `cwd` → `CLAUDE_PROJECT_DIR` → the process cwd. */
  readonly cwd: string;
  /** Payload `transcript_path` (made absolute against `cwd`), when a non-empty string. */
  readonly transcriptPath: string | null;
  /** Whether `hook_event_name` was missing (the original's SessionStart-only payload). */
  readonly eventDefaulted: boolean;
}

/** What the hook was asked to do, from its stdin payload and environment. */
export type HookRequest =
  | (HookRequestBase & {
      readonly kind: 'SessionStart';
      readonly source: SessionStartSource;
      readonly model: string | null;
      readonly agentType: string | null;
      readonly sessionTitle: string | null;
    })
  | (HookRequestBase & { readonly kind: 'SessionEnd'; readonly reason: string })
  | { readonly kind: 'other'; readonly event: string };

function text(value: unknown, max = MAX_FIELD): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed.length === 0) return null;
  return trimmed.length <= max ? trimmed : trimmed.slice(0, max);
}

/** `value` when it is a string that is not blank (kept as is: a path may end in a space). */
function pathText(value: unknown): string | null {
  return typeof value === 'string' && value.trim().length > 0 ? value : null;
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** `value` when it is a known SessionStart source, else `startup`. */
export function normalizeSource(value: unknown): SessionStartSource {
  return SESSION_START_SOURCES.find((source) => source === value) ?? 'startup';
}

/**
 * Interpret the hook's stdin `input` with the environment fallbacks of `env`. A payload without
 * `hook_event_name` is treated as SessionStart (what the original's hook received); a non-object
 * or missing payload is an empty one, so the environment supplies what it can. Pure; never throws.
 */
export function parseHookRequest(input: StdinInput, env: HookEnv, processCwd: string): HookRequest {
  const payload = asRecord(input.kind === 'json' ? input.value : undefined);
  const rawEvent = payload['hook_event_name'];
  const eventDefaulted = rawEvent === undefined || rawEvent === null;
  const event = eventDefaulted
    ? 'SessionStart'
    : (text(rawEvent) ?? String(rawEvent).slice(0, MAX_FIELD));
  if (event !== 'SessionStart' && event !== 'SessionEnd') return { kind: 'other', event };

  const cwd = resolve(processCwd, pathText(payload['cwd']) ?? env.projectDir ?? processCwd);
  const transcriptPath = pathText(payload['transcript_path']);
  const base: HookRequestBase = {
    sessionId: text(payload['session_id'], MAX_SESSION_ID) ?? text(env.sessionId, MAX_SESSION_ID),
    cwd,
    transcriptPath: transcriptPath === null ? null : resolve(cwd, transcriptPath),
    eventDefaulted,
  };
  if (event === 'SessionEnd') {
    return { ...base, kind: 'SessionEnd', reason: text(payload['reason']) ?? DEFAULT_END_REASON };
  }
  return {
    ...base,
    kind: 'SessionStart',
    source: normalizeSource(payload['source']),
    model: text(payload['model']),
    agentType: text(payload['agent_type']),
    sessionTitle: text(payload['session_title']),
  };
}
