import { homedir } from 'node:os';
import { join } from 'node:path';
import { nonEmptyString } from './record-fields.js';

/** Longest project directory name before Claude Code cuts it and appends a hash. */
export const MAX_PROJECT_DIR_CHARS = 200;

/** Java-style 32-bit string hash over UTF-16 code units (`h = 31·h + c`, wrapping). */
function hashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i += 1) {
    hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  }
  return hash;
}

/**
 * The name Claude Code gives the project directory of `cwd` under `projects/`: every UTF-16 code
 * unit that is not `[A-Za-z0-9]` becomes `-` (so `/Users/foo/.config/app` →
 * `-Users-foo--config-app`). A name longer than 200 characters is cut to 200 and `-<hash>` is
 * appended; Claude Code's hash is undocumented, so this long-name form is best-effort
 * (`findTranscript` falls back to an exact file-name scan and never depends on it). Never throws.
 */
export function encodeProjectDir(cwd: string): string {
  const text = typeof cwd === 'string' ? cwd : String(cwd);
  const encoded = text.replace(/[^a-zA-Z0-9]/g, '-');
  if (encoded.length <= MAX_PROJECT_DIR_CHARS) return encoded;
  return `${encoded.slice(0, MAX_PROJECT_DIR_CHARS)}-${Math.abs(hashCode(text)).toString(36)}`;
}

/** The environment variables {@link resolveClaudeHome} reads. */
export interface ClaudeHomeEnv {
  readonly CLAUDE_CONFIG_DIR?: string | undefined;
  readonly HOME?: string | undefined;
}

/**
 * Claude Code's configuration directory: `$CLAUDE_CONFIG_DIR` when set and non-empty, else
 * `<home>/.claude` where home is `$HOME` when set and non-empty, else `os.homedir()`.
 */
export function resolveClaudeHome(env: ClaudeHomeEnv = process.env): string {
  return nonEmptyString(env.CLAUDE_CONFIG_DIR) ?? join(userHome(env), '.claude');
}

/**
 * Claude Code's global configuration file (user and local MCP servers, per-project state):
 * `$CLAUDE_CONFIG_DIR/.claude.json` when that is set and non-empty, else `<home>/.claude.json`
 * (measured on 2.1.332: `claude mcp add --scope user|local` writes there).
 */
export function resolveClaudeConfigFile(env: ClaudeHomeEnv = process.env): string {
  return join(nonEmptyString(env.CLAUDE_CONFIG_DIR) ?? userHome(env), '.claude.json');
}

/** The user's home: `$HOME` when set and non-empty, else `os.homedir()`. */
export function userHome(env: { readonly HOME?: string | undefined }): string {
  return nonEmptyString(env.HOME) ?? homedir();
}

/** `<claudeHome>/projects`, where Claude Code keeps one directory per working directory. */
export function projectsRoot(claudeHome: string): string {
  return join(claudeHome, 'projects');
}

/** `<claudeHome>/projects/<encodeProjectDir(cwd)>`: the directory Claude Code names after `cwd`. */
export function projectDirOf(claudeHome: string, cwd: string): string {
  return join(projectsRoot(claudeHome), encodeProjectDir(cwd));
}
