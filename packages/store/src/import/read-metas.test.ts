import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claudeAdapter, codexAdapter } from '@sessions-db/git-transcript';
import type { AgentAdapter } from '@sessions-db/git-transcript';
import { tempDir } from '../test-support/temp-dir.js';
import { readFirstTimestamp } from '@sessions-db/git-transcript';
import {
  PARALLEL_SCAN_FROM,
  readFirstTimestamps,
  readMetas,
  startScanWorker,
} from './read-metas.js';
import { KEYS_POSTED, POSTED, READY, SCAN_AHEAD } from './scan-jobs.js';
import type { ScanJob } from './scan-jobs.js';

/** The built reader (tests run after the build), and the worker beside it. */
const BUILT_READ_METAS = new URL('../../dist/import/read-metas.js', import.meta.url);

/** The built transcript readers the built store loads. */
const BUILT_TRANSCRIPTS = pathToFileURL(
  realpathSync(
    new URL('../../node_modules/@sessions-db/git-transcript/dist/index.js', import.meta.url),
  ),
);

/** The built worker (tests run after the build): the store's sources have no `.js` beside them. */
const BUILT_WORKER = new URL('../../dist/import/scan-worker.js', import.meta.url);

/** A Claude transcript of `lines` records (some with a first prompt, one empty, one broken). */
function writeTranscript(dir: string, n: number, lines: number): string {
  const path = join(dir, `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000.jsonl`);
  if (n % 17 === 0) {
    writeFileSync(path, 'not json\n');
    return path;
  }
  const records = Array.from({ length: lines }, (_, i) =>
    JSON.stringify({
      type: i % 2 === 0 ? 'user' : 'assistant',
      uuid: `u-${n}-${i}`,
      parentUuid: i === 0 ? null : `u-${n}-${i - 1}`,
      sessionId: `s-${n}`,
      timestamp: new Date(Date.UTC(2026, 0, 1, 0, n, i)).toISOString(),
      cwd: `/home/dev/p${n % 3}`,
      message: { role: i % 2 === 0 ? 'user' : 'assistant', content: `message ${n}.${i} ✓` },
    }),
  );
  writeFileSync(path, `${records.join('\n')}\n`);
  return path;
}

function jobsIn(dir: string, count: number): ScanJob[] {
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, n) => ({
    path: writeTranscript(dir, n, 5 + (n % 40)),
    // Small windows for some, as import reads a transcript it already holds unchanged.
    options: n % 5 === 0 ? { headBytes: 1024, tailBytes: 1024, maxUuids: 1 } : {},
  }));
}

function sequential(adapter: AgentAdapter, jobs: readonly ScanJob[]): unknown[] {
  return jobs.map((job) => adapter.readMeta(job.path, job.options));
}

/** What a value is once sent through JSON (what {@link runBuilt} returns). */
function viaJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/**
 * Run `body` (statements of an ES module) in a plain node process on the built store and
 * transcript readers, and parse what it writes with `out(value)`. In scope: `jobs`, the built
 * `claudeAdapter` and `codexAdapter`, the built reader's `openMetaReader`, `readMetas`,
 * `readFirstTimestamps` and `startScanWorker`, `ready(scan)` (waits until the worker listens for
 * its jobs, returns it), `waitPosted(scan)` (waits until the worker has posted a result) and
 * `readAll(adapter, scan)` (every job's result in order, the worker given time to take some, and
 * how many it posted: `{ posted, metas }`). This
 * test process resolves the packages to their TypeScript sources, which a worker thread cannot
 * load (it falls back to reading everything here): only there does the worker really run.
 */
