import {
  HOOK_SESSION_START_TIMEOUT_SECONDS,
  nonBlankEnv,
  sessionsDbDisabled,
  storePreviewEnabled,
} from '@sessions-db/store/env';
import type { EnvSource } from '@sessions-db/store/env';

/** The environment variables the hook reads (a plain record, e.g. `process.env`). */
export type HookEnvSource = EnvSource;

/**
 * Default SessionStart deadline, in ms from process start: two seconds under the `timeout` that
 * `hook install` writes (10 s), so the hook always ends by itself before Claude Code cancels it.
 */
export const DEFAULT_SESSION_START_DEADLINE_MS = HOOK_SESSION_START_TIMEOUT_SECONDS * 1000 - 2000;

/** Claude Code's shared budget of all SessionEnd hooks when not overridden (ms). */
export const DEFAULT_SESSION_END_BUDGET_MS = 1500;

/** How far under the SessionEnd budget the hook's SessionEnd deadline lies (ms, at most). */
export const SESSION_END_MARGIN_MS = 250;

/** The SessionStart deadline when nothing overrides it (kept for callers of the old name). */
export const DEFAULT_DEADLINE_MS = DEFAULT_SESSION_START_DEADLINE_MS;

/**
 * How long a hook that has not read its payload yet keeps waiting for it (ms from process start):
 * a quarter second under the install timeout. A hook is never stopped by its own deadline before
 * it has read stdin: on a machine so busy that start-up alone ate the deadline, the event is still
 * recorded (durable first, nothing optional) unless Claude Code cancels the hook first.
 */
export const DEFAULT_STDIN_LIMIT_MS = HOOK_SESSION_START_TIMEOUT_SECONDS * 1000 - 250;

/** Largest accepted `SESSIONS_DB_HOOK_DEADLINE_MS` (Claude's own hook timeouts end at 600 s). */
export const MAX_DEADLINE_MS = 600_000;

/** Per-event run deadlines, in ms from process start (`performance.now()` values). */
export interface HookDeadlines {
  /** SessionStart (and any event before it is known). */
  readonly sessionStart: number;
  /** SessionEnd: a margin under Claude Code's shared SessionEnd budget. */
  readonly sessionEnd: number;
  /** Reading the payload: never before either event deadline (see {@link DEFAULT_STDIN_LIMIT_MS}). */
  readonly stdin: number;
}

/** The hook's settings, parsed from the environment. */
export interface HookEnv {
  /** `SESSIONS_DB_DISABLED` (or `DRUUMEN_SESSIONS_DB_DISABLED`) is `1`/`true`: do nothing. */
  readonly disabled: boolean;
  /** False when `SESSIONS_DB_STORE_PREVIEW` (or its alias) is `0`/`false`: store no prompt preview. */
  readonly storePreview: boolean;
  /** The run deadline of each event (see {@link parseHookDeadlines}). */
  readonly deadlines: HookDeadlines;
  /** The opt-in diagnostics log file (`SESSIONS_DB_LOG`), or null. */
  readonly logPath: string | null;
  /** `CLAUDE_PROJECT_DIR`: the cwd when the payload has none. */
  readonly projectDir: string | null;
  /** `CLAUDE_CODE_SESSION_ID` (or the original's `CLAUDE_SESSION_ID`): the id when the payload has none. */
  readonly sessionId: string | null;
  /** `CLAUDE_PID` (Claude Code 2.1.332+): the Claude process, named by Claude itself, or null. */
  readonly claudePid: number | null;
}

/**
 * Whether the kill switch is on: `SESSIONS_DB_DISABLED` or the original's
 * `DRUUMEN_SESSIONS_DB_DISABLED` is `1` or `true` (the store's one parser).
 */
export function isHookDisabled(env: HookEnvSource): boolean {
  return sessionsDbDisabled(env);
}

/** A positive integer up to `max`, or null. */
function positiveInt(value: string | undefined, max: number): number | null {
  const text = value?.trim() ?? '';
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n > 0 && n <= max ? n : null;
}

/**
 * The deadline override in ms from `SESSIONS_DB_HOOK_DEADLINE_MS`: a positive integer up to
 * {@link MAX_DEADLINE_MS}; anything else gives {@link DEFAULT_DEADLINE_MS}.
 */
export function parseDeadlineMs(value: string | undefined): number {
  return positiveInt(value, MAX_DEADLINE_MS) ?? DEFAULT_DEADLINE_MS;
}

/**
 * The per-event deadlines (docs/hook.md#deadlines). SessionStart: {@link DEFAULT_SESSION_START_DEADLINE_MS}.
 * SessionEnd: Claude Code's shared budget (`CLAUDE_CODE_SESSIONEND_HOOKS_TIMEOUT_MS`, default
 * 1500 ms) less a margin of {@link SESSION_END_MARGIN_MS} (a quarter of a smaller budget).
 * Reading stdin: {@link DEFAULT_STDIN_LIMIT_MS}. `SESSIONS_DB_HOOK_DEADLINE_MS`, when valid, sets all three.
 */
export function parseHookDeadlines(env: HookEnvSource): HookDeadlines {
  const override = positiveInt(env['SESSIONS_DB_HOOK_DEADLINE_MS'], MAX_DEADLINE_MS);
  if (override !== null) return { sessionStart: override, sessionEnd: override, stdin: override };
  const budget =
    positiveInt(env['CLAUDE_CODE_SESSIONEND_HOOKS_TIMEOUT_MS'], MAX_DEADLINE_MS) ??
    DEFAULT_SESSION_END_BUDGET_MS;
  return {
    sessionStart: DEFAULT_SESSION_START_DEADLINE_MS,
    sessionEnd: budget - Math.min(SESSION_END_MARGIN_MS, Math.floor(budget / 4)),
    stdin: DEFAULT_STDIN_LIMIT_MS,
  };
}

/** Parse the hook's settings from `env`. Pure: never throws, never reads the file system. */
export function parseHookEnv(env: HookEnvSource): HookEnv {
  return {
    disabled: isHookDisabled(env),
    storePreview: storePreviewEnabled(env),
    deadlines: parseHookDeadlines(env),
    logPath: nonBlankEnv(env['SESSIONS_DB_LOG']),
    projectDir: nonBlankEnv(env['CLAUDE_PROJECT_DIR']),
    sessionId: nonBlankEnv(env['CLAUDE_CODE_SESSION_ID']) ?? nonBlankEnv(env['CLAUDE_SESSION_ID']),
    claudePid: positiveInt(env['CLAUDE_PID'], 2 ** 31 - 1),
  };
}
