// Test support: run `sessions-db` in-process against a memory or temp store, with a fixed clock.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createMemoryStore } from '@sessions-db/store';
import type { SessionsStore } from '@sessions-db/store';
import type { SessionRecord } from '@sessions-db/projection';
import type { CliDeps, CliResult } from '../cli-deps.js';
import { createCli } from '../create-cli.js';
import { createDeps } from '../create-deps.js';
import { CLAUDE_EXAMPLE_PROJECTS } from '@sessions-db/vitest-config/fixtures';

/** The fixed "now" of the tests: 2026-03-10T12:00:00.000Z. */
export const NOW = Date.parse('2026-03-10T12:00:00.000Z');

/** The shipped example history (`examples/claude-home/projects`). */
export const EXAMPLE_PROJECTS = CLAUDE_EXAMPLE_PROJECTS;

/** The Codex home fixture of `@sessions-db/git-transcript` (rollouts in Codex's real format). */
export { CODEX_FIXTURE_HOME } from '@sessions-db/vitest-config/fixtures';

/** A deterministic stable id whose 22-character short form differs per `n` (`sess_0195a00<n>-…`). */
export function fixedSessionId(n: number): string {
  return `sess_0195${(0xa000 + n).toString(16)}-2b4e-7c1e-8a53-${n.toString(16).padStart(12, '0')}`;
}

/** A memory store whose minted ids and clock are deterministic; `setNow` moves its clock. */
export function createFixedStore(now = NOW): SessionsStore & { setNow(iso: string): void } {
  let sessions = 0;
  let events = 0;
  let current = now;
  const store = createMemoryStore({
    clock: {
      now: () => current,
      newSessionId: () => fixedSessionId(++sessions),
      newEventId: () => `evt_0195f0a0-0000-7000-9000-${(++events).toString(16).padStart(12, '0')}`,
    },
  });
  return Object.assign(store, {
    setNow(iso: string) {
      current = Date.parse(iso);
    },
  });
}

/** Deps around one store object (never closed between runs), a fixed clock and no terminal. */
export function memoryDeps(store: SessionsStore, overrides: Partial<CliDeps> = {}): CliDeps {
  return {
    openStore: async () => ({ store, release: () => undefined }),
    locateStore: async () => null,
    resolveHookCommand: () => ({ command: 'sessions-db-hook', binPath: null }),
    env: {},
    cwd: tmpdir(),
    now: () => NOW,
    isTTY: { stdout: false, stderr: false },
    columns: undefined,
    ...overrides,
  };
}

/** Run the CLI with `argv` against `deps`. */
export function runCli(argv: readonly string[], deps: CliDeps): Promise<CliResult> {
  return createCli(argv, deps);
}

/** A temp directory removed by `cleanup`. */
export function tempDir(prefix = 'sdb-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A temp HOME holding a copy of the example history under `.claude/projects`, and a store dir. */
export function exampleHome(): {
  home: string;
  projects: string;
  storeDir: string;
  deps: CliDeps;
  cleanup: () => void;
} {
  const { dir, cleanup } = tempDir();
  const projects = join(dir, '.claude', 'projects');
  cpSync(EXAMPLE_PROJECTS, projects, { recursive: true });
  const storeDir = join(dir, 'store');
  const deps = createDeps({
    env: { HOME: dir, PATH: process.env['PATH'] },
    cwd: dir,
    now: () => NOW,
    isTTY: { stdout: false, stderr: false },
    columns: undefined,
    progressStream: undefined,
    resolveHookCommand: () => ({ command: 'sessions-db-hook', binPath: null }),
  });
  return { home: dir, projects, storeDir, deps, cleanup };
}

/**
 * {@link exampleHome} removed when the current test ends, with `run` (the CLI in-process, on its
 * store). Call it inside a test.
 */
export function exampleStore(): ReturnType<typeof exampleHome> & {
  run: (...argv: string[]) => Promise<CliResult>;
  /** The session `ref` names, as `show --json` prints it. */
  record: (ref: string) => Promise<SessionRecord>;
} {
  const home = exampleHome();
  onTestFinished(home.cleanup);
  const run = (...argv: string[]) => runCli(['--store', home.storeDir, ...argv], home.deps);
  const record = async (ref: string): Promise<SessionRecord> =>
    (JSON.parse((await run('show', ref, '--json')).stdout) as { session: SessionRecord }).session;
  return { ...home, run, record };
}

/** Facts and payload of a hook-like SessionStart for seeding a store. */
export interface SeedSession {
  readonly csid: string;
  readonly ts: string;
  readonly cwd?: string;
  readonly branch?: string;
  readonly prompt?: string;
  readonly aiTitle?: string;
  readonly customTitle?: string;
  /** SessionStart's source (default `startup`; `resume` for a resume). */
  readonly source?: 'startup' | 'resume';
  /** Path of the session's transcript, recorded as its transcript file. */
  readonly transcript?: string;
}

/**
 * Record a session the way the hook does (with no transcript unless `seed.transcript`),
 * returning its stable id.
 *
 * @throws when the store refuses it.
 */
export function seedSession(store: SessionsStore, seed: SeedSession): string {
  const cwd = seed.cwd ?? '/home/alex/code/acme-api';
  const branch = seed.branch ?? 'main';
  const result = store.recordSessionSeen(
    {
      facts: {
        claudeSessionId: seed.csid,
        now: Date.parse(seed.ts),
        hookEvent: 'SessionStart',
        source: seed.source ?? 'startup',
        cwd,
        branch,
      },
      payload: {
        claude_session_id: seed.csid,
        cwd,
        worktree_path_observed: cwd,
        branch_at_start: branch,
        branch_current: branch,
        first_prompt_preview: seed.prompt ?? null,
        source: seed.source ?? 'startup',
        ...(seed.transcript === undefined
          ? {}
          : {
              transcript_file: {
                path: seed.transcript,
                first_uuid: null,
                last_uuid: null,
                size: 0,
                mtime: seed.ts,
                status: 'ok',
              },
            }),
      },
      titles: { aiTitle: seed.aiTitle ?? null, customTitle: seed.customTitle ?? null },
    },
    { ts: seed.ts },
  );
  if (!result.ok) throw new Error(`seedSession: ${result.error.message}`);
  return result.stableId;
}

/** A UUID-shaped Claude session id for test number `n`. */
export function csidOf(n: number): string {
  return `2b4ed4c0-9c1e-4d0a-8a53-${n.toString(16).padStart(12, '0')}`;
}
