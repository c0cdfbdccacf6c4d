/**
 * The background content indexer the hook starts after a SessionEnd (docs/hook.md#content): a
 * detached, low-priority process that archives and indexes the session's transcripts, so content
 * work never runs inside Claude Code's SessionEnd budget. The hook only starts it.
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { isEnvFlagOff } from '@sessions-db/store/env';

import type { HookEnvSource } from './hook-env.js';

/** The indexer's script beside the hook's bundle (`dist/index-content.cjs`). */
export function contentIndexerScript(): string {
  return fileURLToPath(new URL('./index-content.cjs', import.meta.url));
}

/**
 * Start the indexer for one session of the store in `storeDir`, detached from the hook (it
 * outlives it, its output goes nowhere) and unreferenced. `SESSIONS_DB_INDEX_CONTENT=0` turns it
 * off. Never throws.
 *
 * @returns whether a process was started.
 */
export function startContentIndexer(options: {
  readonly storeDir: string;
  readonly claudeSessionId: string;
  readonly env: HookEnvSource;
  readonly script?: string;
}): boolean {
  if (isEnvFlagOff(options.env['SESSIONS_DB_INDEX_CONTENT'])) return false;
  const script = options.script ?? contentIndexerScript();
  if (!existsSync(script)) return false;
  try {
    // Loaded here: only a SessionEnd starts a process.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(
      process.execPath,
      [script, '--store', options.storeDir, '--session', options.claudeSessionId],
      { detached: true, stdio: 'ignore', env: { ...options.env } },
    );
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** `--store DIR --session CSID`, or null when either is missing. */
export function parseIndexerArgs(
  argv: readonly string[],
): { readonly store: string; readonly session: string } | null {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at < 0 ? undefined : argv[at + 1];
  };
  const store = value('--store');
  const session = value('--session');
  return store === undefined || session === undefined || store === '' || session === ''
    ? null
    : { store, session };
}
