/** The environment variables the hook reads (a plain record, e.g. `process.env`). */
export type HookEnvSource = Readonly<Record<string, string | undefined>>;

/** Default run deadline, in ms from process start. */
export const DEFAULT_DEADLINE_MS = 1500;

/** Largest accepted `SESSIONS_DB_HOOK_DEADLINE_MS` (Claude's own hook timeouts end at 600 s). */
export const MAX_DEADLINE_MS = 600_000;

/** The hook's settings, parsed from the environment. */
export interface HookEnv {
  /** `SESSIONS_DB_DISABLED` (or `DRUUMEN_SESSIONS_DB_DISABLED`) is `1`/`true`: do nothing. */
  readonly disabled: boolean;
  /** False when `SESSIONS_DB_STORE_PREVIEW` (or its alias) is `0`/`false`: store no prompt preview. */
  readonly storePreview: boolean;
  /** The run deadline in ms from process start (`SESSIONS_DB_HOOK_DEADLINE_MS`). */
  readonly deadlineMs: number;
  /** The opt-in diagnostics log file (`SESSIONS_DB_LOG`), or null. */
  readonly logPath: string | null;
  /** `CLAUDE_PROJECT_DIR`: the cwd when the payload has none. */
  readonly projectDir: string | null;
  /** `CLAUDE_CODE_SESSION_ID` (or the original's `CLAUDE_SESSION_ID`): the id when the payload has none. */
  readonly sessionId: string | null;
}

function nonBlank(value: string | undefined): string | null {
  return typeof value === 'string' && value.trim().length > 0 ? value : null;
}

function isTruthyFlag(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  return v === '1' || v === 'true';
}

function isFalsyFlag(value: string | null): boolean {
  const v = value?.trim().toLowerCase();
  return v === '0' || v === 'false';
}

/**
 * Whether the kill switch is on: `SESSIONS_DB_DISABLED` or the original's
 * `DRUUMEN_SESSIONS_DB_DISABLED`, trimmed and lower-cased, is `1` or `true`.
 */
export function isHookDisabled(env: HookEnvSource): boolean {
  return (
    isTruthyFlag(env['SESSIONS_DB_DISABLED']) || isTruthyFlag(env['DRUUMEN_SESSIONS_DB_DISABLED'])
  );
}

/**
 * The run deadline in ms from `SESSIONS_DB_HOOK_DEADLINE_MS`: a positive integer up to
 * {@link MAX_DEADLINE_MS}; anything else gives {@link DEFAULT_DEADLINE_MS}.
 */
export function parseDeadlineMs(value: string | undefined): number {
  const text = value?.trim() ?? '';
  if (!/^\d+$/.test(text)) return DEFAULT_DEADLINE_MS;
  const ms = Number(text);
  return ms > 0 && ms <= MAX_DEADLINE_MS ? ms : DEFAULT_DEADLINE_MS;
}

/** Parse the hook's settings from `env`. Pure: never throws, never reads the file system. */
export function parseHookEnv(env: HookEnvSource): HookEnv {
  const preview =
    nonBlank(env['SESSIONS_DB_STORE_PREVIEW']) ??
    nonBlank(env['DRUUMEN_SESSIONS_DB_STORE_PREVIEW']);
  return {
    disabled: isHookDisabled(env),
    storePreview: !isFalsyFlag(preview),
    deadlineMs: parseDeadlineMs(env['SESSIONS_DB_HOOK_DEADLINE_MS']),
    logPath: nonBlank(env['SESSIONS_DB_LOG']),
    projectDir: nonBlank(env['CLAUDE_PROJECT_DIR']),
    sessionId:
      nonBlank(env['CLAUDE_CODE_SESSION_ID'])?.trim() ??
      nonBlank(env['CLAUDE_SESSION_ID'])?.trim() ??
      null,
  };
}
