import { accessSync, constants, existsSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { HookCommandInfo } from '../cli-deps.js';

/** The command written when the hook package cannot be found: the binary on `PATH`. */
export const FALLBACK_HOOK_COMMAND = 'sessions-db-hook';

const HOOK_PACKAGE = ['node_modules', '@sessions-db', 'hook'] as const;

function binOf(packageJson: unknown): string | null {
  if (typeof packageJson !== 'object' || packageJson === null) return null;
  const bin = (packageJson as { bin?: unknown }).bin;
  if (typeof bin === 'string') return bin;
  if (typeof bin === 'object' && bin !== null) {
    const named = (bin as Record<string, unknown>)['sessions-db-hook'];
    if (typeof named === 'string') return named;
  }
  return null;
}

/**
 * The default hook command: `node "<absolute path of the hook binary>"` when the
 * `@sessions-db/hook` package is found in a `node_modules` above `fromDir` (as Node resolves
 * packages), else `sessions-db-hook` (expected on `PATH`). Never throws.
 */
export function resolveHookCommand(fromDir: string): HookCommandInfo {
  let dir = fromDir;
  for (;;) {
    const packageDir = join(dir, ...HOOK_PACKAGE);
    const manifest = join(packageDir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const bin = binOf(JSON.parse(readFileSync(manifest, 'utf8')) as unknown);
        if (bin !== null) {
          const binPath = join(realpathSync(packageDir), bin);
          return { command: `node "${binPath}"`, binPath };
        }
      } catch {
        // an unreadable manifest: keep looking further up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return { command: FALLBACK_HOOK_COMMAND, binPath: null };
    dir = parent;
  }
}

/** What a hook command runs, and whether that exists. */
export interface CommandTarget {
  /** The script or executable the command runs; `null` when it could not be told. */
  readonly path: string | null;
  readonly exists: boolean;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The target of a hook command: the script of `node "<path>"` / `node <path>`, else the first word
 * (a path, or a name looked up on `PATH`). Never throws.
 */
export function commandTarget(
  command: string,
  env: Readonly<Record<string, string | undefined>>,
): CommandTarget {
  const script = /^\s*node\s+(?:"([^"]+)"|'([^']+)'|(\S+))/.exec(command);
  if (script !== null) {
    const path = script[1] ?? script[2] ?? script[3] ?? null;
    return { path, exists: path !== null && existsSync(path) };
  }
  const word = /^\s*(?:"([^"]+)"|'([^']+)'|(\S+))/.exec(command);
  const first = word === null ? null : (word[1] ?? word[2] ?? word[3] ?? null);
  if (first === null) return { path: null, exists: false };
  if (isAbsolute(first) || first.includes('/')) return { path: first, exists: existsSync(first) };
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, first);
    if (existsSync(candidate) && isExecutable(candidate)) return { path: candidate, exists: true };
  }
  return { path: first, exists: false };
}

/** A word for a POSIX shell: as it is when it holds only safe characters, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The hook command with the store it records into: `<command> --store <dir>` (the hook reads its
 * `--store` before the environment, so the sessions land where the user chose whatever Claude
 * Code's environment says). A command that already names a store is left as it is.
 */
export function commandWithStore(command: string, storeDir: string): string {
  if (/(^|\s)--store(=|\s)/.test(command)) return command;
  return `${command} --store ${shellWord(storeDir)}`;
}

/** The store a hook command names with `--store`, or null. */
export function storeOfCommand(command: string): string | null {
  const match = /(?:^|\s)--store(?:=|\s+)(?:'((?:[^']|'\\'')*)'|"([^"]*)"|(\S+))/.exec(command);
  if (match === null) return null;
  if (match[1] !== undefined) return match[1].replace(/'\\''/g, "'");
  return match[2] ?? match[3] ?? null;
}
