import { booleanArg, stringArg } from '../../args.js';
import { chosenStoreDir } from '../../chosen-store.js';
import { usageError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import { agentFlag } from '../../enums.js';
import type { CommandSpec } from '../../command-spec.js';
import { commandTarget, commandWithStore } from '../../hook-settings/hook-command.js';
import { SESSION_START_MATCHER, installHookEntries } from '../../hook-settings/hook-entries.js';
import { collectHookInstall, installedTwiceWarning } from './status.js';
import {
  commandMarkers,
  editSettings,
  loadSettings,
  saveSettings,
  settingsPreview,
  settingsTargetOf,
} from './settings-target.js';

/** Flags shared by `hook install` and `hook uninstall`. */
export const SETTINGS_FLAGS = {
  agent: agentFlag(
    "claude (default: Claude Code's settings) or codex (Codex CLI's $CODEX_HOME/hooks.json)",
  ),
  scope: {
    type: 'string',
    requiresArg: true,
    describe:
      'user (<claude home>/settings.json), project (.claude/settings.json) or local (.claude/settings.local.json); default user',
  },
  settings: {
    type: 'string',
    requiresArg: true,
    describe: 'Edit this settings file instead of a scope',
  },
  'dry-run': {
    type: 'boolean',
    describe: 'Print the settings that would be written; write nothing',
  },
} as const;

/**
 * The installed hook binary, with `--store <dir>` when the user chose the store for this run
 * (`--store`, `--root`, `SESSIONS_DB_ROOT`): Claude Code's environment need not carry it.
 */
async function defaultCommand(context: CommandContext): Promise<string> {
  const base = context.deps.resolveHookCommand().command;
  const dir = await chosenStoreDir(context);
  return dir === null ? base : commandWithStore(base, dir);
}

/** `sessions-db hook install [--scope user|project|local] [--settings PATH] [--command CMD]`. */
export const hookInstallCommand: CommandSpec = {
  command: 'install',
  describe:
    "Add the SessionStart and SessionEnd hook to Claude Code's settings (or Codex CLI's hooks.json)",
  builder: (yargs) =>
    yargs
      .options(SETTINGS_FLAGS)
      .option('command', {
        type: 'string',
        requiresArg: true,
        describe:
          'The hook command line (default: the installed sessions-db-hook, with --store DIR when the store was chosen by --store, --root or SESSIONS_DB_ROOT)',
      })
      .example('$0 hook install', 'Record every Claude Code session of this user')
      .example(
        '$0 hook install --scope project',
        "Only this project's sessions (.claude/settings.json)",
      )
      .example('$0 hook install --dry-run', 'Show the resulting settings.json')
      .example(
        '$0 --store ~/sessions hook install',
        'Record into that store, whatever the env says',
      )
      .example(
        '$0 hook install --agent codex',
        'Record Codex CLI sessions too ($CODEX_HOME/hooks.json)',
      ),
  async run(args, context) {
    const target = await settingsTargetOf(args, context);
    const commandArg = stringArg(args, 'command');
    if (commandArg !== undefined && commandArg.trim() === '')
      throw usageError('--command must not be empty');
    const command = commandArg ?? (await defaultCommand(context));
    const loaded = loadSettings(target.path);
    const installed = editSettings(target.path, () =>
      installHookEntries(loaded.value, command, commandMarkers(context, command)),
    );
    const runs = commandTarget(command, context.deps.env);
    const plugins = target.scope === 'codex' ? [] : (await collectHookInstall(context)).plugins;
    const warnings = [
      ...(runs.exists || runs.path === null
        ? []
        : [
            `warning: the hook command's target does not exist: ${runs.path} (Claude Code will report a failing hook until it does)`,
          ]),
      ...(plugins.some((plugin) => plugin.enabled)
        ? [`warning: ${installedTwiceWarning(plugins)}`]
        : []),
    ];
    const warning = warnings.length === 0 ? undefined : warnings.join('\n');
    const base = { scope: target.scope, settings_path: target.path, command, target: runs };

    if (booleanArg(args, 'dry-run')) {
      const preview = settingsPreview(target.path, loaded, installed.settings, {
        ...base,
        action: installed.action,
      });
      const text =
        installed.action === 'unchanged'
          ? `[dry-run] the hook is already installed in ${target.path}; nothing would change`
          : preview.text;
      return {
        ...preview,
        text,
        ...(warning === undefined ? {} : { stderr: warning }),
      };
    }
    if (installed.action === 'unchanged') {
      return {
        json: { ok: true, action: 'unchanged', ...base, backup_path: null },
        text: `ok: the sessions-db hook is already installed in ${target.path}\n  command: ${command}`,
        ...(warning === undefined ? {} : { stderr: warning }),
      };
    }
    const backupPath = await saveSettings(context, target.path, loaded, installed.settings);
    const lines = [
      `ok: ${installed.action} the sessions-db hook in ${target.path}${target.scope === 'file' ? '' : ` (${target.scope} scope)`}`,
      `  command: ${command}`,
      `  events:  SessionStart (${SESSION_START_MATCHER}), SessionEnd`,
    ];
    if (backupPath !== null) lines.push(`  backup:  ${backupPath}`);
    return {
      json: { ok: true, action: installed.action, ...base, backup_path: backupPath },
      text: lines.join('\n'),
      ...(warning === undefined ? {} : { stderr: warning }),
    };
  },
};
