import { join } from 'node:path';
import type { StoreSource } from '@sessions-db/store';
import type { CommandContext } from '../../command-context.js';
import type { CommandSpec } from '../../command-spec.js';
import type { Paint } from '../../format/colors.js';
import { relTime } from '../../format/rel-time.js';
import { displayWidth, padEndTo } from '../../format/text-width.js';
import { commandTarget, storeOfCommand } from '../../hook-settings/hook-command.js';
import type { CommandTarget } from '../../hook-settings/hook-command.js';
import { findHookEntries } from '../../hook-settings/hook-entries.js';
import { readSettingsFile } from '../../hook-settings/settings-file.js';
import { SETTINGS_SCOPES, settingsPathFor } from '../../hook-settings/settings-locations.js';
import { parseSettingsText } from '../../hook-settings/settings-text.js';
import {
  PLUGIN_NAME,
  enabledPluginIds,
  findPluginInstalls,
} from '../../hook-settings/plugin-install.js';
import type { PluginInstall } from '../../hook-settings/plugin-install.js';
import { commandMarkers } from './settings-target.js';

/** One settings file `hook status` looked at. */
export interface SettingsFileStatus {
  readonly scope: string;
  readonly path: string;
  readonly exists: boolean;
  /** Why it could not be read or parsed. */
  readonly error: string | null;
  readonly SessionStart: readonly string[];
  readonly SessionEnd: readonly string[];
  /** Plugin ids its `enabledPlugins` turns on. */
  readonly enabled_plugins: readonly string[];
}

/** The store as `hook status` and `doctor` describe it. */
export interface StoreSummary {
  /** `null` for a store without files (memory). */
  readonly dir: string | null;
  readonly source: StoreSource | 'memory';
  readonly exists: boolean;
  readonly sessions: number;
  readonly last_event_at: string | null;
}

/** Everything `hook status` reports. */
export interface HookStatus {
  /** Claude Code runs our hook: from a settings file or an enabled plugin. */
  readonly installed: boolean;
  readonly files: readonly SettingsFileStatus[];
  /** Our plugin as Claude Code installed it (`claude plugin install`). */
  readonly plugins: readonly PluginInstall[];
  /**
   * In a settings file and as an enabled plugin at once: Claude Code runs both for every event
   * (sessions-db records each event once, but one of them should go).
   */
  readonly installed_twice: boolean;
  /** Codex CLI's `$CODEX_HOME/hooks.json` and whether it runs our hook. */
  readonly codex: SettingsFileStatus;
  readonly commands: readonly {
    readonly command: string;
    readonly target: CommandTarget;
    /** The store the command names with `--store` (else the hook resolves it as the CLI does). */
    readonly store: string | null;
  }[];
  readonly default_command: string;
  readonly store: StoreSummary;
}

/** The status of one settings-shaped file (Claude Code's settings, Codex's hooks.json). */
function fileStatus(scope: string, path: string, markers: readonly string[]): SettingsFileStatus {
  const empty = { scope, path, SessionStart: [], SessionEnd: [], enabled_plugins: [] };
  let content: ReturnType<typeof readSettingsFile>;
  try {
    content = readSettingsFile(path);
  } catch (error) {
    return { ...empty, exists: true, error: (error as Error).message };
  }
  if (content.kind === 'missing') return { ...empty, exists: false, error: null };
  const parsed = parseSettingsText(content.text);
  if (!parsed.ok) return { ...empty, exists: true, error: `not valid JSON: ${parsed.message}` };
  return {
    scope,
    path,
    exists: true,
    error: null,
    ...findHookEntries(parsed.value, markers),
    enabled_plugins: enabledPluginIds(parsed.value),
  };
}

function hasHook(file: SettingsFileStatus): boolean {
  return file.SessionStart.length > 0 || file.SessionEnd.length > 0;
}

/** The settings files of every scope and whether they hold our hook. */
export async function settingsStatus(context: CommandContext): Promise<SettingsFileStatus[]> {
  const { resolveClaudeHome } = await import('@sessions-db/git-transcript');
  const claudeHome = resolveClaudeHome(context.deps.env);
  const markers = commandMarkers(context);
  return SETTINGS_SCOPES.map((scope) =>
    fileStatus(scope, settingsPathFor(scope, { claudeHome, cwd: context.deps.cwd }), markers),
  );
}

/** Where the store is, how many sessions it holds and when it was last written. */
export async function summarizeStore(context: CommandContext): Promise<StoreSummary> {
  const paths = await context.deps.locateStore(context.location);
  const store = await context.openStore();
  const stats = store.stats();
  return {
    dir: paths?.dir ?? null,
    source: paths?.source ?? 'memory',
    exists: paths === null ? true : (await import('@sessions-db/store')).storeExists(paths),
    sessions: stats.sessions,
    last_event_at: stats.lastEventAt,
  };
}

/** Collect the hook status. */
export async function collectHookStatus(context: CommandContext): Promise<HookStatus> {
  return { ...(await collectHookInstall(context)), store: await summarizeStore(context) };
}

