// The per-test world of the hook's end-to-end tests, set up one way: the built hook is checked
// once, each test gets a fresh world (and with `repo`, a git repository `app` in it) that is
// removed afterwards, and the common assertions on a run live here.
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';

import type { DiagnosticsEntry } from '../../src/diagnostics-log.js';
import { assertBuilt, runHookProcess } from './hook-process.js';
import type { HookExit, RunHookProcessOptions } from './hook-process.js';
import { createGitRepo, createWorld, lastDiagnostics, removeWorld } from './world.js';
import type { World } from './world.js';

/** The current test's world (a live binding: read it inside tests and hooks). */
export let world: World;
/** The current test's repository directory (with `useHookWorld({ repo: true })`). */
export let repoDir: string;

/**
 * Register the set-up of a test file: the built hook is checked once, every test gets a fresh
 * {@link world} (with `repo`, also {@link repoDir}), removed after the test (after `cleanup`).
 */
export function useHookWorld(
  options: { readonly repo?: boolean; readonly cleanup?: () => unknown } = {},
): void {
  beforeAll(assertBuilt);
  beforeEach(() => {
    world = createWorld();
    if (options.repo === true) repoDir = createGitRepo(world, 'app').dir;
  });
  afterEach(async () => {
    await options.cleanup?.();
    removeWorld(world);
  });
}

/** The hook's promise on every path: exit 0, nothing on stdout or stderr. */
export function expectSilentExit(exit: HookExit): void {
  expect(exit).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
}

/** Run the built hook in the current world, check that it exited silently and recorded. */
export async function recordOk(
  payload: string,
  options: Partial<RunHookProcessOptions> = {},
): Promise<DiagnosticsEntry> {
  expectSilentExit(await runHookProcess(payload, { env: world.env, ...options }));
  const entry = lastDiagnostics(world);
  expect(entry, JSON.stringify(entry)).toMatchObject({ outcome: 'recorded' });
  return entry;
}
