// Driving the real Claude Code binary offline: where the pinned versions are installed, a
// throwaway HOME with onboarding done and the BUILT sessions-db hook installed through
// `sessions-db hook install`, `-p` runs, an interactive session in tmux, and the CLI's JSON views
// of the store. Facts: docs/claude-code.md (measured on the real binary).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testGit } from '@sessions-db/vitest-config/git';

import { HOOK_BIN } from '../../support/hook-process.js';

/** The client versions the suite is pinned to (B.11: the latest measured, and Node 20's default). */
export const REAL_CLIENT_VERSIONS = ['2.1.197', '2.1.332'] as const;

/** The built CLI binary. */
export const CLI_BIN = fileURLToPath(new URL('../../../../cli/dist/bin.cjs', import.meta.url));

/** The hook package directory (a Claude Code plugin: `.claude-plugin/` and `hooks/`). */
export const PLUGIN_DIR = fileURLToPath(new URL('../../../', import.meta.url));

/** Where the pinned clients live: `$SESSIONS_DB_REAL_CLIENT_CACHE` or `<cache>/sessions-db-real-client`. */
export function realClientCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['SESSIONS_DB_REAL_CLIENT_CACHE'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache');
  return join(base, 'sessions-db-real-client');
}

/** The `claude` binary of one pinned version, or null when it is not installed. */
export function claudeBinary(version: string): string | null {
  const bin = join(realClientCacheDir(), version, 'node_modules', '.bin', 'claude');
  return existsSync(bin) ? bin : null;
}

/** Whether tmux is on the PATH (the interactive case needs it). */
export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** One throwaway world for one client version. */
export interface ClientWorld {
  readonly version: string;
  readonly claude: string;
  readonly root: string;
  readonly home: string;
  readonly project: string;
  readonly storeDir: string;
  readonly env: Readonly<Record<string, string>>;
  /** Extra arguments of every `claude` run (e.g. `--plugin-dir`). */
  readonly claudeArgs: readonly string[];
}

/** How the hook is installed in a world. */
export type HookInstall = 'settings' | 'plugin';

const PLACEHOLDER_KEY = 'sk-ant-test-placeholder-key-0000000000';

function git(cwd: string, ...args: string[]): void {
  testGit(cwd, args);
}

/** Create a world: HOME with onboarding done, a git project, a store, the hook installed. */
export function createClientWorld(
  version: string,
  baseUrl: string,
  install: HookInstall,
): ClientWorld {
  const claude = claudeBinary(version);
  if (claude === null) throw new Error(`claude ${version} is not installed`);
  const root = mkdtempSync(join(tmpdir(), 'sdb-real-client-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  const storeDir = join(root, 'store');
  mkdirSync(join(home, '.claude'), { recursive: true });
  mkdirSync(project, { recursive: true });
  git(project, 'init', '-q', '-b', 'main');
  writeFileSync(join(project, 'README.md'), '# project\n');
  git(project, 'add', 'README.md');
  git(project, 'commit', '-q', '-m', 'initial');
  writeFileSync(
    join(home, '.claude.json'),
    JSON.stringify({
      hasCompletedOnboarding: true,
      lastOnboardingVersion: version,
      customApiKeyResponses: { approved: [PLACEHOLDER_KEY.slice(-20)], rejected: [] },
      projects: { [project]: { hasTrustDialogAccepted: true, allowedTools: [] } },
    }),
  );
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    SHELL: '/bin/sh',
    ANTHROPIC_API_KEY: PLACEHOLDER_KEY,
    ANTHROPIC_BASE_URL: baseUrl,
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    SESSIONS_DB_ROOT: storeDir,
    // No background content indexer outliving the suite's temp homes.
    SESSIONS_DB_INDEX_CONTENT: '0',
  };
  const world: ClientWorld = {
    version,
    claude,
    root,
    home,
    project,
    storeDir,
    env,
    claudeArgs: install === 'plugin' ? ['--plugin-dir', PLUGIN_DIR] : [],
  };
  if (install === 'settings') {
    cli(world, 'hook', 'install', '--command', `node ${HOOK_BIN}`);
  }
  return world;
}

/** Remove a world. */
export function removeClientWorld(world: ClientWorld): void {
  rmSync(world.root, { recursive: true, force: true });
}

/** Run the built CLI in a world; returns stdout (throws on a non-zero exit). */
export function cli(world: ClientWorld, ...args: string[]): string {
  const run = spawnSync(process.execPath, [CLI_BIN, ...args], {
    cwd: world.project,
    env: world.env,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    throw new Error(`sessions-db ${args.join(' ')} exited ${String(run.status)}: ${run.stderr}`);
  }
  return run.stdout;
}

/** Run the built CLI with `--json` and parse its output. */
export function cliJson<T>(world: ClientWorld, ...args: string[]): T {
  return JSON.parse(cli(world, ...args, '--json')) as T;
}

/** What one `claude -p` run did. */
export interface ClaudeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `claude <args> -p <prompt>` to completion in the world's project. */
export function runPrint(
  world: ClientWorld,
  prompt: string,
  ...args: string[]
): Promise<ClaudeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(world.claude, [...world.claudeArgs, ...args, '-p', prompt], {
      cwd: world.project,
      env: world.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The Claude session ids that have a transcript in the world's project, sorted. */
export function transcriptIds(world: ClientWorld): string[] {
  const projects = join(world.home, '.claude', 'projects');
  if (!existsSync(projects)) return [];
  return readdirSync(projects)
    .flatMap((dir) => readdirSync(join(projects, dir)))
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => name.slice(0, -'.jsonl'.length))
    .sort();
}
