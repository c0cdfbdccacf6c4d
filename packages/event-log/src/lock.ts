/**
 * An exclusive-create lockfile with stale-lock recovery (the original's lockfile, docs/storage.md, made safe): a lock whose
 * owner is dead or which is older than `staleMs` is taken over atomically; a live lock never is;
 * locks still held at process exit are removed.
 */
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isErrnoCode } from './errno.js';
import { isProcessAlive } from './process-alive.js';
import { LockTimeoutError } from './errors.js';
import { parseLockContent, renderLockContent } from './lock-file.js';
import { randomHex } from './random.js';

/** Options of {@link acquireLock}. */
export interface AcquireLockOptions {
  /** Give up after this long. Default 5000; 0 means a single attempt. */
  readonly timeoutMs?: number;
  /** Wait between attempts. Default 50. */
  readonly retryMs?: number;
  /** A lock older than this is stale even if its owner looks alive. Default 30 000. */
  readonly staleMs?: number;
}

/** A held lock. */
export interface LockHandle {
  /** Remove the lockfile if it is still ours. Idempotent; never throws. */
  release(): void;
}

interface HeldLock {
  readonly path: string;
  readonly content: string;
}

const heldLocks = new Set<HeldLock>();
let exitHandlerInstalled = false;

/**
 * Take the lock at `path` by creating it exclusively (mode 0600; the directory must exist). While
 * another owner holds it, retry every `retryMs`; a lock whose owner process is gone (same host) or
 * that is older than `staleMs` is moved aside, verified to be the one judged stale, and removed.
 * @throws {LockTimeoutError} (`LOCK_TIMEOUT`) when the lock stayed held for `timeoutMs`.
 * @throws a file-system error other than `EEXIST` (for example a missing directory).
 */
export async function acquireLock(
  path: string,
  options: AcquireLockOptions = {},
): Promise<LockHandle> {
  const { timeoutMs = 5000, retryMs = 50, staleMs = 30_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const held = tryCreate(path);
    if (held) return hold(held);
    if (removeStaleLock(path, staleMs)) {
      const retaken = tryCreate(path);
      if (retaken) return hold(retaken);
    }
    if (Date.now() >= deadline) throw new LockTimeoutError(path, timeoutMs);
    await sleep(retryMs);
  }
}

function tryCreate(path: string): HeldLock | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if (isErrnoCode(error, 'EEXIST')) return undefined;
    throw error;
  }
  const content = renderLockContent(process.pid, hostname(), new Date(), randomHex(8));
  try {
    writeSync(fd, content);
  } catch (error) {
    // A lock without our content could never be released by us: give it up.
    closeSync(fd);
    unlinkSync(path);
    throw error;
  }
  closeSync(fd);
  return { path, content };
}

function hold(lock: HeldLock): LockHandle {
  heldLocks.add(lock);
  installExitHandler();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      heldLocks.delete(lock);
      try {
        removeLockIf(lock.path, (content) => content === lock.content);
      } catch {
        // Releasing is best effort: a lock we cannot remove is recovered as stale.
      }
    },
  };
}

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', () => {
    for (const lock of heldLocks) {
      try {
        removeLockIf(lock.path, (content) => content === lock.content);
      } catch {
        // Nothing can be reported while the process exits.
      }
    }
    heldLocks.clear();
  });
}

/** Whether the lock at `path` was stale and is now gone (or vanished by itself). */
function removeStaleLock(path: string, staleMs: number): boolean {
  return removeLockIf(path, (content, mtimeMs) => isStale(content, mtimeMs, staleMs));
}

function isStale(content: string, mtimeMs: number, staleMs: number): boolean {
  const owner = parseLockContent(content);
  const takenAt = owner.createdMs ?? mtimeMs;
  if (Date.now() - takenAt > staleMs) return true;
  const sameHost = owner.host === undefined || owner.host === hostname();
  return owner.pid !== undefined && sameHost && !isProcessAlive(owner.pid);
}

/**
 * Remove the lockfile at `path` if `shouldRemove` approves its content, without ever removing a
 * lock someone created in the meantime: move it aside under a unique name, check that the moved
 * file is the one that was judged (same inode, mtime and content), then unlink it; otherwise put
 * it back. Returns true when the path no longer holds the judged lock.
 */
function removeLockIf(
  path: string,
  shouldRemove: (content: string, mtimeMs: number) => boolean,
): boolean {
  const seen = readLock(path);
  if (!seen) return true;
  if (!shouldRemove(seen.content, seen.mtimeMs)) return false;
  const aside = `${path}.stale.${process.pid}.${randomHex(6)}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return true;
    throw error;
  }
  const moved = readLock(aside);
  const same =
    moved !== undefined &&
    moved.ino === seen.ino &&
    moved.mtimeMs === seen.mtimeMs &&
    moved.content === seen.content;
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // A newer lock already took the path; the one we moved had lost it anyway.
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // Already gone.
  }
  return same;
}

function readLock(path: string): { content: string; mtimeMs: number; ino: number } | undefined {
  try {
    const { mtimeMs, ino } = statSync(path);
    return { content: readFileSync(path, 'utf8'), mtimeMs, ino };
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}
