import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GitContext } from './git-context-types.js';
import { readGitContext, readGitContextSync } from './read-git-context.js';
import { git, initRepo, isolatedGitEnv } from './test-support/git-repos.js';
import { makeTempDir } from './test-support/temp-dir.js';

const posix = process.platform !== 'win32';

/** A real (symlink-free) temporary directory. */
function tempRoot(): string {
  return realpathSync(makeTempDir());
}

/** What `git` itself says about `cwd`, for comparison. */
function gitSays(cwd: string): {
  commonDir: string;
  gitDir: string;
  head: string | null;
  branch: string | null;
} {
  const [commonDir = '', gitDir = ''] = git(cwd, [
    'rev-parse',
    '--path-format=absolute',
    '--git-common-dir',
    '--git-dir',
  ]).split('\n');
  let head: string | null = null;
  try {
    head = git(cwd, ['rev-parse', '--verify', '-q', 'HEAD']);
  } catch {
    head = null;
  }
  const branch = git(cwd, ['branch', '--show-current']);
  return {
    commonDir: realpathSync(commonDir),
    gitDir: realpathSync(gitDir),
    head,
    branch: branch === '' ? null : branch,
  };
}

/** The fields that must agree whichever way they were read. */
const AGREED = [
  'status',
  'worktreeRealpath',
  'gitCommonDir',
  'gitDir',
  'branch',
  'head',
  'isWorktree',
  'worktreeName',
  'isBare',
] as const;

function facts(context: GitContext): Partial<GitContext> {
  return Object.fromEntries(AGREED.map((key) => [key, context[key]])) as Partial<GitContext>;
}

/** Read directly, then with the `git` strategy, and check both agree with `git` itself. */
async function readAndCompare(cwd: string, env: NodeJS.ProcessEnv): Promise<GitContext> {
  const direct = await readGitContext(cwd, { env });
  expect(direct.source).toBe('direct');
  const viaGit = await readGitContext(cwd, { env, strategy: 'git' });
  expect(viaGit.source).toBe('git');
  expect(facts(viaGit)).toEqual(facts(direct));
  const truth = gitSays(cwd);
  expect(direct.gitCommonDir).toBe(truth.commonDir);
  expect(direct.gitDir).toBe(truth.gitDir);
  expect(direct.head).toBe(truth.head);
  expect(direct.branch).toBe(truth.branch);
  return direct;
}

