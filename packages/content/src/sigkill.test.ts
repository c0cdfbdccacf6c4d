import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveKey, listArchive, readArchived } from './archive.js';
import { openContentIndex } from './content-index.js';
import { searchContent } from './search-content.js';
import { makeTempDir } from './test-support/temp-dir.js';
import { jsonl, userLine } from './test-support/transcript.js';
import { updateContent, updateContentInBulk } from './update-content.js';

const CHILD = new URL('./test-support/index-child.ts', import.meta.url).pathname;

/** Starts the child in `mode` and SIGKILLs it once it has done its first pass. */
async function killWhileWorking(
  mode: 'reindex' | 'grow' | 'unrenamed' | 'batches' | 'merging',
  args: readonly string[],
): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--conditions=@sessions-db/source', '--import', 'tsx', CHILD, mode, ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let seen = '';
  const closed = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_c, s) => resolve(s)),
  );
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      // kill it once it is working (its next pass may be anywhere)
      if (seen.includes('ready')) resolve();
    });
  });
  child.kill('SIGKILL');
  expect(await closed).toBe('SIGKILL');
}

/** The transcripts at `paths` as the store names them: session `ses_<i>`, Claude id `c<i>`. */
function transcriptsOf(paths: readonly string[]) {
  return paths.map((path, i) => ({
    path,
    claudeSessionId: `c${String(i)}`,
    stableId: `ses_${String(i)}`,
  }));
}

describe('a SIGKILL during indexing', () => {
  it('leaves the archive and the index usable, and the next run completes them', async () => {
    const dir = makeTempDir();
    const archiveDir = join(dir, 'archive');
    const dbPath = join(dir, 'content.db');
    const paths = [0, 1, 2, 3].map((n) => {
      const path = join(dir, `t${String(n)}.jsonl`);
      const lines = Array.from({ length: 4000 }, (_, i) =>
        userLine(`c${String(n)}`, `transcript ${String(n)} line ${String(i)} needle${String(n)}`),
      );
      writeFileSync(path, jsonl(lines));
      return path;
    });
    await killWhileWorking('reindex', [archiveDir, dbPath, ...paths]);

    const index = openContentIndex(dbPath);
    const result = updateContent(transcriptsOf(paths), { archiveDir, index });
    expect(result.skippedLocked).toBe(0);
    for (const [i, path] of paths.entries()) {
      expect(readArchived(archiveDir, archiveKey(path)).equals(readFileSync(path))).toBe(true);
      const hits = searchContent(index, `needle${String(i)}`);
      expect(hits).toHaveLength(1);
      expect(hits[0]?.more_matches).toBe(3999);
    }
    expect(index.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('between writing a new transcript and renaming its directory into place, leaves nothing taken for data; the next run archives it', async () => {
    const dir = makeTempDir();
    const archiveDir = join(dir, 'archive');
    const dbPath = join(dir, 'content.db');
    const paths = [0, 1, 2].map((n) => {
      const path = join(dir, `t${String(n)}.jsonl`);
      writeFileSync(path, jsonl([userLine(`c${String(n)}`, `new transcript needle${String(n)}`)]));
      return path;
    });
    await killWhileWorking('unrenamed', [archiveDir, dbPath, ...paths]);
    // the written directories are there, under temporary names only
    expect(readdirSync(archiveDir).filter((name) => name.startsWith('.new-'))).toHaveLength(3);
    expect(listArchive(archiveDir)).toEqual([]);

    const index = openContentIndex(dbPath);
    expect(searchContent(index, 'needle0')).toEqual([]);
    const result = await updateContentInBulk(transcriptsOf(paths), { archiveDir, index });
    expect(result.skippedLocked).toBe(0);
    expect(readdirSync(archiveDir).sort()).toEqual(paths.map((path) => archiveKey(path)).sort());
    for (const [i, path] of paths.entries()) {
      expect(readArchived(archiveDir, archiveKey(path)).equals(readFileSync(path))).toBe(true);
      expect(searchContent(index, `needle${String(i)}`)).toHaveLength(1);
    }
  });

  it.each([
    ['', 'grow', 4],
    [' over two batches (the WAL checkpointed by a worker thread)', 'batches', 300],
    [' while merging the FTS5 segments after a large import', 'merging', 300],
  ] as const)(
    'in bulk while transcripts grow%s, leaves the archive and the index usable, and the next run completes them',
    async (_, mode, count) => {
      const dir = makeTempDir();
      const archiveDir = join(dir, 'archive');
      const dbPath = join(dir, 'content.db');
      const paths = Array.from({ length: count }, (_, n) => join(dir, `t${String(n)}.jsonl`));
      for (const path of paths) writeFileSync(path, '');
      await killWhileWorking(mode, [archiveDir, dbPath, ...paths]);

      const index = openContentIndex(dbPath);
      const result = await updateContentInBulk(transcriptsOf(paths), { archiveDir, index });
      expect(result.skippedLocked).toBe(0);
      for (const [i, path] of paths.entries()) {
        const bytes = readFileSync(path);
        expect(readArchived(archiveDir, archiveKey(path)).equals(bytes)).toBe(true);
        // every complete line once (the kill may have cut the last append)
        const lines = bytes.toString('utf8').split('\n').length - 1;
        const hits = searchContent(index, `needle${String(i)}`);
        expect(hits).toHaveLength(1);
        expect(hits[0]?.more_matches).toBe(lines - 1);
      }
      expect(index.db.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const table of ['content_text', 'content_chunks'])
        index.db.exec(`INSERT INTO ${table} (${table}) VALUES ('integrity-check')`);
    },
  );
});
