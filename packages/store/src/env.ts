// The one parser of sessions-db's environment variables, shared by the store, the CLI and the hook
// (docs/hook.md#environment): every `SESSIONS_DB_<NAME>` has the original's
// `DRUUMEN_SESSIONS_DB_<NAME>` as an alias, and a value that is empty or only blanks counts as unset.

/** The environment variables read (a plain record, e.g. `process.env`). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** A variable found by {@link readSessionsDbEnv}: its trimmed value and which name held it. */
export interface EnvValue {
  /** The value, trimmed. */
  readonly value: string;
  /** `'ours'` for `SESSIONS_DB_<NAME>`, `'compat'` for the original's `DRUUMEN_SESSIONS_DB_<NAME>`. */
  readonly from: 'ours' | 'compat';
}

/** `value` trimmed when it holds a non-blank character, else null. */
export function nonBlankEnv(value: string | undefined): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  return text.length > 0 ? text : null;
}

/**
 * `SESSIONS_DB_<name>`, else the original's `DRUUMEN_SESSIONS_DB_<name>`, trimmed; a blank value
 * is unset (so `SESSIONS_DB_STORE_PREVIEW=' '` falls through to the alias). Undefined when neither
 * is set.
 */
export function readSessionsDbEnv(env: EnvSource, name: string): EnvValue | undefined {
  const ours = nonBlankEnv(env[`SESSIONS_DB_${name}`]);
  if (ours !== null) return { value: ours, from: 'ours' };
  const compat = nonBlankEnv(env[`DRUUMEN_SESSIONS_DB_${name}`]);
  return compat === null ? undefined : { value: compat, from: 'compat' };
}

/** The value of {@link readSessionsDbEnv}, or undefined. */
export function sessionsDbEnv(env: EnvSource, name: string): string | undefined {
  return readSessionsDbEnv(env, name)?.value;
}

/** Whether a flag value is on: `1` or `true`, any case. */
export function isEnvFlagOn(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  return v === '1' || v === 'true';
}

/** Whether a flag value is off: `0` or `false`, any case. */
export function isEnvFlagOff(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  return v === '0' || v === 'false';
}

/**
 * Whether the kill switch is on: `SESSIONS_DB_DISABLED` or its alias is `1`/`true`. Either name
 * turning it on is enough (a kill switch errs towards off).
 */
export function sessionsDbDisabled(env: EnvSource): boolean {
  return (
    isEnvFlagOn(env['SESSIONS_DB_DISABLED']) || isEnvFlagOn(env['DRUUMEN_SESSIONS_DB_DISABLED'])
  );
}

/**
 * Whether prompt previews are stored: `SESSIONS_DB_STORE_PREVIEW` (or its alias) set to `0` or
 * `false` turns them off; anything else keeps them.
 */
export function storePreviewEnabled(env: EnvSource): boolean {
  return !isEnvFlagOff(sessionsDbEnv(env, 'STORE_PREVIEW'));
}

/**
 * The `timeout` (seconds) that `hook install` writes on the SessionStart hook. The hook's own
 * SessionStart deadline stays well under it (docs/hook.md#deadlines).
 */
export const HOOK_SESSION_START_TIMEOUT_SECONDS = 10;
