import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AtomicWriteError,
  writeFileAtomic,
  writeFileAtomicStream,
  writeFileAtomicSync,
} from './index.js';
import { useTempDirs } from './test-support/temp-dir.js';

const tempDir = useTempDirs();

const variants = [
  ['writeFileAtomic', writeFileAtomic],
  [
    'writeFileAtomicSync',
    (...args: Parameters<typeof writeFileAtomicSync>) =>
      Promise.resolve().then(() => writeFileAtomicSync(...args)),
  ],
  [
    'writeFileAtomicStream',
    (...[path, data, options]: Parameters<typeof writeFileAtomicSync>) =>
      writeFileAtomicStream(path, (write) => write(data), options),
  ],
] as const;

describe('writeFileAtomicStream', () => {
  it('writes the chunks in order and returns what the producer returns', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.json');
    const count = await writeFileAtomicStream(path, async (write) => {
      write('{');
      await Promise.resolve();
      write(new TextEncoder().encode('"n":2'));
      write('}');
      return 2;
    });
    expect(count).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe('{"n":2}');
    expect(readdirSync(dir)).toEqual(['export.json']);
  });

  it("rethrows the producer's own error unchanged, keeps the target and removes the temp file", async () => {
    const dir = tempDir();
    const path = join(dir, 'export.json');
    writeFileSync(path, 'old');
    const failure = new Error('the index went away');
    await expect(
      writeFileAtomicStream(path, (write) => {
        write('partial');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['export.json']);
  });
});

describe.each(variants)('%s', (_name, write) => {
  it('creates the file with mode 0600 and leaves no temp file', async () => {
    const dir = tempDir();
    const path = join(dir, 'sessions-db.json');
    await write(path, '{"a":1}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['sessions-db.json']);
  });

  it('replaces existing content and honours a mode', async () => {
    const dir = tempDir();
    const path = join(dir, 'out.bin');
    writeFileSync(path, 'old content that is longer');
    await write(path, new Uint8Array([1, 2, 3]), { mode: 0o640 });
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('wraps a failure with its cause, keeps the target and removes the temp file', async () => {
    const dir = tempDir();
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'child'), { recursive: true });
    const error: unknown = await write(target, 'x').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AtomicWriteError);
    expect(error).toMatchObject({ code: 'ATOMIC_WRITE_FAILED', path: target });
    expect((error as AtomicWriteError).cause).toBeInstanceOf(Error);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readdirSync(target)).toEqual(['child']);

    const missing = join(dir, 'no-such-dir', 'file');
    await expect(write(missing, 'x')).rejects.toMatchObject({
      code: 'ATOMIC_WRITE_FAILED',
      cause: { code: 'ENOENT' },
    });
  });
});

describe('temp files of killed writers', () => {
  it.each(variants)(
    '%s removes the temp files of dead writers of the same target, and nothing else',
    async (_name, write) => {
      const dir = tempDir();
      const target = join(dir, 'sessions-db.json');
      // A process that has exited: its pid names no process any more.
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      if (dead === undefined) throw new Error('could not start a process');
      const left = [
        `sessions-db.json.tmp.${dead}.a1b2c3d4e5f6`, // a killed writer's: removed
        `sessions-db.json.tmp.${process.ppid}.a1b2c3d4e5f6`, // a live writer's: kept
        'sessions-db.json.tmp.notes', // not the temp shape: kept
        `other.json.tmp.${dead}.a1b2c3d4e5f6`, // another target's: kept
      ];
      for (const name of left) writeFileSync(join(dir, name), 'partial');
      await write(target, '{}');
      expect(readdirSync(dir).sort()).toEqual(['sessions-db.json', ...left.slice(1)].sort());
    },
  );
});
