import type { CommandSpec } from '../../command-spec.js';
import { hookInstallCommand } from './install.js';
import { hookStatusCommand } from './status.js';
import { hookUninstallCommand } from './uninstall.js';

/** `sessions-db hook install|uninstall|status`. */
export const hookCommand: CommandSpec = {
  command: 'hook',
  describe: "Install, remove or check the hook in Claude Code's settings",
  builder: (yargs) =>
    yargs
      .example('$0 hook install', 'Add the hook to ~/.claude/settings.json')
      .example('$0 hook status', 'Check it'),
  subcommands: [hookInstallCommand, hookUninstallCommand, hookStatusCommand],
};
