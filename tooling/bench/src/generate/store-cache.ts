/**
 * Generated stores cached under `.bench-data/stores/`, keyed by size, generator version and
 * seed: the log is generated once, the SQLite index is built by opening the store in a child
 * process, and `manifest.json` (written last) marks the entry complete. Scenarios work on copies.
 */
import {
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { STORE_FILENAMES } from '@sessions-db/store';

import { BENCH_DATA_DIR, BENCH_DIR, runnerScript } from '../bench-paths.js';
import { runProcess } from '../process/run-process.js';
import { isolatedEnv, TSX_FLAGS } from '../process/targets.js';
import { GENERATOR_VERSION, generateLog } from './generate-log.js';
import type { GeneratedLog } from './generate-log.js';

/** `manifest.json` of a cached store. */
export interface StoreManifest extends GeneratedLog {
  /** How long generating the log took (ms). */
  readonly generateMs: number;
  /** How long the first index build took (ms). */
  readonly indexMs: number;
  readonly indexedSessions: number;
  readonly indexedEvents: number;
}

/** A ready cached store. */
export interface CachedStore {
  readonly label: string;
  readonly sessions: number;
  readonly dir: string;
  readonly manifest: StoreManifest;
}

const MANIFEST = 'manifest.json';

/** `1000` → `1k`, `1000000` → `1M`. */
export function sizeLabel(sessions: number): string {
  if (sessions >= 1_000_000 && sessions % 1_000_000 === 0) return `${sessions / 1_000_000}M`;
  if (sessions >= 1000 && sessions % 1000 === 0) return `${sessions / 1000}k`;
  return String(sessions);
}

interface IndexReport {
  readonly ok: boolean;
  readonly ms: number;
  readonly sessions: number;
  readonly events: number;
}

/** Open the store in a fresh process (building or refreshing its index). */
async function buildIndex(dir: string, timeoutMs: number): Promise<IndexReport> {
  const outcome = await runProcess({
    command: process.execPath,
    args: [...TSX_FLAGS, runnerScript('build-index'), dir],
    cwd: BENCH_DIR,
    env: isolatedEnv(),
    timeoutMs,
  });
  if (outcome.code !== 0 || outcome.timedOut) {
    throw new Error(
      `building the index of ${dir} failed (exit ${String(outcome.code)}): ${outcome.stderr.slice(-2000)}`,
    );
  }
  return JSON.parse(outcome.stdout) as IndexReport;
}

/** The first line of an error's message. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  return (lines.find((line) => /Error/.test(line)) ?? lines[0] ?? '').trim().slice(0, 200);
}

/** Delete a store's derived files (index, its WAL, the projection JSON), keeping the log. */
function removeIndex(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(STORE_FILENAMES.index) || name === STORE_FILENAMES.projection) {
      rmSync(join(dir, name), { force: true });
    }
  }
}

/**
 * The cached store of `sessions` sessions, generating it (and its index) when missing. Opening
 * it once more on every call keeps the index in step with the current store code (cheap when it
 * already is; an index the current code cannot open is deleted and rebuilt from the log).
 *
 * @throws Error when generation or the index build fails.
 */
export async function ensureStore(
  sessions: number,
  options: { readonly seed: number; readonly log: (message: string) => void },
): Promise<CachedStore> {
  const label = sizeLabel(sessions);
  const dir = join(BENCH_DATA_DIR, 'stores', `${label}-g${GENERATOR_VERSION}-s${options.seed}`);
  const manifestPath = join(dir, MANIFEST);
  const timeoutMs = Math.max(120_000, sessions * 2);
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as StoreManifest;
    let check: IndexReport;
    try {
      check = await buildIndex(dir, timeoutMs);
    } catch (error) {
      // The index is a cache: when the current store code cannot open it, build it again from the log.
      options.log(
        `  the cached index of ${label} did not open (${firstLine(error)}); rebuilding it from the log`,
      );
      removeIndex(dir);
      const started = Date.now();
      check = await buildIndex(dir, timeoutMs);
      options.log(`  index rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    if (check.events !== manifest.events) {
      throw new Error(
        `cached store ${dir} indexes ${check.events} events, its log was generated with ${manifest.events}; delete the directory`,
      );
    }
    return { label, sessions, dir, manifest };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  options.log(`generating a store of ${label} sessions in ${dir}`);
  let started = Date.now();
  let lastShown = 0;
  const generated = generateLog({
    sessions,
    seed: options.seed,
    logPath: join(dir, STORE_FILENAMES.events),
    onProgress: (done, total) => {
      const pct = Math.floor((done / total) * 100);
      if (pct >= lastShown + 10) {
        lastShown = pct;
        options.log(`  ${pct}% (${sizeLabel(done)} sessions)`);
      }
    },
  });
  const generateMs = Date.now() - started;
  options.log(
    `  ${generated.events} events, ${(generated.bytes / 1e6).toFixed(0)} MB in ${(generateMs / 1000).toFixed(1)} s; building the index`,
  );
  started = Date.now();
  const index = await buildIndex(dir, timeoutMs);
  if (!index.ok || index.events !== generated.events) {
    throw new Error(
      `the index of ${dir} holds ${index.events} events, expected ${generated.events}`,
    );
  }
  const manifest: StoreManifest = {
    ...generated,
    generateMs,
    indexMs: Date.now() - started,
    indexedSessions: index.sessions,
    indexedEvents: index.events,
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  options.log(`  index built in ${(manifest.indexMs / 1000).toFixed(1)} s`);
  return { label, sessions, dir, manifest };
}

/**
 * Copy a cached store's files (log, index, projection; not the manifest) into `dest`, so a
 * scenario can write without growing the cache. Uses copy-on-write clones where the file
 * system has them.
 *
 * @throws Error on a file-system error.
 */
export function copyStore(store: CachedStore, dest: string): string {
  mkdirSync(dest, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(store.dir)) {
    if (name === MANIFEST) continue;
    const from = join(store.dir, name);
    if (statSync(from).isFile()) copyFileSync(from, join(dest, name), constants.COPYFILE_FICLONE);
  }
  return dest;
}
