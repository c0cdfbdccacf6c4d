// A program run in a real pseudo-terminal: a detached tmux server of its own (its socket in the
// test's directory, so nothing of the user's tmux is touched), driven with send-keys and read
// with capture-pane.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '@sessions-db/event-log';

/** One program running in a tmux pane. */
export interface TmuxPane {
  /** Press keys by tmux name (`Enter`, `Escape`, `Up`, `C-c`) or as single characters. */
  keys(...names: string[]): void;
  /** Type `text` literally. */
  type(text: string): void;
  /** The visible screen as text; with `escapes`, the colour and style sequences too. */
  screen(options?: { readonly escapes?: boolean }): string;
  /** Resize the terminal. */
  resize(columns: number, rows: number): void;
  /** Wait until the screen satisfies `predicate` (polls; fails with the screen after `timeoutMs`). */
  waitForScreen(
    what: string,
    predicate: (screen: string) => boolean,
    timeoutMs?: number,
  ): Promise<string>;
  /** Wait until the program has exited; its exit status. */
  waitForExit(timeoutMs?: number): Promise<number>;
  /** Stop the tmux server (and the program, if still running). */
  kill(): void;
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

async function poll<T>(
  what: string,
  probe: () => T | undefined,
  timeoutMs: number,
  detail: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `root` and every process under it (Linux's /proc; just `root` where it cannot be read). */
function processTree(root: number): number[] {
  if (!Number.isInteger(root) || root <= 0) return [];
  const pids = [root];
  for (let index = 0; index < pids.length; index += 1) {
    const pid = pids[index];
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.trim().split(/\s+/)) if (child !== '') pids.push(Number(child));
  }
  return pids;
}

/** Whether `pid` is still running (a zombie, ended but not yet reaped, is not). */
function running(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    // The state follows the command name in parentheses: `pid (comm) S ...`.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** Block until none of `pids` runs, or `timeoutMs` has passed. */
function waitUntilGone(pids: readonly number[], timeoutMs: number): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (pids.some(running) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20);
}

/**
 * Start `argv` in `cwd` with exactly `env` (plus `TERM`) in a `columns`×`rows` tmux pane; `dir` holds
 * the socket and the file the exit status is written to.
 */
export function startInTmux(options: {
  readonly dir: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly columns: number;
  readonly rows: number;
}): TmuxPane {
  const socket = join(options.dir, 'tmux.sock');
  const statusFile = join(options.dir, 'exit-status');
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-S', socket, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm-256color' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const env = Object.entries({ TERM: 'xterm-256color', ...options.env })
    .map(([key, value]) => `${key}=${quote(value)}`)
    .join(' ');
  const command = `cd ${quote(options.cwd)} && env -i ${env} ${options.argv.map(quote).join(' ')}; echo $? > ${quote(statusFile)}; sleep 600`;
  tmux(
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    '-s',
    'app',
    '-x',
    String(options.columns),
    '-y',
    String(options.rows),
    'sh',
    '-c',
    command,
  );
  const pane: TmuxPane = {
    keys: (...names) => {
      for (const name of names) tmux('send-keys', '-t', 'app', name);
    },
    type: (text) => {
      tmux('send-keys', '-t', 'app', '-l', '--', text);
    },
    screen: (screenOptions = {}) =>
      tmux('capture-pane', '-p', ...(screenOptions.escapes === true ? ['-e'] : []), '-t', 'app'),
    resize: (columns, rows) => {
      tmux('resize-window', '-t', 'app', '-x', String(columns), '-y', String(rows));
    },
    waitForScreen: (what, predicate, timeoutMs = 60_000) =>
      poll(
        what,
        () => {
          const screen = pane.screen();
          return predicate(screen) ? screen : undefined;
        },
        timeoutMs,
        () => `screen:\n${pane.screen()}`,
      ),
    waitForExit: (timeoutMs = 60_000) =>
      poll(
        'the program to exit',
        () => {
          if (!existsSync(statusFile)) return undefined;
          const text = readFileSync(statusFile, 'utf8').trim();
          return text === '' ? undefined : Number(text);
        },
        timeoutMs,
        () => `screen:\n${pane.screen()}`,
      ),
    kill: () => {
      let processes: number[] = [];
      try {
        processes = processTree(Number(tmux('list-panes', '-t', 'app', '-F', '#{pane_pid}')));
        tmux('kill-server');
      } catch {
        // already gone
      }
      // The program ends on the hang-up a moment later; until then it may still hold the store's
      // files open (an index's -wal and -shm), which the next test would see.
      waitUntilGone(processes, 10_000);
    },
  };
  return pane;
}
