// The per-test world of the hook's end-to-end tests, set up one way: the built hook is checked
// once, each test gets a fresh world (and with `repo`, a git repository `app` in it) that is
// removed afterwards, and the common assertions on a run live here.
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';

import type { DiagnosticsEntry } from '../../src/diagnostics-log.js';
import { assertBuilt, runHookProcess } from './hook-process.js';
import type { HookExit, RunHookProcessOptions } from './hook-process.js';
import { sessionOf } from './store-view.js';
import {
  conversation,
  createGitRepo,
  createWorld,
  forkTranscript,
  lastDiagnostics,
  removeWorld,
  unwrittenSession,
  writeTranscript,
} from './world.js';
import type { TranscriptRecord, World } from './world.js';

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

/**
 * A session recorded at SessionStart (`startup` unless `source` says otherwise) before its
 * transcript existed, as Claude Code starts one; its file, one turn of `prompt`, is written
 * afterwards and not yet recorded.
 */
export async function lazySession(cwd: string, prompt: string, source = 'startup') {
  const { csid, path, payload } = unwrittenSession(world, cwd, source);
  await recordOk(payload);
  expect(sessionOf(world, csid)).toMatchObject({
    transcript_files: [],
    first_prompt_preview: null,
  });
  const records = conversation(csid, cwd, [prompt]);
  writeTranscript(path, records);
  return { csid, path, records, stableId: sessionOf(world, csid).stable_id };
}

/**
 * A new session whose file copies `origin`'s rows and goes on with `prompts` ({@link
 * forkTranscript}, `copy` applied to each copied row), recorded at its SessionStart `source`.
 */
export async function startedCopy(
  origin: readonly TranscriptRecord[],
  cwd: string,
  prompts: readonly string[],
  source: string,
  copy: TranscriptRecord = {},
): Promise<{ csid: string; path: string }> {
  const { csid, path, payload } = unwrittenSession(world, cwd, source);
  writeTranscript(path, forkTranscript(origin, csid, cwd, prompts, copy));
  await recordOk(payload);
  return { csid, path };
}
