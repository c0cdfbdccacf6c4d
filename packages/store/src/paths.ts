import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import envPaths from 'env-paths';

import type { ResolveStoreOptions, StorePaths, StoreSource } from './types.js';
import { isNonEmptyString } from './values.js';

/** File names inside a storage directory (the original's names plus our SQLite index). */
export const STORE_FILENAMES = Object.freeze({
  events: 'sessions-db-events.jsonl',
  index: 'sessions-db.sqlite',
  projection: 'sessions-db.json',
  lock: 'sessions-db.json.lock',
});

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
 * store (holding the events log or the projection; at one level `tickets/_logs` wins) → the
 * per-user data directory. Never throws and creates nothing.
 */
export function resolveStore(options: ResolveStoreOptions = {}): StorePaths {
  const env = options.env ?? process.env;
  if (isNonEmptyString(options.store)) return storePathsIn(options.store, 'arg');
  if (isNonEmptyString(options.root))
    return storePathsIn(join(resolve(options.root), LEGACY_STORE_SUBDIR), 'root');
  const fromEnv = env['SESSIONS_DB_ROOT'];
  if (isNonEmptyString(fromEnv)) return storePathsIn(fromEnv, 'env');
  const fromCompat = env['DRUUMEN_SESSIONS_DB_ROOT'];
  if (isNonEmptyString(fromCompat)) return storePathsIn(fromCompat, 'env-compat');

  let dir = resolve(isNonEmptyString(options.cwd) ? options.cwd : process.cwd());
  for (let level = 0; level < MAX_ASCEND_DEPTH; level += 1) {
    const legacy = join(dir, LEGACY_STORE_SUBDIR);
    if (holdsStore(legacy)) return storePathsIn(legacy, 'tickets-logs');
    const druCode = join(dir, DRU_CODE_SUBDIR);
    if (holdsStore(druCode)) return storePathsIn(druCode, 'dru-code');
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return storePathsIn(defaultStoreDir(env), 'default');
}