function runBuilt(jobs: readonly ScanJob[], body: string): unknown {
  const jobsFile = join(tempDir(), 'jobs.json');
  writeFileSync(jobsFile, JSON.stringify(jobs));
  const script = `
    import { readFileSync } from 'node:fs';
    import { claudeAdapter, codexAdapter } from ${JSON.stringify(BUILT_TRANSCRIPTS.href)};
    import {
      openMetaReader,
      readFirstTimestamps,
      readMetas,
      startScanWorker,
    } from ${JSON.stringify(BUILT_READ_METAS.href)};
    const jobs = JSON.parse(readFileSync(${JSON.stringify(jobsFile)}, 'utf8'));
    const out = (value) => process.stdout.write(JSON.stringify(value));
    const waitFor = (scan, at) => {
      for (const until = performance.now() + 20000; performance.now() < until; ) {
        if (Atomics.load(scan.control, at) !== 0) return scan;
        Atomics.wait(scan.control, at, 0, 100);
      }
      throw new Error('the worker did not come');
    };
    const ready = (scan) => waitFor(scan, ${String(READY)});
    const waitPosted = (scan) => waitFor(scan, ${String(POSTED)});
    const readAll = (adapter, scan) => {
      const reader = openMetaReader(adapter, jobs, scan);
      const metas = [reader.get(0)];
      // The worker takes its first jobs whatever the time it needs to.
      waitPosted(scan);
      for (let i = 1; i < jobs.length; i += 1) metas.push(reader.get(i));
      reader.close();
      return { posted: Atomics.load(scan.control, ${String(POSTED)}), metas };
    };
    ${body}
  `;
  const scriptFile = join(tempDir(), 'run-built.mjs');
  writeFileSync(scriptFile, script);
  const stdout = execFileSync(process.execPath, [scriptFile], {
    env: { ...process.env, NODE_OPTIONS: '' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    // A worker that never ends would keep the process: fail instead of waiting for ever.
    timeout: 120_000,
  });
  return JSON.parse(stdout) as unknown;
}

/**
 * Every job read on a ready worker for `agent` and this thread (in the plain node process) is what
 * `adapter` reads one by one, and the worker took part.
 */
function expectReadOnWorker(
  agent: 'claude' | 'codex',
  adapter: AgentAdapter,
  jobs: readonly ScanJob[],
): void {
  const got = runBuilt(
    jobs,
    `out(readAll(${agent}Adapter, ready(startScanWorker(${agent}Adapter))));`,
  ) as { posted: number; metas: unknown[] };
  expect(got.posted).toBeGreaterThan(0);
  expect(got.metas).toEqual(viaJson(sequential(adapter, jobs)));
}

describe('readMetas', () => {
  it('reads on a worker and this thread what reading one by one reads, in job order', () => {
    expect(existsSync(BUILT_WORKER)).toBe(true);
    const jobs = jobsIn(tempDir(), 1000);
    jobs.push({ path: join(tempDir(), 'missing.jsonl'), options: {} });
    expectReadOnWorker('claude', claudeAdapter, jobs);
  });

  it('reads first timestamps on both threads, then the transcripts on the same worker', () => {
    const jobs = jobsIn(tempDir(), 2000);
    const got = runBuilt(
      jobs,
      `
      // The worker takes some of the keys when it is ready before this thread has taken them all:
      // a few tries make that sure (a broken worker never posts one).
      let scan;
      let keys;
      for (let tries = 0; tries < 10; tries += 1) {
        scan = ready(startScanWorker(claudeAdapter));
        keys = readFirstTimestamps(jobs, scan);
        if (Atomics.load(scan.control, ${String(KEYS_POSTED)}) > 0) break;
        scan.cancel();
      }
      const keysPosted = Atomics.load(scan.control, ${String(KEYS_POSTED)});
      out({ keysPosted, keys, ...readAll(claudeAdapter, scan) });
      `,
    ) as { keysPosted: number; keys: unknown[]; posted: number; metas: unknown[] };
    expect(got.keysPosted).toBeGreaterThan(0);
    expect(got.keysPosted).toBeLessThan(jobs.length);
    expect(got.keys).toEqual(jobs.map((job) => readFirstTimestamp(job.path, job.options)));
    expect(got.posted).toBeGreaterThan(0);
    expect(got.metas).toEqual(viaJson(sequential(claudeAdapter, jobs)));
  });

  it('reads everything here when the worker cannot start or fails to load', () => {
    const dir = tempDir();
    const jobs = jobsIn(join(dir, 'projects'), PARALLEL_SCAN_FROM);
    const broken = join(dir, 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('no worker here');\n");
    const expected = sequential(claudeAdapter, jobs);
    const keys = jobs.map((job) => readFirstTimestamp(job.path, job.options));
    const brokenScan = startScanWorker(claudeAdapter, new URL(`file://${broken}`));
    expect(readFirstTimestamps(jobs, brokenScan)).toEqual(keys);
    expect(readMetas(claudeAdapter, jobs, brokenScan)).toEqual(expected);
    const noScript = startScanWorker(claudeAdapter, new URL(`file://${join(dir, 'none.mjs')}`));
    expect(readMetas(claudeAdapter, jobs, noScript)).toEqual(expected);
    expect(readFirstTimestamps(jobs, null)).toEqual(keys);
    expect(readMetas(claudeAdapter, jobs, null)).toEqual(expected);
  });

  it('reads through the adapter it is given (another agent, or not an agent own adapter)', () => {
    const jobs = jobsIn(tempDir(), PARALLEL_SCAN_FROM * 4);
    expectReadOnWorker('codex', codexAdapter, jobs);
    const [first] = sequential(codexAdapter, jobs);
    const other = { ...claudeAdapter, readMeta: () => first } as AgentAdapter;
    expect(startScanWorker(other, BUILT_WORKER)).toBeNull();
    // A worker started for another adapter is not used for this one.
    const claudeScan = startScanWorker(claudeAdapter, BUILT_WORKER);
    expect(readMetas(other, jobs, claudeScan)).toEqual(jobs.map(() => first));
  });

  it('reads a few transcripts here, and lets a worker started for them end', () => {
    const jobs = jobsIn(tempDir(), 3);
    const got = runBuilt(
      jobs,
      `
      const scan = ready(startScanWorker(claudeAdapter));
      // The timer keeps this process until the worker's exit is seen (the worker is unref'd).
      const ended = new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), 20000);
        scan.worker.once('exit', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      const keys = readFirstTimestamps(jobs, scan);
      const metas = readMetas(claudeAdapter, jobs, scan);
      const control = Array.from(scan.control);
      out({ keys, metas, control, ended: await ended });
      `,
    ) as { keys: unknown[]; metas: unknown[]; control: number[]; ended: boolean };
    expect(got.keys).toEqual(jobs.map((job) => readFirstTimestamp(job.path, job.options)));
    expect(got.metas).toEqual(viaJson(sequential(claudeAdapter, jobs)));
    expect(got.control[POSTED]).toBe(0);
    expect(got.control[KEYS_POSTED]).toBe(0);
    expect(got.ended).toBe(true);
  });

  it('reads ahead of the results taken by at most SCAN_AHEAD, and serves them in any order', () => {
    const jobs = jobsIn(tempDir(), SCAN_AHEAD * 2 + 40);
    const jobsFile = join(tempDir(), 'jobs.json');
    writeFileSync(jobsFile, JSON.stringify(jobs));
    // In a plain node process on the built store: this test process resolves the packages to their
    // TypeScript sources, which a worker thread cannot load.
    const script = `
      import { readFileSync } from 'node:fs';
      import { claudeAdapter } from ${JSON.stringify(BUILT_TRANSCRIPTS.href)};
      import { openMetaReader, startScanWorker } from ${JSON.stringify(BUILT_READ_METAS.href)};
      const jobs = JSON.parse(readFileSync(${JSON.stringify(jobsFile)}, 'utf8'));
      const scan = startScanWorker(claudeAdapter);
      const reader = openMetaReader(claudeAdapter, jobs, scan);
      const got = [reader.get(0)];
      // Let the worker read as far as it may: it stops at the window, whatever the time it has.
      for (const until = performance.now() + 20000; performance.now() < until; ) {
        const posted = Atomics.load(scan.control, ${String(POSTED)});
        const quiet = Atomics.wait(scan.control, ${String(POSTED)}, posted, 500) === 'timed-out';
        if (quiet && posted > 0) break;
      }
      const posted = Atomics.load(scan.control, ${String(POSTED)});
      for (const i of [3, 1, 2]) got[i] = reader.get(i);
      for (let i = 4; i < jobs.length; i += 1) got[i] = reader.get(i);
      reader.close();
      process.stdout.write(JSON.stringify({ posted, got }));
    `;
    const scriptFile = join(tempDir(), 'read-ahead.mjs');
    writeFileSync(scriptFile, script);
    const out = execFileSync(process.execPath, [scriptFile], {
      env: { ...process.env, NODE_OPTIONS: '' },
      encoding: 'utf8',
    });
    const { posted, got } = JSON.parse(out) as { posted: number; got: unknown[] };
    expect(posted).toBeGreaterThan(SCAN_AHEAD / 2);
    expect(posted).toBeLessThanOrEqual(SCAN_AHEAD + 1);
    expect(got).toEqual(JSON.parse(JSON.stringify(sequential(claudeAdapter, jobs))));
  });
});
