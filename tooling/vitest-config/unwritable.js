// Test helpers that make a store's files unwritable for real (read-only bind mounts, a tiny tmpfs),
// also when the tests run as root, where file modes do not stop writes.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';

function tryRun(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function makeReadOnly(path) {
  if (process.getuid?.() !== 0) {
    chmodSync(path, 0o444);
    return () => chmodSync(path, 0o600);
  }
  if (!tryRun('mount', ['--bind', path, path])) return null;
  if (!tryRun('mount', ['-o', 'remount,bind,ro', path])) {
    tryRun('umount', [path]);
    return null;
  }
  return () => {
    tryRun('umount', [path]);
  };
}

export function mountSmallDisk(dir, bytes) {
  if (process.getuid?.() !== 0) return null;
  mkdirSync(dir, { recursive: true });
  if (!tryRun('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir])) return null;
  return () => {
    tryRun('umount', [dir]);
  };
}
