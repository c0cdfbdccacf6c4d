import type { ChildProcess } from 'node:child_process';

/** Outcome of one `git` run. */
export type GitRun =
  | {
      readonly kind: 'exited';
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      readonly stdout: string;
      readonly stderr: string;
    }
  | { readonly kind: 'failed'; readonly error: string };

/** Options of {@link runGit}. */
export interface RunGitOptions {
  readonly cwd: string;
  readonly deadline: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly gitBinary: string;
}

/** A child is not started when less than this is left before the deadline (docs/claude-code.md#git-facts). */
const MIN_SPAWN_MS = 25;
/** Grace between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 50;
/** Output kept per stream; rev-parse answers are a few lines. */
const MAX_OUTPUT_CHARS = 64 * 1024;

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').trim().slice(0, 120);
}

/** The one-line diagnostic for a run that did not succeed (docs/claude-code.md#git-facts wording). */
export function describeGitFailure(args: readonly string[], run: GitRun): string {
  const label = `git ${args.join(' ')}`;
  if (run.kind === 'failed') return `${label}: ${run.error}`;
  if (run.signal !== null) return `${label}: killed by ${run.signal}`;
  const detail = lastLine(run.stderr);
  return `${label}: ${detail === '' ? `exit code ${String(run.code)}` : detail}`;
}

/**
 * Run `git <args>` in `cwd` with stdin ignored, stdout and stderr captured (never inherited),
 * `GIT_OPTIONAL_LOCKS=0`, and the deadline as a hard limit: when it lapses the child (its whole
 * process group on POSIX) gets SIGTERM, then SIGKILL, and the promise settles at once. Never
 * rejects.
 */
export async function runGit(args: readonly string[], options: RunGitOptions): Promise<GitRun> {
  if (options.deadline - performance.now() <= MIN_SPAWN_MS) {
    return { kind: 'failed', error: 'deadline lapsed before spawn' };
  }
  // Loaded on demand: git is only a fallback, and the hook should not pay for child_process.
  const { spawn } = process.getBuiltinModule('node:child_process');
  const remaining = Math.floor(options.deadline - performance.now());
  return new Promise((resolvePromise) => {
    let settled = false;
    const settle = (run: GitRun): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(run);
    };
    const posix = process.platform !== 'win32';
    let child: ChildProcess;
    try {
      child = spawn(options.gitBinary, [...args], {
        cwd: options.cwd,
        env: { ...options.env, GIT_OPTIONAL_LOCKS: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so a timeout also ends whatever the child started.
        detached: posix,
        windowsHide: true,
      });
    } catch (error) {
      resolvePromise({ kind: 'failed', error: `spawn failed: ${String(error)}` });
      return;
    }
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (posix && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS).unref();
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
      settle({ kind: 'failed', error: `timed out after ${remaining}ms` });
    }, remaining);
    timer.unref();

    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT_CHARS) stdout += chunk;
    });
    child.stderr?.on('data', (chunk: string) => {
      if (stderr.length < MAX_OUTPUT_CHARS) stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      settle({ kind: 'failed', error: `spawn failed: ${error.code ?? error.message}` });
    });
    // `close` fires after stdout and stderr have drained (reading on `exit` can lose output).
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      settle({ kind: 'exited', code, signal, stdout, stderr });
    });
  });
}
