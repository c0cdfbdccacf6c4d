import { writeSync } from 'node:fs';
import { errorCode } from '@sessions-db/git-transcript';

/** How long to wait before writing again to a full non-blocking descriptor (ms). */
const RETRY_MS = 1;

/**
 * Write all of `text` (UTF-8) to descriptor `fd` with `fs.writeSync`, without the stream Node
 * creates for `process.stdout` / `process.stderr` (for a pipe that loads `net` and `stream`,
 * milliseconds of every start). A partial write goes on from where it stopped; a full
 * non-blocking pipe (`EAGAIN`) is written to again after a millisecond, `EINTR` at once. A reader
 * that went away (`EPIPE`) or a closed descriptor (`EBADF`) ends the write quietly, as Node's own
 * stdio streams drop output then (a closed descriptor is a black hole; `EPIPE` is ignored as the
 * CLI always has).
 *
 * @throws the write's error for anything else (`EIO`, `ENOSPC`…), as the stream's `error` would.
 */
export async function writeToFd(fd: number, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EPIPE' || code === 'EBADF') return;
      if (code === 'EINTR') continue;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
