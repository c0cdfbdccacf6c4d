import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/** A held per-transcript lock; release it exactly once. */
export interface FileLock {
  release(): void;
}

/** Whether process `pid` is running (one that exists but is not ours to signal counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock file at `lockPath` (O_EXCL, holding our pid) so two indexers never work on one
 * transcript. Returns undefined when a live process holds it; a lock left by a dead process
 * (SIGKILL) is taken over.
 */
export function tryLock(lockPath: string): FileLock | undefined {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(lockPath);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = Number.NaN;
      try {
        holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      } catch {
        // vanished or unreadable: retry
      }
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) return undefined;
      try {
        unlinkSync(lockPath);
      } catch {
        // someone else took it over
      }
    }
  }
  return undefined;
}