/** Where the hook is installed (settings files, plugins, Codex), without opening the store. */
export async function collectHookInstall(
  context: CommandContext,
): Promise<Omit<HookStatus, 'store'>> {
  const files = await settingsStatus(context);
  const { resolveClaudeHome, resolveCodexHome } = await import('@sessions-db/git-transcript');
  const enabled = new Set(files.flatMap((file) => file.enabled_plugins));
  const plugins = findPluginInstalls(resolveClaudeHome(context.deps.env), enabled);
  const codex = fileStatus(
    'codex',
    join(resolveCodexHome(context.deps.env), 'hooks.json'),
    commandMarkers(context),
  );
  const inSettings = files.some(hasHook);
  const asPlugin = plugins.some((plugin) => plugin.enabled);
  const distinct = [
    ...new Set([...files, codex].flatMap((file) => [...file.SessionStart, ...file.SessionEnd])),
  ];
  return {
    installed: inSettings || asPlugin,
    files,
    plugins,
    installed_twice: inSettings && asPlugin,
    codex,
    commands: distinct.map((command) => ({
      command,
      target: commandTarget(command, context.deps.env),
      store: storeOfCommand(command),
    })),
    default_command: context.deps.resolveHookCommand().command,
  };
}

/** What to tell someone whose hook is installed twice. */
export function installedTwiceWarning(plugins: readonly PluginInstall[]): string {
  const ids = plugins.filter((plugin) => plugin.enabled).map((plugin) => plugin.id);
  return (
    `the hook is installed twice, in a settings file and as the ${ids.join(', ')} plugin: Claude Code runs both for every event. ` +
    `sessions-db records each event once, but remove one (\`sessions-db hook uninstall\`, or \`claude plugin uninstall ${ids[0] ?? PLUGIN_NAME}\`)`
  );
}

/** The store line of `hook status` / `doctor`: `<dir> (<source>)`, sessions and last write. */
export function renderStoreSummary(store: StoreSummary, now: number): string[] {
  return [
    `  ${padEndTo('location', 12)}${store.dir ?? '(in memory)'} (${store.source})${store.exists ? '' : ' — not created yet'}`,
    `  ${padEndTo('sessions', 12)}${store.sessions}`,
    `  ${padEndTo('last event', 12)}${store.last_event_at === null ? '-' : `${store.last_event_at} (${relTime(store.last_event_at, now)})`}`,
  ];
}

/** `hook status` as text. */
export function renderHookStatus(status: HookStatus, paint: Paint, now: number): string {
  const lines: string[] = [];
  const scopes = status.files
    .filter((f) => f.SessionStart.length > 0 || f.SessionEnd.length > 0)
    .map((f) => f.scope);
  const enabledPlugins = status.plugins.filter((plugin) => plugin.enabled);
  const where = [
    ...(scopes.length > 0 ? [`${scopes.join(', ')} scope${scopes.length === 1 ? '' : 's'}`] : []),
    ...enabledPlugins.map((plugin) => `plugin ${plugin.id}`),
  ];
  lines.push(
    status.installed
      ? `hook: ${paint.green('installed')} (${where.join('; ')})`
      : `hook: ${paint.yellow('not installed')} (run \`sessions-db hook install\`)`,
  );
  const pathWidth = Math.max(0, ...status.files.map((file) => displayWidth(file.path)));
  for (const file of status.files) {
    const events = [
      file.SessionStart.length > 0 ? 'SessionStart' : '',
      file.SessionEnd.length > 0 ? 'SessionEnd' : '',
    ]
      .filter((e) => e !== '')
      .join(', ');
    const state =
      file.error !== null
        ? paint.red(file.error)
        : !file.exists
          ? 'no file'
          : events === ''
            ? 'not installed'
            : `installed: ${events}`;
    lines.push(`  ${padEndTo(file.scope, 9)}${padEndTo(file.path, pathWidth)}  ${state}`);
  }
  for (const file of [status.codex]) {
    const state =
      file.error !== null
        ? paint.red(file.error)
        : !file.exists
          ? 'no file'
          : hasHook(file)
            ? 'installed (Codex CLI)'
            : 'not installed (Codex CLI)';
    lines.push(`  ${padEndTo(file.scope, 9)}${padEndTo(file.path, pathWidth)}  ${state}`);
  }
  for (const plugin of status.plugins) {
    lines.push(
      `  plugin   ${plugin.id} (${plugin.scope}) ${plugin.install_path}  ${plugin.enabled ? 'enabled' : 'installed, not enabled'}`,
    );
  }
  for (const { command, target, store } of status.commands) {
    lines.push(
      `  command  ${command}  ${target.exists ? paint.green('(target exists)') : paint.red(`(target missing: ${target.path ?? '?'})`)}`,
    );
    if (store !== null) lines.push(`           records into ${store} (its --store)`);
  }
  if (status.installed_twice)
    lines.push(`${paint.yellow('warning')}: ${installedTwiceWarning(status.plugins)}`);
  if (!status.installed) lines.push(`  default command: ${status.default_command}`);
  lines.push('store:', ...renderStoreSummary(status.store, now));
  return lines.join('\n');
}

/** `sessions-db hook status`. */
export const hookStatusCommand: CommandSpec = {
  command: 'status',
  describe:
    'Is the hook installed (which settings files, which command), and where does it record?',
  builder: (yargs) =>
    yargs
      .example('$0 hook status', 'Check the installation')
      .example('$0 hook status --json', 'As JSON'),
  async run(_args, context) {
    const status = await collectHookStatus(context);
    return { json: status, text: renderHookStatus(status, context.paint, context.deps.now()) };
  },
};
