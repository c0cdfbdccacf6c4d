// An interactive Claude Code session in a detached tmux server of its own (its socket lives in
// the world's directory, so nothing of the user's tmux is touched).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import type { ClientWorld } from './claude-client.js';

/** One tmux-driven session. */
export interface TmuxSession {
  /** Type `text` and press Enter. */
  submit(text: string): void;
  /** The visible screen. */
  screen(): string;
  /** Wait until `predicate` holds (polls the screen; fails after `timeoutMs`). */
  waitFor(what: string, predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Whether the pane's process is still running. */
  alive(): boolean;
  /** Kill the tmux server. */
  kill(): void;
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** Start `claude` interactively in tmux inside the world's project. */
export function startTmuxClaude(world: ClientWorld): TmuxSession {
  const socket = join(world.root, 'tmux.sock');
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-S', socket, ...args], {
      encoding: 'utf8',
      env: world.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const exports = Object.entries(world.env)
    .map(([key, value]) => `${key}=${quote(value)}`)
    .join(' ');
  const command = `cd ${quote(world.project)} && env ${exports} ${[world.claude, ...world.claudeArgs].map(quote).join(' ')}`;
  tmux('new-session', '-d', '-s', 'claude', '-x', '160', '-y', '50', 'sh', '-c', command);
  const session: TmuxSession = {
    submit(text) {
      tmux('send-keys', '-t', 'claude', '-l', text);
      tmux('send-keys', '-t', 'claude', 'Enter');
    },
    screen: () => tmux('capture-pane', '-p', '-t', 'claude'),
    async waitFor(what, predicate, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; screen:\n${session.screen()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    alive() {
      try {
        tmux('has-session', '-t', 'claude');
        return true;
      } catch {
        return false;
      }
    },
    kill() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
  return session;
}
