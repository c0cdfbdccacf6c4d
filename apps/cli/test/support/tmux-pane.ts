// A program run in a real pseudo-terminal: a detached tmux server of its own (its socket in the
// test's directory, so nothing of the user's tmux is touched), driven with send-keys and read
// with capture-pane.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
  return pane;
}
