/** Where the harness finds the repository, its binaries and its data, relative to this file. */
import { join, resolve } from 'node:path';

/** `tooling/bench`. */
export const BENCH_DIR = resolve(import.meta.dirname, '..');

/** The monorepo root. */
export const REPO_ROOT = resolve(BENCH_DIR, '..', '..');

/** Cache of generated stores (gitignored). */
export const BENCH_DATA_DIR = join(REPO_ROOT, '.bench-data');

/** `tooling/bench/results`. */
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** The built hook (`node apps/hook/build.mjs`). */
export const HOOK_BIN = join(REPO_ROOT, 'apps', 'hook', 'dist', 'bin.js');

/** The built CLI (`node apps/cli/build.mjs`). */
export const CLI_BIN = join(REPO_ROOT, 'apps', 'cli', 'dist', 'bin.js');

/** A library runner script of this package (`src/runners/<name>.ts`). */
export function runnerScript(name: string): string {
  return join(BENCH_DIR, 'src', 'runners', `${name}.ts`);
}
