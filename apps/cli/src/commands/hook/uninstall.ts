import { booleanArg, stringArg } from '../../args.js';
import type { CommandSpec } from '../../command-spec.js';
import { uninstallHookEntries } from '../../hook-settings/hook-entries.js';
import { SETTINGS_FLAGS } from './install.js';
import {
  commandMarkers,
  editSettings,
  loadSettings,
  saveSettings,
  settingsPreview,
  settingsTargetOf,
} from './settings-target.js';

/** `sessions-db hook uninstall [--scope …] [--settings PATH]`. */
export const hookUninstallCommand: CommandSpec = {
  command: 'uninstall',
  describe: "Remove the sessions-db hook entries from Claude Code's settings",
  builder: (yargs) =>
    yargs
      .options(SETTINGS_FLAGS)
      .option('command', {
        type: 'string',
        requiresArg: true,
        describe: 'Also remove entries running this command (one `hook install --command` wrote)',
      })
      .example('$0 hook uninstall', 'Remove what `hook install` added to the user settings')
      .example('$0 hook uninstall --scope project', 'From .claude/settings.json'),
  async run(args, context) {
    const target = await settingsTargetOf(args, context);
    const loaded = loadSettings(target.path);
    const base = { scope: target.scope, settings_path: target.path };
    if (!loaded.exists) {
      return {
        json: { ok: true, removed: 0, ...base, backup_path: null },
        text: `ok: the sessions-db hook is not installed in ${target.path} (no such file)`,
      };
    }
    const result = editSettings(target.path, () =>
      uninstallHookEntries(loaded.value, commandMarkers(context, stringArg(args, 'command'))),
    );
    if (result.removed === 0) {
      return {
        json: { ok: true, removed: 0, ...base, backup_path: null },
        text: `ok: the sessions-db hook is not installed in ${target.path}`,
      };
    }
    if (booleanArg(args, 'dry-run'))
      return settingsPreview(target.path, loaded, result.settings, {
        removed: result.removed,
        ...base,
      });
    const backupPath = await saveSettings(context, target.path, loaded, result.settings);
    return {
      json: { ok: true, removed: result.removed, ...base, backup_path: backupPath },
      text: [
        `ok: removed ${result.removed} sessions-db hook entr${result.removed === 1 ? 'y' : 'ies'} from ${target.path}`,
        `  backup:  ${backupPath}`,
      ].join('\n'),
    };
  },
};
