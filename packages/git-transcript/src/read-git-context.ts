import { realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import type { GitContext, ReadGitContextOptions } from './git-context-types.js';
import { readGitDirect } from './read-git-direct.js';
import type { DirectGitResult, GitLocation } from './read-git-direct.js';
import { errorCode, errorMessage } from './read-window.js';
import { describeGitFailure, runGit } from './run-git.js';
import type { GitRun } from './run-git.js';

/** Budget of the git fallback when no deadline is given (docs/claude-code.md#git-facts: 1500 ms). */
export const DEFAULT_GIT_BUDGET_MS = 1500;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function baseContext(cwd: string): Mutable<GitContext> {
  return {
    status: 'ok',
    cwd,
    worktreePath: null,
    worktreeRealpath: null,
    gitCommonDir: null,
    gitDir: null,
    branch: null,
    head: null,
    isWorktree: false,
    worktreeName: null,
    isBare: false,
    source: null,
    errors: [],
  };
}

function absoluteCwd(cwd: unknown): string | null {
  if (typeof cwd !== 'string' || cwd === '') return null;
  try {
    return resolve(cwd);
  } catch {
    return null;
  }
}

function applyLocation(context: Mutable<GitContext>, location: GitLocation): void {
  context.worktreePath = location.worktreePath;
  context.gitDir = location.gitDir;
  context.gitCommonDir = location.gitCommonDir;
  context.isWorktree = location.isWorktree;
  context.worktreeName = location.worktreeName;
  context.isBare = location.isBare;
}

/** Set `worktreeRealpath` from `worktreePath`; a failure is an error entry (docs/claude-code.md#git-facts). */
function applyRealpath(context: Mutable<GitContext>): void {
  if (context.worktreePath === null) return;
  try {
    context.worktreeRealpath = realpathSync(context.worktreePath);
  } catch (error) {
    context.worktreeRealpath = null;
    const shown = context.worktreePath.slice(0, 80);
    context.errors.push(`realpath(${shown}): ${errorCode(error)}: ${errorMessage(error)}`);
  }
}

function finish(context: Mutable<GitContext>): GitContext {
  if (context.status === 'ok' && context.errors.length > 0) {
    const known = context.gitDir !== null || context.worktreePath !== null || context.head !== null;
    context.status = known ? 'partial' : 'error';
  }
  return context;
}

function isExistingDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The context the direct reader gives, before any fallback. */
function directContext(absolute: string, direct: DirectGitResult): GitContext {
  const context = baseContext(absolute);
  if (direct.kind === 'not_a_repo') {
    context.status = 'not_a_repo';
    return context;
  }
  context.source = 'direct';
  if (direct.location !== null) applyLocation(context, direct.location);
  if (direct.kind === 'ok') {
    context.branch = direct.facts.branch;
    context.head = direct.facts.head;
  } else {
    context.errors.push(`direct read: ${direct.reason}`);
  }
  applyRealpath(context);
  return finish(context);
}

/**
 * Git facts for `cwd` read from the `.git` files only, with no child process: the synchronous
 * path for callers that cannot wait. When the repository needs `git` to be read (reftable,
 * symlinked refs…), the location facts are returned with `status: 'partial'` and the reason in
 * `errors`. Never throws.
 */
export function readGitContextSync(cwd: string): GitContext {
  const absolute = absoluteCwd(cwd);
  if (absolute === null) return { ...baseContext(String(cwd)), status: 'not_a_repo' };
  return directContext(absolute, readGitDirect(absolute));
}

const LOCATION_ARGS = [
  'rev-parse',
  '--path-format=absolute',
  '--git-common-dir',
  '--git-dir',
  '--is-bare-repository',
  // Last: it fails in a bare repository, after the lines above have been printed.
  '--show-toplevel',
];
const BRANCH_ARGS = ['symbolic-ref', '-q', 'HEAD'];
const HEAD_ARGS = ['rev-parse', '-q', '--verify', 'HEAD'];

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function stdoutLines(run: GitRun): string[] {
  return run.kind === 'exited' ? run.stdout.split('\n').map((line) => line.trim()) : [];
}

function saysNotARepository(run: GitRun): boolean {
  return run.kind === 'exited' && /not a git repository/i.test(run.stderr);
}

/**
 * Fill `context` from the fallback runs (`location` is `null` when the direct reader already
 * found the repository); returns false when git says "not a repo".
 */
function applyGitRuns(
  context: Mutable<GitContext>,
  runs: { location: GitRun | null; branch: GitRun; head: GitRun },
): boolean {
  const { location, branch, head } = runs;
  if (location !== null && saysNotARepository(location)) return false;

  if (location !== null) {
    const [common, gitDir, bare, top] = stdoutLines(location);
    const absolute = (value: string | undefined): string | null =>
      value !== undefined && value !== '' && isAbsolute(value) ? realpathOr(value) : null;
    context.gitCommonDir = absolute(common);
    context.gitDir = absolute(gitDir);
    context.isBare = bare === 'true';
    context.worktreePath = context.isBare ? null : absolute(top);
    context.isWorktree =
      context.gitDir !== null &&
      context.gitCommonDir !== null &&
      context.gitDir !== context.gitCommonDir;
    context.worktreeName =
      context.isWorktree && context.gitDir !== null ? basename(context.gitDir) : null;
    const complete = location.kind === 'exited' && (location.code === 0 || context.isBare);
    if (!complete || context.gitDir === null) {
      context.errors.push(describeGitFailure(LOCATION_ARGS, location));
    }
  }

  // symbolic-ref: exit 0 = on a branch, exit 1 = detached HEAD.
  if (branch.kind === 'exited' && branch.code === 0) {
    const ref = stdoutLines(branch)[0] ?? '';
    context.branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
  } else if (!(branch.kind === 'exited' && branch.code === 1 && branch.signal === null)) {
    context.errors.push(describeGitFailure(BRANCH_ARGS, branch));
  }

  // rev-parse --verify -q: exit 0 = a commit, exit 1 = no commit yet (unborn branch).
  const id = stdoutLines(head)[0] ?? '';
  if (head.kind === 'exited' && head.code === 0 && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(id)) {
    context.head = id.toLowerCase();
  } else if (!(head.kind === 'exited' && head.code === 1 && head.signal === null)) {
    context.errors.push(describeGitFailure(HEAD_ARGS, head));
  }
  return true;
}

/**
 * Git facts for `cwd` (docs/claude-code.md#git-facts without the Druumen registry): read from the `.git` files
 * directly, spawning `git` only when they use a format the direct reader does not parse (or
 * when `strategy: 'git'`). The `git` runs share one deadline (default 1500 ms from the call) and
 * are killed when it lapses; their stderr is captured, never printed. A `cwd` outside any
 * repository, or missing, is `not_a_repo`. Never rejects.
 */
export async function readGitContext(
  cwd: string,
  options: ReadGitContextOptions = {},
): Promise<GitContext> {
  const strategy = options.strategy ?? 'auto';
  const absolute = absoluteCwd(cwd);
  if (strategy === 'direct' || absolute === null) return readGitContextSync(cwd);

  const context = baseContext(absolute);
  let haveLocation = false;
  if (strategy === 'auto') {
    const direct = readGitDirect(absolute);
    if (direct.kind !== 'fallback') return directContext(absolute, direct);
    if (direct.location !== null) {
      applyLocation(context, direct.location);
      haveLocation = true;
    }
    context.errors.push(`direct read: ${direct.reason}`);
  } else if (!isExistingDirectory(absolute)) {
    context.status = 'not_a_repo';
    return context;
  }

  context.source = 'git';
  const runOptions = {
    cwd: absolute,
    deadline: options.deadline ?? performance.now() + DEFAULT_GIT_BUDGET_MS,
    env: options.env ?? process.env,
    gitBinary: options.gitBinary ?? 'git',
  };
  // Independent questions, asked in parallel under the one deadline.
  const [location, branch, head] = await Promise.all([
    haveLocation ? null : runGit(LOCATION_ARGS, runOptions),
    runGit(BRANCH_ARGS, runOptions),
    runGit(HEAD_ARGS, runOptions),
  ]);
  const fallbackErrors = context.errors.length;
  if (!applyGitRuns(context, { location, branch, head })) {
    return { ...baseContext(absolute), status: 'not_a_repo', source: 'git' };
  }
  // git answered everything: the direct reader's reason is no longer an error.
  if (context.errors.length === fallbackErrors) context.errors.splice(0, fallbackErrors);
  applyRealpath(context);
  return finish(context);
}
