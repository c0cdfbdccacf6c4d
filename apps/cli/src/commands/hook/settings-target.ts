import { join, resolve } from 'node:path';
import { stringArg } from '../../args.js';
import { CliError, usageError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import type { CommandOutput, ParsedArgs } from '../../command-spec.js';
import { DEFAULT_COMMAND_MARKERS, SettingsShapeError } from '../../hook-settings/hook-entries.js';
import {
  readSettingsFile,
  writeBackup,
  writeSettingsFile,
} from '../../hook-settings/settings-file.js';
import type { SettingsScope } from '../../hook-settings/settings-locations.js';
import { SETTINGS_SCOPES, settingsPathFor } from '../../hook-settings/settings-locations.js';
import {
  DEFAULT_SETTINGS_FORMAT,
  formatSettings,
  parseSettingsText,
} from '../../hook-settings/settings-text.js';
import type { SettingsFormat } from '../../hook-settings/settings-text.js';

/** The settings file a `hook` command works on. */
export interface SettingsTarget {
  /** `codex`: Codex CLI's `$CODEX_HOME/hooks.json` (same shape as Claude Code's `hooks`). */
  readonly scope: SettingsScope | 'file' | 'codex';
  readonly path: string;
}

/**
 * The file named by `--settings`, else Codex CLI's `hooks.json` for `--agent codex`
 * (docs/agents-codex.md#hooks), else Claude Code's settings of `--scope` (default `user`).
 *
 * @throws CliError (exit 2) on an unknown scope, or `--scope` with `--agent codex`.
 */
export async function settingsTargetOf(
  args: ParsedArgs,
  context: CommandContext,
): Promise<SettingsTarget> {
  const settings = stringArg(args, 'settings');
  if (settings !== undefined) return { scope: 'file', path: resolve(context.deps.cwd, settings) };
  if (stringArg(args, 'agent') === 'codex') {
    if (stringArg(args, 'scope') !== undefined)
      throw usageError('--scope is for Claude Code settings; Codex hooks live in its hooks.json');
    const { resolveCodexHome } = await import('@sessions-db/git-transcript');
    return { scope: 'codex', path: join(resolveCodexHome(context.deps.env), 'hooks.json') };
  }
  const scope = stringArg(args, 'scope') ?? 'user';
  if (!(SETTINGS_SCOPES as readonly string[]).includes(scope)) {
    throw usageError(`--scope must be one of: ${SETTINGS_SCOPES.join(', ')}`);
  }
  const { resolveClaudeHome } = await import('@sessions-db/git-transcript');
  return {
    scope: scope as SettingsScope,
    path: settingsPathFor(scope as SettingsScope, {
      claudeHome: resolveClaudeHome(context.deps.env),
      cwd: context.deps.cwd,
    }),
  };
}

/** A settings file as loaded for editing. */
export interface LoadedSettings {
  readonly exists: boolean;
  readonly value: unknown;
  readonly format: SettingsFormat;
  readonly mode: number;
}

/**
 * Load a settings file for editing; a missing file is `{}`.
 *
 * @throws CliError `SETTINGS_INVALID` (exit 1) when it is not valid JSON: the file is left untouched.
 */
export function loadSettings(path: string): LoadedSettings {
  let content: ReturnType<typeof readSettingsFile>;
  try {
    content = readSettingsFile(path);
  } catch (error) {
    throw new CliError('SETTINGS_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (content.kind === 'missing')
    return { exists: false, value: {}, format: DEFAULT_SETTINGS_FORMAT, mode: 0o600 };
  const parsed = parseSettingsText(content.text);
  if (!parsed.ok) {
    throw new CliError(
      'SETTINGS_INVALID',
      `cannot parse ${path} as JSON (${parsed.message}); the file was not changed — fix it (Claude Code settings are plain JSON without comments) and run the command again`,
    );
  }
  return { exists: true, value: parsed.value, format: parsed.format, mode: content.mode };
}

/** Substrings identifying our hook commands: the defaults, the installed binary, the given command. */
export function commandMarkers(context: CommandContext, command?: string): string[] {
  const info = context.deps.resolveHookCommand();
  return [
    ...DEFAULT_COMMAND_MARKERS,
    ...(info.binPath === null ? [] : [info.binPath]),
    info.command,
    ...(command === undefined ? [] : [command]),
  ].filter((marker) => marker !== '');
}

/**
 * Run an edit of the parsed settings; a settings file whose shape is not what Claude Code writes
 * becomes a clear refusal (the file is left as it was).
 *
 * @throws CliError `SETTINGS_INVALID` for a `SettingsShapeError`; rethrows anything else.
 */
export function editSettings<T>(path: string, edit: () => T): T {
  try {
    return edit();
  } catch (error) {
    if (error instanceof SettingsShapeError) {
      throw new CliError(
        'SETTINGS_INVALID',
        `refusing to edit ${path}: ${error.message}; the file was not changed`,
      );
    }
    throw error;
  }
}

/**
 * Replace the settings file with `value`, laid out as the file was, after a backup of the
 * existing file (when there is one). Returns the backup's path, or null when there was no file.
 *
 * @throws CliError `SETTINGS_WRITE_FAILED` when the backup or the write fails.
 */
export async function saveSettings(
  context: CommandContext,
  path: string,
  loaded: LoadedSettings,
  value: unknown,
): Promise<string | null> {
  try {
    const backupPath = loaded.exists ? writeBackup(path, context.deps.now()) : null;
    await writeSettingsFile(path, formatSettings(value, loaded.format), loaded.mode);
    return backupPath;
  } catch (error) {
    throw new CliError(
      'SETTINGS_WRITE_FAILED',
      `cannot write ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * What `hook install --dry-run` and `hook uninstall --dry-run` print: the settings file as it
 * would be written (laid out as the file was), with `fields` in the JSON.
 */
export function settingsPreview(
  path: string,
  loaded: LoadedSettings,
  settings: unknown,
  fields: Readonly<Record<string, unknown>>,
): CommandOutput {
  return {
    json: { ok: true, dry_run: true, ...fields, settings },
    text: `[dry-run] would write ${path}:\n${formatSettings(settings, loaded.format).trimEnd()}`,
  };
}
