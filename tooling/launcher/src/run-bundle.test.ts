import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeCacheDir, runBundle } from './run-bundle.js';
import type { CodeCacheState } from './run-bundle.js';

let root: string;
let bundle: string;
let cacheDir: string;

// A bundle as esbuild writes one: CommonJS, using require, module, __filename and __dirname.
const BUNDLE = `
const { join } = require('node:path');
function add(a, b) { return a + b; }
module.exports = { sum: add(40, 2), file: __filename, dir: __dirname, self: join(__dirname, 'x') };
`;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sdb-launcher-'));
  bundle = join(root, 'app.cjs');
  writeFileSync(bundle, BUNDLE);
  cacheDir = join(root, 'cache', 'v8');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const portable = { enableCompileCache: null } as const;

/** What the builds pass as the key: a hash of the bundle's content. */
function keyOf(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
const source = fileURLToPath(new URL('./run-bundle.ts', import.meta.url));

/**
 * The source of a fresh process (an ES module) that runs the bundle through the launcher as the
 * binaries do, its cache in `dir` keyed on the bundle's content, then the statements `then` with
 * the run as `run`. (V8 also caches compiled code within one process, so a second start is only
 * real in a new one.)
 */
function launcherScript(dir: string | undefined, then: string): string {
  return `
    const { runBundle } = await import(${JSON.stringify(source)});
    const { createHash } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    const contentKey = () => createHash('sha256').update(readFileSync(${JSON.stringify(bundle)})).digest('hex');
    const run = runBundle(${JSON.stringify(bundle)}, { cacheDir: ${JSON.stringify(dir)}, key: contentKey(), enableCompileCache: null });
    ${then}`;
}

/** Node's arguments that run a {@link launcherScript}. */
const RUN_SCRIPT = ['--import', 'tsx', '--input-type=module', '-e'] as const;

/** Start a fresh process that runs the bundle through the launcher and saves its cache. */
function start(dir: string | undefined): { state: CodeCacheState; exports: unknown } {
  const script = launcherScript(
    dir,
    'run.writeCache(); process.stdout.write(JSON.stringify({ state: run.state, exports: run.exports }));',
  );
  const out = execFileSync(process.execPath, [...RUN_SCRIPT, script], { encoding: 'utf8' });
  return JSON.parse(out) as { state: CodeCacheState; exports: unknown };
}

function cacheFiles(): string[] {
  return existsSync(cacheDir) ? readdirSync(cacheDir) : [];
}

describe('runBundle', () => {
  it('runs the bundle as CommonJS and caches its code for the next start', () => {
    const first = start(cacheDir);
    expect(first.state).toBe('miss');
    expect(first.exports).toEqual({ sum: 42, file: bundle, dir: root, self: join(root, 'x') });
    const files = cacheFiles();
    expect(files).toHaveLength(1);
    expect(statSync(join(cacheDir, files[0] ?? '')).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);

    const second = start(cacheDir);
    expect(second.state).toBe('hit');
    expect(second.exports).toEqual(first.exports);
  });

  it('writes nothing until asked: the cache is saved at exit, with what the run compiled', () => {
    const run = runBundle(bundle, { cacheDir, key: keyOf(bundle), ...portable });
    expect((run.exports as { sum: number }).sum).toBe(42);
    expect(cacheFiles()).toEqual([]);
    run.writeCache();
    expect(cacheFiles()).toHaveLength(1);
  });

  it('compiles from source when the cache is damaged, and replaces it', () => {
    start(cacheDir);
    const file = join(cacheDir, cacheFiles()[0] ?? '');
    writeFileSync(file, 'not a code cache');
    const run = start(cacheDir);
    expect(run.state).toBe('rejected');
    expect((run.exports as { sum: number }).sum).toBe(42);
    expect(readFileSync(file, 'utf8')).not.toBe('not a code cache');
    expect(start(cacheDir).state).toBe('hit');
  });

  it('keys the cache on the bundle: a changed bundle starts a new cache and drops the old one', () => {
    start(cacheDir);
    const before = cacheFiles();
    writeFileSync(bundle, `${BUNDLE}\nmodule.exports.more = true;\n`);
    utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    const run = start(cacheDir);
    expect(run.state).toBe('miss');
    expect((run.exports as { more?: boolean }).more).toBe(true);
    const after = cacheFiles();
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it('never takes the cache of another bundle of the same size and mtime (npm packs one mtime)', () => {
    writeFileSync(bundle, 'module.exports = { v: 1 };\n');
    utimesSync(bundle, new Date(499162500000), new Date(499162500000));
    expect(start(cacheDir)).toEqual({ state: 'miss', exports: { v: 1 } });
    writeFileSync(bundle, 'module.exports = { v: 2 };\n');
    utimesSync(bundle, new Date(499162500000), new Date(499162500000));
    expect(start(cacheDir)).toEqual({ state: 'miss', exports: { v: 2 } });
    expect(start(cacheDir)).toEqual({ state: 'hit', exports: { v: 2 } });
  });

  it('never reads a cache through a symlink, and never writes through one', () => {
    start(cacheDir);
    const name = cacheFiles()[0] ?? '';
    const target = join(root, 'elsewhere');
    writeFileSync(target, 'precious');
    rmSync(join(cacheDir, name));
    symlinkSync(target, join(cacheDir, name));
    expect(start(cacheDir).state).toBe('miss');
    expect(readFileSync(target, 'utf8')).toBe('precious');
  });

  it('still runs when the cache directory cannot be created', () => {
    writeFileSync(join(root, 'cache'), 'a file where the directory should be');
    const run = start(cacheDir);
    expect((run.exports as { sum: number }).sum).toBe(42);
  });

  it('runs without a cache when caching is off', () => {
    const run = start(undefined);
    expect(run.state).toBe('off');
    expect((run.exports as { sum: number }).sum).toBe(42);
    expect(existsSync(join(root, 'cache'))).toBe(false);
  });

  it("uses the runtime's own compile cache where it exists", () => {
    const enabled: string[] = [];
    const run = runBundle(bundle, {
      cacheDir,
      key: keyOf(bundle),
      enableCompileCache: (dir) => enabled.push(dir),
    });
    expect(run.state).toBe('native');
    expect(enabled).toEqual([cacheDir]);
    expect((run.exports as { sum: number }).sum).toBe(42);
  });
});

describe('codeCacheDir', () => {
  const home = (): string => '/home/u';
  it('follows each platform and the environment', () => {
    expect(codeCacheDir({}, 'linux', home)).toBe('/home/u/.cache/sessions-db/v8');
    expect(codeCacheDir({ XDG_CACHE_HOME: '/x' }, 'linux', home)).toBe('/x/sessions-db/v8');
    expect(codeCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', home)).toBe(
      '/home/u/.cache/sessions-db/v8',
    );
    expect(codeCacheDir({}, 'darwin', home)).toBe('/home/u/Library/Caches/sessions-db/v8');
    expect(codeCacheDir({ LOCALAPPDATA: 'C:\\L' }, 'win32', home)).toContain('sessions-db');
    expect(codeCacheDir({ SESSIONS_DB_CODE_CACHE_DIR: '/c' }, 'linux', home)).toBe('/c');
    expect(codeCacheDir({ SESSIONS_DB_CODE_CACHE: '0' }, 'linux', home)).toBeUndefined();
  });
});

describe('ES modules from a cached bundle', () => {
  it('loads an ES module through the launcher, before and after the cache exists', () => {
    const esm = join(root, 'answer.mjs');
    writeFileSync(esm, 'export const answer = 42;\n');
    writeFileSync(
      bundle,
      `const load = globalThis[Symbol.for('sessions-db.import-module')];
       module.exports = { ready: load(${JSON.stringify(esm)}).then((m) => m.answer) };`,
    );
    const script = launcherScript(
      cacheDir,
      `const answer = await run.exports.ready;
      run.writeCache();
      process.stdout.write(JSON.stringify({ state: run.state, answer }));`,
    );
    const once = (): unknown =>
      JSON.parse(execFileSync(process.execPath, [...RUN_SCRIPT, script], { encoding: 'utf8' }));
    expect(once()).toEqual({ state: 'miss', answer: 42 });
    expect(once()).toEqual({ state: 'hit', answer: 42 });
  });
});

describe('a quiet start', () => {
  it('prints nothing of its own on stderr, with or without a cache', () => {
    for (let i = 0; i < 2; i += 1) {
      const script = launcherScript(cacheDir, 'run.writeCache();');
      const result = spawnSync(process.execPath, [...RUN_SCRIPT, script], { encoding: 'utf8' });
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
    }
  });
});
