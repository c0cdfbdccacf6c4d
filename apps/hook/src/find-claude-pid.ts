import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How many processes the walk examines at most (the start process and its ancestors). */
export const DEFAULT_MAX_ANCESTORS = 8;

/** Longest wait for one `ps` call, in ms. */
const PS_TIMEOUT_MS = 250;

/** The process that runs the Claude session, and how it was found. */
export interface ClaudeProcess {
  readonly pid: number;
  /**
   * `env`: Claude Code named it in `CLAUDE_PID`; `registry`: it has `<claudeHome>/sessions/<pid>.json`;
   * `parent`: the fallback, the direct parent.
   */
  readonly via: 'env' | 'registry' | 'parent';
  /** Steps up from the start process (0 = the start process itself). */
  readonly depth: number;
}

/** Options of {@link findClaudePid}. */
export interface FindClaudePidOptions {
  /** Where the walk starts: the hook's direct parent (`process.ppid`). */
  readonly startPid: number;
  /**
   * `CLAUDE_PID` as parsed by the hook's settings: Claude Code's own pid (2.1.332+). When set it is
   * the answer, before any climbing (after an exit the registry file is already gone).
   */
  readonly claudePidEnv?: number | null;
  /** Claude's configuration directory (holds `sessions/<pid>.json` for each running session). */
  readonly claudeHome: string;
  /** Processes examined at most (default {@link DEFAULT_MAX_ANCESTORS}). */
  readonly maxDepth?: number;
  /** Absolute time on the monotonic clock (`performance.now()` ms) after which the walk stops climbing. */
  readonly deadline?: number;
  /** The parent pid of `pid`, or null when unknown (default {@link readParentPid}). */
  readonly readParent?: (pid: number) => number | null;
  /** Whether a file exists (default `fs.existsSync`). */
  readonly exists?: (path: string) => boolean;
  /** Monotonic clock (default `performance.now`). */
  readonly now?: () => number;
}

/**
 * The parent pid in the text of `/proc/<pid>/stat`, or null. The command name (second field) is
 * in parentheses and may itself hold spaces and parentheses, so fields are read after the last `)`.
 */
export function parseProcStat(text: string): number | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const ppid = Number(fields[1]);
  return Number.isSafeInteger(ppid) && ppid >= 0 ? ppid : null;
}

/**
 * The parent pid of `pid`: from `/proc/<pid>/stat` on Linux, else from `ps -o ppid= -p <pid>`.
 * Null when it cannot be read. Never throws, never prints.
 */
export function readParentPid(pid: number): number | null {
  try {
    if (process.platform === 'linux')
      return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    if (process.platform === 'win32') return null;
    // Loaded here: only platforms without /proc run ps, and child_process costs ms at start.
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    const out = execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: PS_TIMEOUT_MS,
      windowsHide: true,
    });
    const ppid = Number(out.trim());
    return out.trim().length > 0 && Number.isSafeInteger(ppid) && ppid >= 0 ? ppid : null;
  } catch {
    return null;
  }
}

/**
 * Find the Claude Code process that runs this hook. `CLAUDE_PID`, where Claude Code sets it, names
 * it directly. Otherwise Claude may have started the hook through a shell, so the walk climbs from `startPid` through at most `maxDepth` processes to the nearest one that has
 * `<claudeHome>/sessions/<pid>.json` (Claude's registry of running sessions); when none has, the
 * answer is `startPid` itself. Null only when `startPid` is not a usable pid. Never throws.
 */
export function findClaudePid(options: FindClaudePidOptions): ClaudeProcess | null {
  const { startPid, claudeHome, claudePidEnv } = options;
  if (typeof claudePidEnv === 'number' && Number.isSafeInteger(claudePidEnv) && claudePidEnv > 0)
    return { pid: claudePidEnv, via: 'env', depth: 0 };
  if (!Number.isSafeInteger(startPid) || startPid <= 0) return null;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_ANCESTORS;
  const readParent = options.readParent ?? readParentPid;
  const exists = options.exists ?? existsSync;
  const now = options.now ?? (() => performance.now());
  const registry = join(claudeHome, 'sessions');
  const seen = new Set<number>();

  let pid = startPid;
  for (let depth = 0; depth < maxDepth; depth += 1) {
    seen.add(pid);
    try {
      if (exists(join(registry, `${pid}.json`))) return { pid, via: 'registry', depth };
    } catch {
      // an unreadable registry is the same as no registry
    }
    if (options.deadline !== undefined && now() >= options.deadline) break;
    let parent: number | null;
    try {
      parent = readParent(pid);
    } catch {
      parent = null;
    }
    if (parent === null || parent < 1 || seen.has(parent)) break;
    pid = parent;
  }
  return { pid: startPid, via: 'parent', depth: 0 };
}
