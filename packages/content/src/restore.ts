import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { readArchived } from './archive.js';

/** What {@link restoreTranscript} did with one file. */
export type RestoreOutcome = 'written' | 'identical' | 'conflict';

/**
 * Writes the newest archived version of `key` to `target`, byte-identical. Never overwrites: an
 * existing identical file is `identical`, an existing different file is `conflict` and untouched.
 */
export function restoreTranscript(archiveDir: string, key: string, target: string): RestoreOutcome {
  const bytes = readArchived(archiveDir, key);
  try {
    return readFileSync(target).equals(bytes) ? 'identical' : 'conflict';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const tmp = `${target}.${String(process.pid)}.restore.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, target);
    return 'written';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(target).equals(bytes) ? 'identical' : 'conflict';
  } finally {
    unlinkSync(tmp);
  }
}
