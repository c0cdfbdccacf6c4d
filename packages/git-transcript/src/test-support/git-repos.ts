import { execFileSync } from 'node:child_process';
import { devNull } from 'node:os';

/** An environment that hides the user's and the system's git configuration. */
export function isolatedGitEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    GIT_CONFIG_GLOBAL: devNull,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_DATE: '2026-08-01T12:00:00Z',
    GIT_COMMITTER_DATE: '2026-08-01T12:00:00Z',
  };
}

const IDENTITY = [
  '-c',
  'user.name=Test User',
  '-c',
  'user.email=test@example.com',
  '-c',
  'init.defaultBranch=main',
  '-c',
  'protocol.file.allow=always',
  '-c',
  'commit.gpgsign=false',
];

/** Run the real `git` CLI in `cwd` with an isolated configuration; returns trimmed stdout. */
export function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], {
    cwd,
    env: isolatedGitEnv(cwd),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Create a repository at `dir` (created by `git init`) with `commits` empty commits on `main`. */
export function initRepo(dir: string, commits = 1): void {
  execFileSync('git', [...IDENTITY, 'init', '-q', dir], {
    env: isolatedGitEnv(dir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (let i = 0; i < commits; i += 1)
    git(dir, ['commit', '-q', '--allow-empty', '-m', `commit ${i + 1}`]);
}
