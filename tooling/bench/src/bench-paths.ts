/** Where the harness finds the repository, its binaries and its data, relative to this file. */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** `tooling/bench`. */
export const BENCH_DIR = resolve(import.meta.dirname, '..');

/** The monorepo root. */
export const REPO_ROOT = resolve(BENCH_DIR, '..', '..');

/** Cache of generated stores (gitignored). */
export const BENCH_DATA_DIR = join(REPO_ROOT, '.bench-data');

/** `tooling/bench/results`. */
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/**
 * The executable an app declares in its package.json `bin` (the first entry), or
 * `dist/bin.cjs` when it declares none or cannot be read.
 */
export function appBin(app: string): string {
  const dir = join(REPO_ROOT, 'apps', app);
  let bin: unknown;
  try {
    bin = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin?: unknown }).bin;
  } catch {
    bin = undefined;
  }
  const first =
    typeof bin === 'string'
      ? bin
      : bin !== null && typeof bin === 'object'
        ? Object.values(bin as Record<string, unknown>).find((v) => typeof v === 'string')
        : undefined;
  return join(dir, typeof first === 'string' ? first : join('dist', 'bin.cjs'));
}

/** The built hook (`node apps/hook/build.mjs`). */
export const HOOK_BIN = appBin('hook');

/** The built CLI (`node apps/cli/build.mjs`). */
export const CLI_BIN = appBin('cli');

/** `path` relative to the repository root, with `/` separators (for labels). */
export function repoRelative(path: string): string {
  return relative(REPO_ROOT, path).split('\\').join('/');
}

/** A library runner script of this package (`src/runners/<name>.ts`). */
export function runnerScript(name: string): string {
  return join(BENCH_DIR, 'src', 'runners', `${name}.ts`);
}
