import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp-dir.js';
import { PARALLEL_SCAN_FROM } from './read-metas.js';
import { KEYS_POSTED } from './scan-jobs.js';

/** The built store (tests run after the build): its sources have no scan worker beside them. */
const BUILT_INDEX = new URL('../../dist/index.js', import.meta.url);
const BUILT_SCAN_THREAD = new URL('../../dist/import/scan-thread.js', import.meta.url);
const BUILT_WORKER = fileURLToPath(new URL('../../dist/import/scan-worker.js', import.meta.url));

const TRANSCRIPTS = PARALLEL_SCAN_FROM + 8;

/** A Claude projects directory of {@link TRANSCRIPTS} transcripts (and one empty file). */
function writeHistory(): string {
  const from = join(tempDir(), 'projects');
  const dir = join(from, '-home-dev-api');
  mkdirSync(dir, { recursive: true });
  for (let n = 0; n < TRANSCRIPTS; n += 1) {
    const sessionId = `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
    const lines = Array.from({ length: 3 + (n % 5) }, (_, i) =>
      JSON.stringify({
        type: i % 2 === 0 ? 'user' : 'assistant',
        uuid: `u-${String(n)}-${String(i)}`,
        parentUuid: i === 0 ? null : `u-${String(n)}-${String(i - 1)}`,
        sessionId,
        // Not in file order: the import orders by these.
        timestamp: new Date(Date.UTC(2026, 0, 1, (n * 7) % TRANSCRIPTS, i)).toISOString(),
        cwd: '/home/dev/api',
        message: { role: i % 2 === 0 ? 'user' : 'assistant', content: `message ${String(n)}` },
      }),
    );
    writeFileSync(join(dir, `${sessionId}.jsonl`), `${lines.join('\n')}\n`);
  }
  writeFileSync(join(dir, '99999999-0000-4000-8000-000000000000.jsonl'), '');
  return from;
}

/**
 * In a plain node process on the built store (where the worker really runs): start the scan
 * thread ahead when `ahead`, then `startImportScan('claude', from)`, and wait (10 s at most, this
 * thread reading nothing) for the worker to post the first timestamps; then import with that
 * worker and without one. Returns the worker's thread id, the keys it posted and both summaries.
 */
function runBuilt(
  from: string,
  ahead: boolean,
  nodeOptions: readonly string[] = [],
): Record<string, unknown> {
  const script = `
    import { startScanThreadAhead } from ${JSON.stringify(BUILT_SCAN_THREAD.href)};
    import { importHistory, openStore, startImportScan, storePathsIn } from ${JSON.stringify(BUILT_INDEX.href)};
    const from = ${JSON.stringify(from)};
    if (${String(ahead)}) startScanThreadAhead('claude', ${JSON.stringify(BUILT_WORKER)});
    const scan = startImportScan('claude', from);
    const { control } = scan;
    for (const until = performance.now() + 10000; performance.now() < until; ) {
      const posted = Atomics.load(control, ${String(KEYS_POSTED)});
      if (posted >= ${String(TRANSCRIPTS)}) break;
      Atomics.wait(control, ${String(KEYS_POSTED)}, posted, 100);
    }
    const keysPosted = Atomics.load(control, ${String(KEYS_POSTED)});
    const run = async (name, scanWorker) => {
      const store = openStore(storePathsIn(${JSON.stringify(tempDir())} + '/' + name, 'arg'));
      const summary = await importHistory(store, {
        from, dryRun: false, storePreview: true, now: () => Date.parse('2026-06-01T00:00:00Z'), scanWorker,
      });
      store.close();
      // Minted ids differ from store to store.
      return JSON.parse(JSON.stringify(summary).replace(/"stable_id":"[^"]*"/g, '"stable_id":"-"'));
    };
    const withScan = await run('with', scan);
    const without = await run('without', null);
    process.stdout.write(JSON.stringify({ threadId: scan.worker.threadId, keysPosted, withScan, without }));
  `;
  const scriptFile = join(tempDir(), 'start-import-scan.mjs');
  writeFileSync(scriptFile, script);
  const stdout = execFileSync(process.execPath, [...nodeOptions, scriptFile], {
    env: { ...process.env, NODE_OPTIONS: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('startImportScan', () => {
  it('lists the history and has the worker read its first timestamps before the import, same import', () => {
    const got = runBuilt(writeHistory(), false);
    // Every non-empty transcript's first timestamp, read on the worker alone.
    expect(got['keysPosted']).toBe(TRANSCRIPTS);
    expect(got['withScan']).toEqual(got['without']);
    expect(got['without']).toMatchObject({ counts: { sessions_new: TRANSCRIPTS } });
  });

  it('takes over the scan thread started ahead (by the executable)', () => {
    const got = runBuilt(writeHistory(), true);
    // The process's first worker thread: no second one was started.
    expect(got['threadId']).toBe(1);
    expect(got['keysPosted']).toBe(TRANSCRIPTS);
    expect(got['withScan']).toEqual(got['without']);
  });

  it("runs none of the process's preloads on the worker's thread", () => {
    const dir = tempDir();
    const ran = join(dir, 'ran.txt');
    const probe = (kind: string): string =>
      `if (!require('node:worker_threads').isMainThread) ` +
      `require('node:fs').appendFileSync(${JSON.stringify(ran)}, '${kind}\\n');\n`;
    writeFileSync(join(dir, 'probe.cjs'), probe('require'));
    writeFileSync(
      join(dir, 'probe.mjs'),
      `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${probe('import')}`,
    );
    const got = runBuilt(writeHistory(), true, [
      '--require',
      join(dir, 'probe.cjs'),
      `--import=${pathToFileURL(join(dir, 'probe.mjs')).href}`,
    ]);
    expect(got['keysPosted']).toBe(TRANSCRIPTS);
    expect(existsSync(ran) ? readFileSync(ran, 'utf8') : '').toBe('');
  });
});
