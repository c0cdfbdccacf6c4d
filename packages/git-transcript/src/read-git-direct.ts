import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isGitTrue, parseGitConfig } from './git-config.js';
import { errorCode, errorMessage } from './read-window.js';

/** Where the repository of a directory lives, found by walking up from it. */
export interface GitLocation {
  /** Top of the working tree as reached from cwd; `null` for bare repos and inside a git dir. */
  readonly worktreePath: string | null;
  readonly gitDir: string;
  readonly gitCommonDir: string;
  readonly isWorktree: boolean;
  readonly worktreeName: string | null;
  readonly isBare: boolean;
}

/** What HEAD says. */
export interface GitHeadFacts {
  readonly branch: string | null;
  readonly head: string | null;
}

/** Result of {@link readGitDirect}. */
export type DirectGitResult =
  | { readonly kind: 'not_a_repo' }
  | { readonly kind: 'ok'; readonly location: GitLocation; readonly facts: GitHeadFacts }
  /** The files are in a form this reader does not parse: ask `git`. */
  | { readonly kind: 'fallback'; readonly location: GitLocation | null; readonly reason: string };

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const MAX_SYMREF_DEPTH = 5;

/** Thrown inside this module when the files hold something we do not parse. */
class UnsupportedGitLayout extends Error {
  readonly code = 'GIT_UNSUPPORTED_LAYOUT';
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/** The text of a file, or `null` when it does not exist (or is a directory). */
function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
    throw new UnsupportedGitLayout(`cannot read ${path}: ${errorMessage(error)}`, { cause: error });
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** git's own test for a git directory: `HEAD`, and `objects/` + `refs/` or a `commondir` file. */
function isGitDirectory(dir: string): boolean {
  if (statOrNull(join(dir, 'HEAD'))?.isFile() !== true) return false;
  if (statOrNull(join(dir, 'commondir'))?.isFile() === true) return true;
  return (
    statOrNull(join(dir, 'objects'))?.isDirectory() === true &&
    statOrNull(join(dir, 'refs'))?.isDirectory() === true
  );
}

type Discovery =
  | { readonly kind: 'dot_git'; readonly top: string; readonly gitDir: string }
  | { readonly kind: 'git_dir'; readonly gitDir: string }
  | { readonly kind: 'none' };

/** Walk up from `start` to the first `.git` (directory or `gitdir:` file) or git directory. */
function discover(start: string): Discovery {
  let dir = start;
  for (;;) {
    const dotGit = join(dir, '.git');
    const stat = statOrNull(dotGit);
    if (stat?.isDirectory() === true && isGitDirectory(dotGit)) {
      return { kind: 'dot_git', top: dir, gitDir: dotGit };
    }
    if (stat?.isFile() === true) {
      const text = readTextOrNull(dotGit) ?? '';
      const match = /^gitdir:\s*(.+?)\s*$/m.exec(text);
      if (match?.[1] === undefined) throw new UnsupportedGitLayout(`unrecognised ${dotGit}`);
      return { kind: 'dot_git', top: dir, gitDir: resolve(dir, match[1]) };
    }
    if (isGitDirectory(dir)) return { kind: 'git_dir', gitDir: dir };
    const parent = dirname(dir);
    if (parent === dir) return { kind: 'none' };
    dir = parent;
  }
}

function locate(discovery: Exclude<Discovery, { kind: 'none' }>): {
  location: GitLocation;
  config: Map<string, string>;
} {
  const gitDir = discovery.gitDir;
  const commondir = readTextOrNull(join(gitDir, 'commondir'));
  const commonDir = commondir === null ? gitDir : resolve(gitDir, commondir.trim());
  const gitDirReal = realpathOr(gitDir);
  const commonDirReal = realpathOr(commonDir);
  const isWorktree = commondir !== null && gitDirReal !== commonDirReal;
  const config = parseGitConfig(readTextOrNull(join(commonDir, 'config')) ?? '');
  const isBare = !isWorktree && isGitTrue(config.get('core.bare'));
  let worktreePath: string | null = null;
  if (discovery.kind === 'dot_git' && !isBare) worktreePath = discovery.top;
  return {
    location: {
      worktreePath,
      gitDir: gitDirReal,
      gitCommonDir: commonDirReal,
      isWorktree,
      worktreeName: isWorktree ? basename(gitDir) : null,
      isBare,
    },
    config,
  };
}

/** Refs that live in each worktree's own git dir rather than in the common dir. */
function isPerWorktreeRef(ref: string): boolean {
  return /^refs\/(?:worktree|bisect|rewritten)\//.test(ref);
}

/** The commit a ref points at, `null` when it does not exist (unborn branch). */
function resolveRef(ref: string, location: GitLocation, depth = 0): string | null {
  if (depth > MAX_SYMREF_DEPTH) throw new UnsupportedGitLayout(`symbolic ref loop at ${ref}`);
  if (!ref.startsWith('refs/') || ref.split('/').includes('..')) {
    throw new UnsupportedGitLayout(`unexpected ref name ${JSON.stringify(ref)}`);
  }
  const dir = isPerWorktreeRef(ref) ? location.gitDir : location.gitCommonDir;
  const loosePath = join(dir, ref);
  let isLink = false;
  try {
    isLink = lstatSync(loosePath).isSymbolicLink();
  } catch {
    // Missing: look in packed-refs below.
  }
  if (isLink) throw new UnsupportedGitLayout(`${ref} is a symbolic link`);
  const loose = readTextOrNull(loosePath);
  if (loose !== null) {
    const value = loose.trim();
    if (SHA.test(value)) return value.toLowerCase();
    const symref = /^ref:\s*(\S+)$/.exec(value);
    if (symref?.[1] !== undefined) return resolveRef(symref[1], location, depth + 1);
    throw new UnsupportedGitLayout(`unrecognised content in ${loosePath}`);
  }
  const packed = readTextOrNull(join(location.gitCommonDir, 'packed-refs'));
  return packed === null ? null : findPackedRef(packed, ref);
}

/** The id of `ref` in the text of `packed-refs` (peel lines `^…` are skipped), or `null`. */
export function findPackedRef(packed: string, ref: string): string | null {
  const needle = ` ${ref}`;
  let from = 0;
  for (;;) {
    const at = packed.indexOf(needle, from);
    if (at === -1) return null;
    from = at + needle.length;
    const after = packed.charCodeAt(from);
    // The name must end the line (`\n`, `\r\n`, or the end of the file).
    if (!(Number.isNaN(after) || after === 0x0a || after === 0x0d)) continue;
    const lineStart = packed.lastIndexOf('\n', at) + 1;
    const id = packed.slice(lineStart, at);
    if (SHA.test(id)) return id.toLowerCase();
  }
}

function readHead(location: GitLocation): GitHeadFacts {
  const headPath = join(location.gitDir, 'HEAD');
  let isLink = false;
  try {
    isLink = lstatSync(headPath).isSymbolicLink();
  } catch (error) {
    throw new UnsupportedGitLayout(`cannot stat ${headPath}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  if (isLink) throw new UnsupportedGitLayout('HEAD is a symbolic link');
  const text = readTextOrNull(headPath);
  if (text === null) throw new UnsupportedGitLayout(`no ${headPath}`);
  const value = text.trim();
  if (SHA.test(value)) return { branch: null, head: value.toLowerCase() };
  const symref = /^ref:\s*(\S+)$/.exec(value);
  if (symref?.[1] === undefined) throw new UnsupportedGitLayout('unrecognised HEAD');
  const ref = symref[1];
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
  return { branch, head: resolveRef(ref, location) };
}

/**
 * Read git facts for `cwd` straight from the `.git` files: no child process. Returns
 * `fallback` (never throws) when the repository uses a format this reader does not parse
 * (reftable, symlinked refs, unreadable files…).
 */
export function readGitDirect(cwd: string): DirectGitResult {
  let location: GitLocation | null = null;
  try {
    if (statOrNull(cwd)?.isDirectory() !== true) return { kind: 'not_a_repo' };
    const discovery = discover(cwd);
    if (discovery.kind === 'none') return { kind: 'not_a_repo' };
    const located = locate(discovery);
    location = located.location;
    const refStorage = located.config.get('extensions.refstorage');
    if (refStorage !== undefined && refStorage.toLowerCase() !== 'files') {
      return { kind: 'fallback', location, reason: `ref storage "${refStorage}"` };
    }
    return { kind: 'ok', location, facts: readHead(location) };
  } catch (error) {
    return { kind: 'fallback', location, reason: errorMessage(error) };
  }
}
