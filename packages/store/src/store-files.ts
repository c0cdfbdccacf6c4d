import { accessSync, constants, lstatSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';

import { StoreError } from './errors.js';
import type { StorePaths } from './types.js';

/** File names inside a storage directory (the original's names plus our SQLite index). */
export const STORE_FILENAMES = Object.freeze({
  events: 'sessions-db-events.jsonl',
  index: 'sessions-db.sqlite',
  projection: 'sessions-db.json',
  lock: 'sessions-db.json.lock',
});

/**
 * Whether a store exists in `paths.dir` (its log or the original's `sessions-db.json` is there).
 * A missing directory (or parent) is simply no store yet; anything else that keeps us from
 * reading it is an error, so an unreadable store never looks empty.
 *
 * @throws StoreError `STORE_UNAVAILABLE` when the path is not a directory, or the directory or its
 *   files cannot be read (permissions, I/O).
 */
export function storeExists(
  paths: Pick<StorePaths, 'dir' | 'eventsPath' | 'projectionPath'>,
): boolean {
  const unavailable = (why: string, cause?: unknown): StoreError =>
    new StoreError('STORE_UNAVAILABLE', why, { cause });
  let dir: Stats;
  try {
    dir = statSync(paths.dir);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return false;
    if (code === 'ENOTDIR') throw unavailable(`a parent of ${paths.dir} is not a directory`, error);
    throw unavailable((error as Error).message, error);
  }
  if (!dir.isDirectory()) throw unavailable(`${paths.dir} is not a directory`);
  try {
    accessSync(paths.dir, constants.R_OK | constants.X_OK);
  } catch (error) {
    throw unavailable(
      `the directory ${paths.dir} cannot be read (${(error as { code?: string }).code ?? 'error'})`,
      error,
    );
  }
  let found = false;
  for (const file of [paths.eventsPath, paths.projectionPath]) {
    try {
      lstatSync(file);
      found = true;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT')
        throw unavailable(`${file} cannot be read (${(error as Error).message})`, error);
    }
  }
  return found;
}