describe('readGitContext: direct reading of real repositories', () => {
  it('a normal repository, from a subdirectory', async () => {
    const root = tempRoot();
    const repo = join(root, 'repo');
    initRepo(repo, 2);
    const sub = join(repo, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    const context = await readAndCompare(sub, isolatedGitEnv(root));
    expect(context).toMatchObject({
      status: 'ok',
      cwd: sub,
      worktreePath: repo,
      worktreeRealpath: repo,
      gitDir: join(repo, '.git'),
      gitCommonDir: join(repo, '.git'),
      branch: 'main',
      isWorktree: false,
      worktreeName: null,
      isBare: false,
      errors: [],
    });
    expect(context.head).toMatch(/^[0-9a-f]{40}$/);
    expect(readGitContextSync(sub)).toEqual(context);
  });

  it('a detached HEAD', async () => {
    const root = tempRoot();
    const repo = join(root, 'repo');
    initRepo(repo, 2);
    git(repo, ['checkout', '-q', '--detach', 'HEAD~1']);
    const context = await readAndCompare(repo, isolatedGitEnv(root));
    expect(context.branch).toBeNull();
    expect(context.head).toBe(git(repo, ['rev-parse', 'HEAD~0']));
  });

  it('an unborn branch: branch set, head null, status ok', async () => {
    const root = tempRoot();
    const repo = join(root, 'repo');
    initRepo(repo, 0);
    const context = await readAndCompare(repo, isolatedGitEnv(root));
    expect(context).toMatchObject({ status: 'ok', branch: 'main', head: null, errors: [] });
  });

  it('refs only in packed-refs (with peeled tags and look-alike names)', async () => {
    const root = tempRoot();
    const repo = join(root, 'repo');
    initRepo(repo, 1);
    git(repo, ['tag', '-a', 'v1', '-m', 'release']);
    git(repo, ['branch', 'main-old']);
    git(repo, ['commit', '-q', '--allow-empty', '-m', 'newer']);
    git(repo, ['branch', 'x/main']);
    git(repo, ['pack-refs', '--all']);
    expect(() => git(repo, ['rev-parse', '--verify', '-q', 'refs/heads/main'])).not.toThrow();
    const context = await readAndCompare(repo, isolatedGitEnv(root));
    expect(context.head).toBe(git(repo, ['rev-parse', 'main']));
    expect(context.head).not.toBe(git(repo, ['rev-parse', 'main-old']));
  });

  it('a linked worktree', async () => {
    const root = tempRoot();
    const repo = join(root, 'repo');
    initRepo(repo, 1);
    const worktree = join(root, 'wt-feature');
    git(repo, ['worktree', 'add', '-q', '-b', 'feature', worktree]);
    git(worktree, ['commit', '-q', '--allow-empty', '-m', 'on feature']);
    const context = await readAndCompare(worktree, isolatedGitEnv(root));
    expect(context).toMatchObject({
      status: 'ok',
      worktreePath: worktree,
      gitCommonDir: join(repo, '.git'),
      gitDir: join(repo, '.git', 'worktrees', 'wt-feature'),
      branch: 'feature',
      isWorktree: true,
      worktreeName: 'wt-feature',
    });
    expect(context.head).toBe(git(worktree, ['rev-parse', 'HEAD']));
    expect(context.head).not.toBe(git(repo, ['rev-parse', 'HEAD']));
  });

  it('a submodule: its own HEAD, git dir inside the superproject', async () => {
    const root = tempRoot();
    const library = join(root, 'library');
    initRepo(library, 2);
    const app = join(root, 'app');
    initRepo(app, 1);
    git(app, ['submodule', 'add', '-q', library, 'vendor/library']);
    git(app, ['commit', '-q', '-m', 'add submodule']);
    const module = join(app, 'vendor', 'library');
    const context = await readAndCompare(module, isolatedGitEnv(root));
    expect(context).toMatchObject({
      status: 'ok',
      worktreePath: module,
      gitDir: join(app, '.git', 'modules', 'vendor', 'library'),
      isWorktree: false,
    });
    expect(context.head).toBe(git(library, ['rev-parse', 'HEAD']));
    const superproject = await readGitContext(app);
    expect(superproject.worktreePath).toBe(app);
    expect(superproject.head).not.toBe(context.head);
  });

  it('a bare repository, at its top and inside it', async () => {
    const root = tempRoot();
    const bare = join(root, 'origin.git');
    git(root, ['init', '-q', '--bare', bare]);
    const source = join(root, 'source');
    initRepo(source, 1);
    git(source, ['push', '-q', bare, 'main']);
    for (const cwd of [bare, join(bare, 'refs', 'heads')]) {
      const context = await readAndCompare(cwd, isolatedGitEnv(root));
      expect(context).toMatchObject({
        status: 'ok',
        isBare: true,
        worktreePath: null,
        worktreeRealpath: null,
        gitDir: bare,
        branch: 'main',
      });
      expect(context.head).toBe(git(source, ['rev-parse', 'HEAD']));
    }
  });

  it('a path with spaces and non-ASCII characters', async () => {
    const root = tempRoot();
    const repo = join(root, 'my repo — ünïcode 漢字');
    initRepo(repo, 1);
    const context = await readAndCompare(repo, isolatedGitEnv(root));
    expect(context.worktreePath).toBe(repo);
    expect(context.gitDir).toBe(join(repo, '.git'));
  });

  it.runIf(posix)(
    'a symlinked checkout keeps the path as reached and resolves the real one',
    async () => {
      const root = tempRoot();
      const repo = join(root, 'real-repo');
      initRepo(repo, 1);
      mkdirSync(join(repo, 'pkg'));
      const link = join(root, 'link-to-repo');
      symlinkSync(repo, link);
      const context = await readGitContext(join(link, 'pkg'));
      expect(context).toMatchObject({
        status: 'ok',
        source: 'direct',
        worktreePath: link,
        worktreeRealpath: repo,
        gitDir: join(repo, '.git'),
        branch: 'main',
      });
    },
  );

  it('a SHA-256 repository', async () => {
    const root = tempRoot();
    const repo = join(root, 'repo');
    git(root, ['init', '-q', '--object-format=sha256', repo]);
    git(repo, ['commit', '-q', '--allow-empty', '-m', 'first']);
    const context = await readAndCompare(repo, isolatedGitEnv(root));
    expect(context.head).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('readGitContext: not a repository', () => {
  it('a plain directory', async () => {
    const dir = join(tempRoot(), 'plain');
    mkdirSync(dir);
    const context = await readGitContext(dir);
    expect(context).toMatchObject({
      status: 'not_a_repo',
      errors: [],
      worktreePath: null,
      head: null,
    });
    expect((await readGitContext(dir, { strategy: 'git', env: isolatedGitEnv(dir) })).status).toBe(
      'not_a_repo',
    );
  });

  it('a missing directory, an empty path, a file', async () => {
    const root = tempRoot();
    expect((await readGitContext(join(root, 'missing'))).status).toBe('not_a_repo');
    expect((await readGitContext(join(root, 'missing'), { strategy: 'git' })).status).toBe(
      'not_a_repo',
    );
    expect((await readGitContext('')).status).toBe('not_a_repo');
    const file = join(root, 'file.txt');
    writeFileSync(file, 'x');
    expect(readGitContextSync(file).status).toBe('not_a_repo');
  });
});

describe('readGitContext: the git fallback', () => {
  /** A repository whose HEAD is a symbolic link (valid for git, not read directly). */
  function repoWithSymlinkHead(): { root: string; repo: string } {
    const root = tempRoot();
    const repo = join(root, 'repo');
    initRepo(repo, 1);
    rmSync(join(repo, '.git', 'HEAD'));
    symlinkSync('refs/heads/main', join(repo, '.git', 'HEAD'));
    return { root, repo };
  }

  it.runIf(posix)('asks git when HEAD is a symbolic link', async () => {
    const { root, repo } = repoWithSymlinkHead();
    const context = await readGitContext(repo, { env: isolatedGitEnv(root) });
    expect(context).toMatchObject({
      status: 'ok',
      source: 'git',
      worktreePath: repo,
      worktreeRealpath: repo,
      gitDir: join(repo, '.git'),
      branch: 'main',
      errors: [],
    });
    expect(context.head).toBe(git(repo, ['rev-parse', 'HEAD']));
  });

  it.runIf(posix)('without spawning, reports the location and why HEAD was not read', () => {
    const { repo } = repoWithSymlinkHead();
    const context = readGitContextSync(repo);
    expect(context).toMatchObject({
      status: 'partial',
      source: 'direct',
      worktreePath: repo,
      head: null,
    });
    expect(context.errors).toEqual(['direct read: HEAD is a symbolic link']);
  });

  it('asks git for a ref storage it does not read (extensions.refStorage)', async () => {
    const root = tempRoot();
    const repo = join(root, 'repo');
    initRepo(repo, 1);
    // Format version 0 makes git 2.39 ignore the extension; our reader must not guess.
    git(repo, ['config', 'extensions.refStorage', 'reftable']);
    const context = await readGitContext(repo, { env: isolatedGitEnv(root) });
    expect(context).toMatchObject({ status: 'ok', source: 'git', branch: 'main' });
    expect(context.head).toBe(git(repo, ['rev-parse', 'HEAD']));
  });

  it.runIf(posix)('a git that hangs is killed at the deadline, with an error entry', async () => {
    const { root, repo } = repoWithSymlinkHead();
    const bin = join(root, 'fake-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'git'), '#!/bin/sh\necho "fake git hangs" >&2\nexec sleep 30\n');
    chmodSync(join(bin, 'git'), 0o755);
    const env = { ...isolatedGitEnv(root), PATH: `${bin}:${process.env.PATH ?? ''}` };
    const context = await readGitContext(repo, { env, deadline: performance.now() + 300 });
    expect(context.status).toBe('partial');
    expect(context.worktreePath).toBe(repo);
    expect(context.head).toBeNull();
    expect(context.errors).toContain('direct read: HEAD is a symbolic link');
    expect(
      context.errors.some((error) =>
        /^git rev-parse -q --verify HEAD: timed out after \d+ms$/.test(error),
      ),
    ).toBe(true);
  });

  it.runIf(posix)('a git that fails reports its last stderr line, never throwing', async () => {
    const root = tempRoot();
    const bin = join(root, 'fake-bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'git'),
      '#!/bin/sh\necho "warning: noise" >&2\necho "fatal: broken on purpose" >&2\nexit 129\n',
    );
    chmodSync(join(bin, 'git'), 0o755);
    const cwd = join(root, 'dir');
    mkdirSync(cwd);
    const env = { ...isolatedGitEnv(root), PATH: `${bin}:${process.env.PATH ?? ''}` };
    const context = await readGitContext(cwd, { env, strategy: 'git' });
    expect(context.status).toBe('error');
    expect(context.errors).toContain('git symbolic-ref -q HEAD: fatal: broken on purpose');
  });

  it.runIf(posix)('a deadline already past spawns nothing', async () => {
    const { root, repo } = repoWithSymlinkHead();
    const context = await readGitContext(repo, {
      env: isolatedGitEnv(root),
      deadline: performance.now() - 1,
    });
    expect(context.status).toBe('partial');
    expect(context.errors).toContain('git symbolic-ref -q HEAD: deadline lapsed before spawn');
  });

  it.runIf(posix)('a missing git binary is an error entry', async () => {
    const { root, repo } = repoWithSymlinkHead();
    const context = await readGitContext(repo, {
      env: isolatedGitEnv(root),
      gitBinary: join(root, 'no-such-git'),
    });
    expect(context.status).toBe('partial');
    expect(context.errors).toContain('git rev-parse -q --verify HEAD: spawn failed: ENOENT');
  });

  it.runIf(posix)('never lets git stderr reach our own stderr', () => {
    const root = tempRoot();
    const bin = join(root, 'fake-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'git'), '#!/bin/sh\necho "fatal: LOUD GIT ERROR" >&2\nexit 128\n');
    chmodSync(join(bin, 'git'), 0o755);
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'test-support', 'git-context-child.ts'), root],
      {
        env: { ...isolatedGitEnv(root), PATH: `${bin}:${process.env.PATH ?? ''}` },
        encoding: 'utf8',
      },
    );
    expect(child.status).toBe(0);
    expect(child.stderr).toBe('');
    const context = JSON.parse(child.stdout) as GitContext;
    expect(context.errors).toContain('git symbolic-ref -q HEAD: fatal: LOUD GIT ERROR');
  });
});

describe('readGitContext: odd files', () => {
  it('a .git file that is not a gitdir pointer is an error, not a throw', async () => {
    const root = tempRoot();
    const dir = join(root, 'odd');
    mkdirSync(dir);
    writeFileSync(join(dir, '.git'), 'this is not a gitdir line\n');
    const sync = readGitContextSync(dir);
    expect(sync.status).toBe('error');
    expect(sync.errors[0]).toMatch(/^direct read: unrecognised /);
    const viaGit = await readGitContext(dir, { env: isolatedGitEnv(root) });
    expect(['error', 'not_a_repo']).toContain(viaGit.status);
  });

  it('a .git file pointing nowhere gives the location but no HEAD', () => {
    const root = tempRoot();
    const dir = join(root, 'dangling');
    mkdirSync(dir);
    writeFileSync(join(dir, '.git'), 'gitdir: ../gone/.git/worktrees/x\n');
    const context = readGitContextSync(dir);
    expect(context.status).toBe('partial');
    expect(context.worktreePath).toBe(dir);
    expect(context.head).toBeNull();
  });
});
