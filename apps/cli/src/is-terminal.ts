import { fstatSync } from 'node:fs';

/**
 * Whether descriptor `fd` is a terminal, as `tty.isatty(fd)` says, without loading `node:tty`
 * (which loads `net` and `stream`, milliseconds of every start) unless `fd` is a character device:
 * a pipe, socket or file is never a terminal. A closed descriptor is not one either.
 */
export function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}
