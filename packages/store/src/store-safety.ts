import { lstatSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';

import { StoreError } from './errors.js';
import { STORE_FILENAMES } from './store-files.js';
import type { StorePaths } from './types.js';

/** Why a store directory or file may not be used. */
export interface StoreSafetyProblem {
  readonly path: string;
  readonly reason: string;
}

/** Files of a store that must never be symlinks or someone else's (SQLite's side files included). */
const GUARDED_FILES = [
  STORE_FILENAMES.events,
  STORE_FILENAMES.index,
  `${STORE_FILENAMES.index}-wal`,
  `${STORE_FILENAMES.index}-shm`,
  `${STORE_FILENAMES.index}-journal`,
  STORE_FILENAMES.projection,
] as const;

const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function ownerProblem(stats: Stats): string | undefined {
  if (uid !== undefined && stats.uid !== uid)
    return `it belongs to uid ${stats.uid}, not to you (uid ${uid})`;
  return undefined;
}

/**
 * What makes the store in `paths.dir` unsafe to open, if anything: the directory must be a
 * directory of this user that no one else can write to (a symlinked directory is accepted only
 * when the user named it: `--store`, `--root` or an environment variable), and each store file
 * that exists (the log, the index and SQLite's side files, the projection) must be a regular file
 * of this user, never a symlink: a store must not be able to redirect a write to a file elsewhere.
 * A missing directory is safe (it is created `0700`).
 */
export function findStoreSafetyProblems(paths: StorePaths): StoreSafetyProblem[] {
  const problems: StoreSafetyProblem[] = [];
  const link = lstatIfExists(paths.dir);
  if (link === undefined) return problems;
  const named = paths.source === 'arg' || paths.source === 'root' || paths.source.startsWith('env');
  if (link.isSymbolicLink() && !named) {
    problems.push({ path: paths.dir, reason: 'the store directory is a symlink' });
    return problems;
  }
  const dir = link.isSymbolicLink() ? statSync(paths.dir) : link;
  if (!dir.isDirectory()) {
    problems.push({ path: paths.dir, reason: 'it is not a directory' });
    return problems;
  }
  const dirOwner = ownerProblem(dir);
  if (dirOwner !== undefined) problems.push({ path: paths.dir, reason: dirOwner });
  if ((dir.mode & 0o022) !== 0)
    problems.push({
      path: paths.dir,
      reason: `others can write to it (mode ${(dir.mode & 0o777).toString(8)}; chmod 700 it)`,
    });
  for (const name of GUARDED_FILES) {
    const path = join(paths.dir, name);
    const stats = lstatIfExists(path);
    if (stats === undefined) continue;
    if (stats.isSymbolicLink()) problems.push({ path, reason: 'it is a symlink' });
    else if (!stats.isFile()) problems.push({ path, reason: 'it is not a regular file' });
    else {
      const owner = ownerProblem(stats);
      if (owner !== undefined) problems.push({ path, reason: owner });
    }
  }
  return problems;
}

/**
 * Refuse a store that {@link findStoreSafetyProblems} finds unsafe.
 * @throws StoreError `STORE_UNSAFE` naming each problem; nothing was opened or written.
 */
export function assertStoreSafe(paths: StorePaths): void {
  const problems = findStoreSafetyProblems(paths);
  if (problems.length === 0) return;
  const list = problems.map((p) => `${p.path}: ${p.reason}`).join('; ');
  throw new StoreError(
    'STORE_UNSAFE',
    `refusing to use the store in ${paths.dir}: ${list}. Nothing was read or written there.`,
    { details: problems },
  );
}
