import { lstatSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomicSync } from '@sessions-db/event-log';
import envPaths from 'env-paths';

import { isNonEmptyString } from './values.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Name of the user's configuration file inside {@link userConfigDir}. */
export const USER_CONFIG_FILENAME = 'config.json';

/** The user's configuration: so far, the workspace stores they made theirs. */
export interface UserConfig {
  /** Real paths of store directories found by climbing that the user trusts. */
  readonly trustedStores: readonly string[];
}

/**
 * The per-user configuration directory: `$XDG_CONFIG_HOME/sessions-db` or `~/.config/sessions-db`
 * on Linux, `~/Library/Preferences/sessions-db` on macOS, `%APPDATA%\sessions-db\Config` on
 * Windows (env-paths). Outside every repository, so no checkout can write it.
 */
export function userConfigDir(env: Env = process.env): string {
  if (process.platform !== 'darwin' && process.platform !== 'win32') {
    if (isNonEmptyString(env['XDG_CONFIG_HOME']) && env['XDG_CONFIG_HOME'].startsWith('/'))
      return join(env['XDG_CONFIG_HOME'], 'sessions-db');
    if (env !== process.env && isNonEmptyString(env['HOME']))
      return join(env['HOME'], '.config', 'sessions-db');
  }
  return envPaths('sessions-db', { suffix: '' }).config;
}

const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

/**
 * Read the user's configuration. A missing, unreadable or malformed file, or one that is not the
 * user's own regular file, counts as empty: it can only ever take trust away.
 */
export function readUserConfig(env: Env = process.env): UserConfig {
  const path = join(userConfigDir(env), USER_CONFIG_FILENAME);
  try {
    const stats = lstatSync(path);
    if (!stats.isFile() || (uid !== undefined && stats.uid !== uid)) return { trustedStores: [] };
    const value = JSON.parse(readFileSync(path, 'utf8')) as { trustedStores?: unknown };
    const stores = Array.isArray(value.trustedStores)
      ? value.trustedStores.filter(isNonEmptyString)
      : [];
    return { trustedStores: stores };
  } catch {
    return { trustedStores: [] };
  }
}

function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

/** Whether the user's configuration lists `dir` (compared by real path). */
export function isTrustedStore(dir: string, env: Env = process.env): boolean {
  const real = realDir(dir);
  return readUserConfig(env).trustedStores.some((trusted) => realDir(trusted) === real);
}

/**
 * Add `dir` to the user's trusted stores (`sessions-db init` does this for a store it creates in
 * a workspace), writing the configuration atomically (`0600`, directory `0700`). Idempotent.
 * Returns the configuration file's path.
 * @throws AtomicWriteError when the file cannot be written.
 */
export function trustStore(dir: string, env: Env = process.env): string {
  const configDir = userConfigDir(env);
  const path = join(configDir, USER_CONFIG_FILENAME);
  const real = realDir(dir);
  const config = readUserConfig(env);
  if (config.trustedStores.some((trusted) => realDir(trusted) === real)) return path;
  let existing: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      existing = parsed as Record<string, unknown>;
  } catch {
    // missing or malformed: start afresh (a malformed file trusted nothing anyway)
  }
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const next = { ...existing, trustedStores: [...config.trustedStores, real] };
  writeFileAtomicSync(path, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  return path;
}
