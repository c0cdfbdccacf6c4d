import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyProjection } from '@sessions-db/projection';
import { describe, expect, it } from 'vitest';

import { startProjectionWorker } from './projection-worker.js';
import { tempDir } from './test-support/temp-dir.js';

/** Hand `count` small sessions to a worker writing to `fd`; resolves with what it reports. */
async function writeSessions(fd: number, count: number): Promise<number> {
  const writer = startProjectionWorker(fd, '2026-12-05T00:00:00.000Z');
  try {
    writer.begin(emptyProjection()._meta);
    for (let i = 0; i < count; i += 1)
      writer.session(`sess_${i}`, JSON.stringify({ stable_id: `sess_${i}`, alias: `a${i}` }));
    writer.end();
    return await writer.finished();
  } finally {
    await writer.close();
  }
}

describe('the projection worker', () => {
  it('writes the whole document to the descriptor before it reports', async () => {
    const path = join(tempDir(), 'sessions-db.json');
    const fd = openSync(path, 'w');
    try {
      expect(await writeSessions(fd, 1000)).toBe(1000);
    } finally {
      closeSync(fd);
    }
    const written = JSON.parse(readFileSync(path, 'utf8')) as {
      _meta: { updated: string };
      sessions: Record<string, { alias: string }>;
    };
    expect(written._meta.updated).toBe('2026-12-05T00:00:00.000Z');
    expect(Object.keys(written.sessions)).toHaveLength(1000);
    expect(written.sessions['sess_999']?.alias).toBe('a999');
  });

  it('reports a failed write as the file-system error it was (code and syscall kept)', async () => {
    const path = join(tempDir(), 'sessions-db.json');
    writeFileSync(path, '');
    const fd = openSync(path, 'r'); // every write to it fails (EBADF)
    try {
      await expect(writeSessions(fd, 600)).rejects.toMatchObject({
        code: 'EBADF',
        syscall: 'write',
        message: expect.stringMatching(/^writing sessions-db\.json failed: /),
      });
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(path, 'utf8')).toBe('');
  });
});
