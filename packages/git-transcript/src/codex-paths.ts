import { basename, join } from 'node:path';
import { userHome } from './claude-paths.js';
import { nonEmptyString } from './record-fields.js';

/** The environment variables {@link resolveCodexHome} reads. */
export interface CodexHomeEnv {
  readonly CODEX_HOME?: string | undefined;
  readonly HOME?: string | undefined;
}

/**
 * Codex CLI's home: `$CODEX_HOME` when set and non-empty, else `<home>/.codex` where home is
 * `$HOME` when set and non-empty, else `os.homedir()`.
 */
export function resolveCodexHome(env: CodexHomeEnv = process.env): string {
  return nonEmptyString(env.CODEX_HOME) ?? join(userHome(env), '.codex');
}

/** `<codexHome>/sessions`: active rollouts under `YYYY/MM/DD/`. */
export function codexSessionsRoot(codexHome: string): string {
  return join(codexHome, 'sessions');
}

/** `<codexHome>/archived_sessions`: archived rollouts, flat. */
export function codexArchivedRoot(codexHome: string): string {
  return join(codexHome, 'archived_sessions');
}

/** `<codexHome>/session_index.jsonl`: thread names, append-only. */
export function codexSessionIndexPath(codexHome: string): string {
  return join(codexHome, 'session_index.jsonl');
}

/** `rollout-<YYYY-MM-DDTHH-MM-SS>-<thread id>.jsonl`, optionally zstd-compressed (`.jsonl.zst`). */
const ROLLOUT_NAME =
  /^rollout-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.jsonl(\.zst)?$/;

/** What a rollout file name says: its thread id and whether it is compressed; `null` for other names. */
export function parseRolloutName(
  name: string,
): { readonly threadId: string; readonly compressed: boolean } | null {
  const match = ROLLOUT_NAME.exec(basename(name));
  if (match === null || match[1] === undefined) return null;
  return { threadId: match[1].toLowerCase(), compressed: match[2] !== undefined };
}
