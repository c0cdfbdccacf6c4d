import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import envPaths from 'env-paths';

import { readSessionsDbEnv } from './env.js';
import { STORE_FILENAMES } from './store-files.js';
import { findStoreSafetyProblems } from './store-safety.js';
import { isTrustedStore } from './trusted-stores.js';
import type { IgnoredStore, ResolveStoreOptions, StorePaths, StoreSource } from './types.js';
import { isNonEmptyString } from './values.js';

export { STORE_FILENAMES } from './store-files.js';

/** How many directories the ascent examines (the start dir plus up to 11 ancestors). */
export const MAX_ASCEND_DEPTH = 12;

/** The legacy workspace-relative storage directory (`--root` form). */
export const LEGACY_STORE_SUBDIR = join('tickets', '_logs');

/** The product-neutral workspace storage directory of the original. */
export const DRU_CODE_SUBDIR = '.dru-code';

/**
 * Absolute paths of the store files in `dir`.
 *
 * @throws TypeError when `dir` is empty.
 */
export function storePathsIn(dir: string, source: StoreSource): StorePaths {
  if (dir.length === 0) throw new TypeError('storePathsIn: dir must be a non-empty string');
  const abs = resolve(dir);
  return {
    dir: abs,
    eventsPath: join(abs, STORE_FILENAMES.events),
    indexPath: join(abs, STORE_FILENAMES.index),
    projectionPath: join(abs, STORE_FILENAMES.projection),
    lockPath: join(abs, STORE_FILENAMES.lock),
    source,
  };
}

function holdsStore(dir: string): boolean {
  return (
    existsSync(join(dir, STORE_FILENAMES.events)) ||
    existsSync(join(dir, STORE_FILENAMES.projection))
  );
}

/**
 * The per-user data directory used when nothing else names a store
 * (`~/.local/share/sessions-db` on Linux, via env-paths; `XDG_DATA_HOME` honoured).
 */
export function defaultStoreDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (
    process.platform !== 'darwin' &&
    process.platform !== 'win32' &&
    isNonEmptyString(env['XDG_DATA_HOME'])
  ) {
    return join(env['XDG_DATA_HOME'], 'sessions-db');
  }
  if (env !== process.env && isNonEmptyString(env['HOME']) && process.platform === 'linux') {
    return join(env['HOME'], '.local', 'share', 'sessions-db');
  }
  return envPaths('sessions-db', { suffix: '' }).data;
}

/**
 * Resolve the storage directory (docs/storage.md), first hit wins: `store` → `root` (legacy
 * workspace form) → `SESSIONS_DB_ROOT` → `DRUUMEN_SESSIONS_DB_ROOT` → ascent of at most
 * {@link MAX_ASCEND_DEPTH} levels from `cwd` for an existing `tickets/_logs/` or `.dru-code/`
 * store (holding the events log or the projection; at one level `tickets/_logs` wins) that the
 * user made theirs → the per-user data directory. A store found by the ascent is used only when
 * the user's configuration lists it (`sessions-db init` there adds it) and it is safely theirs
 * (their directory, no symlinks, not writable by others): a cloned repository that ships a
 * `.dru-code/` can never redirect where sessions are written. Stores passed over are listed in
 * `ignored`. Never throws and creates nothing.
 */
export function resolveStore(options: ResolveStoreOptions = {}): StorePaths {
  const env = options.env ?? process.env;
  if (isNonEmptyString(options.store)) return storePathsIn(options.store, 'arg');
  if (isNonEmptyString(options.root))
    return storePathsIn(join(resolve(options.root), LEGACY_STORE_SUBDIR), 'root');
  const fromEnv = readSessionsDbEnv(env, 'ROOT');
  if (fromEnv !== undefined)
    return storePathsIn(fromEnv.value, fromEnv.from === 'ours' ? 'env' : 'env-compat');

  const ignored: IgnoredStore[] = [];
  let dir = resolve(isNonEmptyString(options.cwd) ? options.cwd : process.cwd());
  for (let level = 0; level < MAX_ASCEND_DEPTH; level += 1) {
    const candidates: [string, StoreSource][] = [
      [join(dir, LEGACY_STORE_SUBDIR), 'tickets-logs'],
      [join(dir, DRU_CODE_SUBDIR), 'dru-code'],
    ];
    for (const [candidate, source] of candidates) {
      if (!holdsStore(candidate)) continue;
      const paths = storePathsIn(candidate, source);
      const reason = untrustedReason(paths, env);
      if (reason === null) return ignored.length === 0 ? paths : { ...paths, ignored };
      ignored.push({ dir: paths.dir, reason });
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const fallback = storePathsIn(defaultStoreDir(env), 'default');
  return ignored.length === 0 ? fallback : { ...fallback, ignored };
}

/** Why a store found by the ascent may not be used, or null when it may. */
function untrustedReason(
  paths: StorePaths,
  env: Readonly<Record<string, string | undefined>>,
): string | null {
  if (!isTrustedStore(paths.dir, env))
    return `not one of your stores (run \`sessions-db init --store ${paths.dir}\` to make it yours)`;
  try {
    const problems = findStoreSafetyProblems(paths);
    return problems.length === 0 ? null : problems.map((p) => `${p.path}: ${p.reason}`).join('; ');
  } catch (error) {
    return `cannot be checked: ${(error as Error).message}`;
  }
}
