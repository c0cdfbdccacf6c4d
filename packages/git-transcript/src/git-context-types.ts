/**
 * How reading git facts went:
 * - `ok`: every fact that applies was read;
 * - `partial`: some facts are missing, and `errors` says why;
 * - `not_a_repo`: `cwd` is not inside a git repository, or does not exist (not an error);
 * - `error`: nothing could be read.
 */
export type GitContextStatus = 'ok' | 'partial' | 'not_a_repo' | 'error';

/** Where the facts came from: `.git` files read directly, or the `git` fallback. */
export type GitContextSource = 'direct' | 'git';

/** Git facts about a working directory (docs/claude-code.md#git-facts without the Druumen worktree registry). */
export interface GitContext {
  readonly status: GitContextStatus;
  /** The directory asked about, made absolute. */
  readonly cwd: string;
  /** Top of the working tree as reached from `cwd` (symlinks kept); `null` when bare. */
  readonly worktreePath: string | null;
  /** `realpath` of `worktreePath`. */
  readonly worktreeRealpath: string | null;
  /** The common git directory (shared by linked worktrees), realpath'd when possible. */
  readonly gitCommonDir: string | null;
  /** This worktree's own git directory, realpath'd when possible. */
  readonly gitDir: string | null;
  /** Current branch short name (`main`); `null` when detached or unknown. */
  readonly branch: string | null;
  /** Commit id (40 or 64 lowercase hex) of HEAD; `null` on an unborn branch or when unknown. */
  readonly head: string | null;
  /** True in a linked worktree (`git worktree add`). */
  readonly isWorktree: boolean;
  /** Name of the linked worktree (basename of its git dir under `worktrees/`). */
  readonly worktreeName: string | null;
  /** True when `cwd` is inside a bare repository. */
  readonly isBare: boolean;
  /** `direct` when read from `.git` files, `git` when the fallback ran, `null` when neither. */
  readonly source: GitContextSource | null;
  /** One-line diagnostics; non-empty whenever status is `partial` or `error`. */
  readonly errors: string[];
}

/** Options of `readGitContext` and `readGitContextSync`. */
export interface ReadGitContextOptions {
  /** Time on the monotonic clock (`performance.now()` ms) by which the fallback must be done (default: 1500 ms from the call). */
  readonly deadline?: number;
  /**
   * `auto` (default): read `.git` directly, spawn `git` only when that fails; `direct`: never
   * spawn; `git`: always ask `git` (for comparison and tests).
   */
  readonly strategy?: 'auto' | 'direct' | 'git';
  /** Environment of the `git` child (default `process.env`); its `PATH` finds `git`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The git executable (default `git`, looked up on `PATH`). */
  readonly gitBinary?: string;
}
