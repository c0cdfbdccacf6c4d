import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockTimeoutError } from './index.js';
import { spawnTsx, waitForExit, waitForLine } from './test-support/spawn-tsx.js';
import { useTempDirs } from './test-support/temp-dir.js';

const tempDir = useTempDirs();

const lockPathIn = (dir: string): string => join(dir, 'sessions-db.json.lock');

async function timeoutOf(promise: Promise<unknown>): Promise<LockTimeoutError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LockTimeoutError) return error;
    throw error;
  }
  throw new Error('expected a LockTimeoutError');
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  if (pid === undefined) throw new Error('could not spawn node');
  return pid;
}

describe('acquireLock', () => {
  it('creates the lockfile (0600) with pid, host, time and nonce, and release removes it', async () => {
    const path = lockPathIn(tempDir());
    const lock = await acquireLock(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const fields = readFileSync(path, 'utf8').replace(/\n$/, '').split('\t');
    expect(fields).toHaveLength(4);
    expect(fields[0]).toBe(String(process.pid));
    expect(fields[1]).toBe(hostname());
    expect(Date.now() - Date.parse(fields[2]!)).toBeLessThan(60_000);
    expect(fields[3]).toMatch(/^[0-9a-f]{16}$/);
    lock.release();
    expect(existsSync(path)).toBe(false);
    lock.release();
  });

  it('makes a second acquirer wait until the first releases', async () => {
    const path = lockPathIn(tempDir());
    const first = await acquireLock(path);
    let acquired = false;
    const second = acquireLock(path, { retryMs: 10 }).then((lock) => {
      acquired = true;
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(acquired).toBe(false);
    first.release();
    const lock = await second;
    expect(acquired).toBe(true);
    expect(readFileSync(path, 'utf8').startsWith(`${process.pid}\t`)).toBe(true);
    lock.release();
  });

  it('times out with LOCK_TIMEOUT while a live owner holds the lock', async () => {
    const path = lockPathIn(tempDir());
    const held = await acquireLock(path);
    const error = await timeoutOf(acquireLock(path, { timeoutMs: 120, retryMs: 20 }));
    expect(error.code).toBe('LOCK_TIMEOUT');
    expect(error.message).toBe(`acquireLock: timeout after 120ms (path=${path})`);
    const single = await timeoutOf(acquireLock(path, { timeoutMs: 0 }));
    expect(single.code).toBe('LOCK_TIMEOUT');
    held.release();
  });

  it('never takes over a fresh lock of a live process', async () => {
    const dir = tempDir();
    const path = lockPathIn(dir);
    const content = `${process.pid}\t${hostname()}\t${new Date().toISOString()}\tfeedfacefeedface\n`;
    writeFileSync(path, content);
    await timeoutOf(acquireLock(path, { timeoutMs: 150, retryMs: 20 }));
    expect(readFileSync(path, 'utf8')).toBe(content);

    const holder = spawnTsx('lock-worker.ts', [join(dir, 'child.lock'), 'hold']);
    try {
      await waitForLine(holder, (line) => line === 'locked');
      await timeoutOf(acquireLock(join(dir, 'child.lock'), { timeoutMs: 150, retryMs: 20 }));
      expect(readFileSync(join(dir, 'child.lock'), 'utf8').startsWith(`${holder.pid}\t`)).toBe(
        true,
      );
    } finally {
      holder.kill('SIGKILL');
      await waitForExit(holder);
    }
  });

  it('takes over the lock of a process that was killed', async () => {
    const dir = tempDir();
    const path = lockPathIn(dir);
    const holder = spawnTsx('lock-worker.ts', [path, 'hold']);
    await waitForLine(holder, (line) => line === 'locked');
    holder.kill('SIGKILL');
    await waitForExit(holder);
    expect(readFileSync(path, 'utf8').startsWith(`${holder.pid}\t`)).toBe(true);
    const lock = await acquireLock(path, { timeoutMs: 2000 });
    expect(readFileSync(path, 'utf8').startsWith(`${process.pid}\t`)).toBe(true);
    // The stale file was moved aside and removed, not left behind.
    expect(readdirSync(dir)).toEqual(['sessions-db.json.lock']);
    lock.release();
  });

  it("takes over a dead process's lock written in the original tool's format", async () => {
    const path = lockPathIn(tempDir());
    writeFileSync(path, `${deadPid()}\t${new Date().toISOString()}\n`);
    const lock = await acquireLock(path, { timeoutMs: 1000 });
    expect(readFileSync(path, 'utf8').startsWith(`${process.pid}\t`)).toBe(true);
    lock.release();
  });

  it('takes over a lock older than staleMs even if its owner is alive', async () => {
    const path = lockPathIn(tempDir());
    const old = new Date(Date.now() - 60_000).toISOString();
    writeFileSync(path, `${process.pid}\t${hostname()}\t${old}\tfeedfacefeedface\n`);
    await timeoutOf(acquireLock(path, { timeoutMs: 100, staleMs: 120_000 }));
    const lock = await acquireLock(path, { timeoutMs: 1000, staleMs: 30_000 });
    expect(readFileSync(path, 'utf8')).not.toContain(old);
    lock.release();
  });

  it('does not judge a dead pid on another host by liveness', async () => {
    const path = lockPathIn(tempDir());
    const content = `${deadPid()}\tsome-other-host\t${new Date().toISOString()}\tfeedfacefeedface\n`;
    writeFileSync(path, content);
    await timeoutOf(acquireLock(path, { timeoutMs: 100, retryMs: 20 }));
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('release does not remove a lock someone else now owns', async () => {
    const path = lockPathIn(tempDir());
    const lock = await acquireLock(path);
    const other = `999999\t${hostname()}\t${new Date().toISOString()}\tabcdefabcdefabcd\n`;
    writeFileSync(path, other);
    lock.release();
    expect(readFileSync(path, 'utf8')).toBe(other);
  });

  it('removes the lock when the holding process exits without releasing', async () => {
    const path = lockPathIn(tempDir());
    const child = spawnTsx('lock-worker.ts', [path, 'exit']);
    await waitForLine(child, (line) => line === 'locked');
    expect((await waitForExit(child)).code).toBe(0);
    expect(existsSync(path)).toBe(false);
  });

  it('rethrows errors other than EEXIST', async () => {
    await expect(acquireLock(join(tempDir(), 'missing', 'x.lock'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
