import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openContentIndex } from '@sessions-db/content';
import { IMPORT_CONTENT_BUSY_WARNING } from '../commands/import/import-command.js';
import { exampleStore } from '../test-support/harness.js';
import { exchangeRows } from '../test-support/transcript-rows.js';
import { INDEX_BUSY_WARNING, INDEX_CONVERTED_NOTICE } from './content-store.js';

interface Hit {
  readonly stable_id: string;
  readonly claude_session_id: string;
}

const setup = exampleStore;

/** A prompt and its answer, said in session `sessionId`. */
function said(sessionId: string, prompt: string): string {
  return exchangeRows({
    cwd: '/home/alex/code/acme-api',
    sessionId,
    uuids: ['00000071-3f0e-4e5e-9d0b-6c1f2a3b4c5d', '00000072-3f0e-4e5e-9d0b-6c1f2a3b4c5d'],
    prompt,
    minute: '2026-03-05T09:00',
  });
}

describe('a content index another process is converting', () => {
  /** Turn the store's content index into layout 2 and hold its write lock, as a converter does. */
  function converting(storeDir: string) {
    // as sessions-db left it before the session-level table (layout 2): opening it for writing
    // converts it under the write lock, which this connection holds until released
    const other = openContentIndex(join(storeDir, 'sessions-db-content.sqlite')).db;
    other.exec('DROP TABLE content_chunks; DROP TABLE content_chunk_files;');
    other.pragma('user_version = 2');
    other.exec('BEGIN IMMEDIATE');
    return () => {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    };
  }

  it('search reads it as it is, with a warning, and catches up once it is free', async () => {
    const { run, storeDir } = setup();
    expect((await run('import', '--quiet')).exitCode).toBe(0);
    const query = ['search', '"last_login_at column"', '--json'];
    const before = JSON.parse((await run(...query)).stdout) as Hit[];
    expect(before.length).toBeGreaterThan(0);
    const release = converting(storeDir);
    try {
      // in text (`--json` prints no warnings): every session found before, and the warning
      const busy = await run('search', '"last_login_at column"');
      expect(busy.exitCode, busy.stderr).toBe(0);
      expect(busy.stderr).toContain(INDEX_BUSY_WARNING);
      for (const hit of before) expect(busy.stdout).toContain(hit.stable_id.slice(0, 22));
    } finally {
      release();
    }
    const after = await run(...query);
    expect(after.stderr).not.toContain(INDEX_BUSY_WARNING);
    expect(JSON.parse(after.stdout)).toEqual(before);
  }, 30_000);

  it('import records the sessions and leaves their content for later, with a warning', async () => {
    const { run, storeDir, projects } = setup();
    expect((await run('import', '--quiet')).exitCode).toBe(0);
    const dir = join(projects, '-home-alex-code-acme-api');
    const later = '9d2f3c1e-7b4a-4c5d-8e6f-0a1b2c3d4e5f';
    writeFileSync(join(dir, `${later}.jsonl`), said(later, 'rotate the staging zebrafish keys'));
    const release = converting(storeDir);
    try {
      const busy = await run('import', '--quiet');
      expect(busy.exitCode, busy.stderr).toBe(0);
      expect(busy.stderr).toContain(IMPORT_CONTENT_BUSY_WARNING);
      expect((await run('show', later)).exitCode).toBe(0);
    } finally {
      release();
    }
    expect((await run('import', '--quiet')).exitCode).toBe(0);
    const hits = JSON.parse((await run('search', 'zebrafish', '--json')).stdout) as Hit[];
    expect(hits.map((h) => h.claude_session_id)).toEqual([later]);
  }, 30_000);

  it('usage reads it as it is, with a warning', async () => {
    const { run, storeDir } = setup();
    expect((await run('import', '--quiet')).exitCode).toBe(0);
    const before = await run('usage');
    expect(before.exitCode, before.stderr).toBe(0);
    const release = converting(storeDir);
    try {
      const busy = await run('usage');
      expect(busy.exitCode, busy.stderr).toBe(0);
      expect(busy.stderr).toContain(INDEX_BUSY_WARNING);
      expect(busy.stdout).toBe(before.stdout);
    } finally {
      release();
    }
  }, 30_000);

  it('search says once that it converted the index from layout 2', async () => {
    const { run, storeDir } = setup();
    expect((await run('import', '--quiet')).exitCode).toBe(0);
    const query = ['search', '"last_login_at column"'];
    const before = await run(...query);
    expect(before.stderr).not.toContain(INDEX_CONVERTED_NOTICE);
    converting(storeDir)();
    const converted = await run(...query);
    expect(converted.exitCode, converted.stderr).toBe(0);
    expect(converted.stderr).toContain(INDEX_CONVERTED_NOTICE);
    expect(converted.stdout).toBe(before.stdout);
    const again = await run(...query);
    expect(again.stderr).not.toContain(INDEX_CONVERTED_NOTICE);
  }, 30_000);
});
