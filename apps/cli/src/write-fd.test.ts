import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeToFd } from './write-fd.js';

let dir: string;
let opened: number[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sdb-write-fd-'));
  opened = [];
});
afterEach(() => {
  for (const fd of opened) {
    try {
      closeSync(fd);
    } catch {
      // already closed by the test
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A named pipe, both ends opened without blocking (a full pipe makes writes fail with EAGAIN). */
function fifo(name = 'fifo'): { reader: number; writer: number } {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  opened.push(reader, writer);
  return { reader, writer };
}

/** Everything `reader` yields until end of file, read as the writer makes room. */
async function drain(reader: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(16 * 1024);
  for (;;) {
    let read: number;
    try {
      read = readSync(reader, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    if (read === 0) return Buffer.concat(chunks);
    chunks.push(Buffer.from(buffer.subarray(0, read)));
  }
}

describe.skipIf(process.platform === 'win32')('writeToFd', () => {
  it('writes text larger than the pipe holds through partial writes and EAGAIN, every byte in order', async () => {
    const { reader, writer } = fifo();
    // ~1 MiB of multi-byte text: a non-blocking pipe takes 64 KiB at a time, and a chunk boundary
    // falls inside characters.
    const text = Array.from(
      { length: 40_000 },
      (_, i) => `${i} größe 🎉 ${'x'.repeat(i % 7)}\n`,
    ).join('');
    const reading = drain(reader);
    await writeToFd(writer, text);
    closeSync(writer);
    expect((await reading).toString('utf8')).toBe(text);
  });

  it('stops quietly when the reader went away (EPIPE) or the descriptor is closed (EBADF)', async () => {
    const { reader, writer } = fifo();
    closeSync(reader);
    await expect(writeToFd(writer, 'nobody reads this\n')).resolves.toBeUndefined();
    closeSync(writer);
    await expect(writeToFd(writer, 'closed\n')).resolves.toBeUndefined();
  });

  it.skipIf(!existsSync('/dev/full'))('throws any other error of the write', async () => {
    // /dev/full fails every write with ENOSPC.
    const full = openSync('/dev/full', 'w');
    opened.push(full);
    await expect(writeToFd(full, 'x')).rejects.toMatchObject({ code: 'ENOSPC' });
  });

  it('writes nothing for empty text', async () => {
    const { reader, writer } = fifo();
    await writeToFd(writer, '');
    closeSync(writer);
    expect((await drain(reader)).length).toBe(0);
  });
});
