import { booleanArg } from '../../args.js';
import type { CommandSpec } from '../../command-spec.js';
import { uninstallMcpServer } from '../../mcp-settings/mcp-servers.js';
import { editSettings, loadSettings, saveSettings } from '../hook/settings-target.js';
import { MCP_SCOPE_FLAGS } from './install.js';
import { mcpTargetOf } from './mcp-target.js';

/** `sessions-db mcp uninstall [--scope user|project|local] [--dry-run]`. */
export const mcpUninstallCommand: CommandSpec = {
  command: 'uninstall',
  describe: "Remove the sessions-db MCP server from Claude Code's configuration",
  builder: (yargs) =>
    yargs
      .options(MCP_SCOPE_FLAGS)
      .example('$0 mcp uninstall', 'From ~/.claude.json')
      .example('$0 mcp uninstall --scope project', 'From .mcp.json here'),
  async run(args, context) {
    const target = await mcpTargetOf(args, context);
    const loaded = loadSettings(target.path);
    const where = `${target.path} (${target.scope} scope)`;
    const base = { scope: target.scope, config_path: target.path };
    const result = loaded.exists
      ? editSettings(target.path, () => uninstallMcpServer(loaded.value, target.serversPath))
      : { removed: false, config: {} };
    if (!result.removed) {
      return {
        json: { ok: true, removed: false, ...base, backup_path: null },
        text: `ok: the sessions-db MCP server is not in ${where}`,
      };
    }
    if (booleanArg(args, 'dry-run')) {
      return {
        json: { ok: true, dry_run: true, removed: true, ...base },
        text: `[dry-run] would remove the sessions-db MCP server from ${where}`,
      };
    }
    const backupPath = await saveSettings(context, target.path, loaded, result.config);
    return {
      json: { ok: true, removed: true, ...base, backup_path: backupPath },
      text: `ok: removed the sessions-db MCP server from ${where}\n  backup:  ${backupPath ?? '-'}`,
    };
  },
};
