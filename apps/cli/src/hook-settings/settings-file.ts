import { constants, copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Result of {@link readSettingsFile}. */
export type SettingsFileContent =
  | { readonly kind: 'missing' }
  | { readonly kind: 'present'; readonly text: string; readonly mode: number };

/**
 * The text of a settings file, or `missing`.
 *
 * @throws the file system error when it exists but cannot be read.
 */
export function readSettingsFile(path: string): SettingsFileContent {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  return { kind: 'present', text, mode: statSync(path).mode & 0o777 };
}

/** A backup name beside `path`: `<path>.bak-<UTC time without separators>`. */
export function backupPathFor(path: string, now: number): string {
  return `${path}.bak-${new Date(now).toISOString().replace(/[-:.]/g, '')}`;
}

/**
 * Copy `path` to a new backup file beside it ({@link backupPathFor}, with `-1`, `-2`… appended
 * when that name is taken; an existing file is never overwritten) and return the backup's path.
 *
 * @throws the file system error.
 */
export function writeBackup(path: string, now: number): string {
  const base = backupPathFor(path, now);
  for (let n = 0; ; n += 1) {
    const candidate = n === 0 ? base : `${base}-${n}`;
    try {
      copyFileSync(path, candidate, constants.COPYFILE_EXCL);
      return candidate;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST' || n >= 100) throw error;
    }
  }
}

/**
 * Replace `path` with `text` atomically (event-log's `writeFileAtomic`: temp file, fsync, rename
 * in the same directory, loaded only when a settings file is written), creating missing parent
 * directories `0700`; the file keeps `mode` (new files `0600`).
 *
 * @throws the file system error (the temp file is removed).
 */
export async function writeSettingsFile(path: string, text: string, mode = 0o600): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const { AtomicWriteError, writeFileAtomic } = await import('@sessions-db/event-log');
  try {
    await writeFileAtomic(path, text, { mode });
  } catch (error) {
    throw error instanceof AtomicWriteError ? error.cause : error;
  }
}
