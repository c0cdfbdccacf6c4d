import { devNull } from 'node:os';
import { dirname } from 'node:path';
import { testGit } from '@sessions-db/vitest-config/git';

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

const SETTINGS = ['-c', 'init.defaultBranch=main', '-c', 'protocol.file.allow=always'];

/** Run the real `git` CLI in `cwd` with an isolated configuration; returns trimmed stdout. */
export function git(cwd: string, args: readonly string[]): string {
  return testGit(cwd, [...SETTINGS, ...args], isolatedGitEnv(cwd));
}

/** Create a repository at `dir` (created by `git init`) with `commits` empty commits on `main`. */
export function initRepo(dir: string, commits = 1): void {
  git(dirname(dir), ['init', '-q', dir]);
  for (let i = 0; i < commits; i += 1)
    git(dir, ['commit', '-q', '--allow-empty', '-m', `commit ${i + 1}`]);
}
