type Env = Readonly<Record<string, string | undefined>>;

/** The value of `SESSIONS_DB_<name>`, else the original's `DRUUMEN_SESSIONS_DB_<name>`. */
export function sessionsDbEnv(env: Env, name: string): string | undefined {
  const ours = env[`SESSIONS_DB_${name}`];
  if (typeof ours === 'string' && ours !== '') return ours;
  const original = env[`DRUUMEN_SESSIONS_DB_${name}`];
  return typeof original === 'string' && original !== '' ? original : undefined;
}

/**
 * Whether prompt previews are stored: `SESSIONS_DB_STORE_PREVIEW` (or the original's name) set to
 * `0` or `false` (trimmed, any case) turns them off; anything else keeps them (docs/hook.md).
 */
export function storePreviewEnabled(env: Env): boolean {
  const value = sessionsDbEnv(env, 'STORE_PREVIEW')?.trim().toLowerCase();
  return value !== '0' && value !== 'false';
}
