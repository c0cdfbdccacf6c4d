import { isErrnoCode } from './errno.js';

/**
 * Whether a process with this id exists on this host: signal 0 reaches it, or it exists but
 * belongs to someone else (`EPERM`). Only "no such process" (`ESRCH`) counts as gone, so an
 * unexpected error never lets a caller take over a live process's lock or file.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isErrnoCode(error, 'ESRCH');
  }
}
