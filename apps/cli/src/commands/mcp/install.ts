import { booleanArg, stringArg } from '../../args.js';
import { chosenStoreDir } from '../../chosen-store.js';
import { usageError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import type { CommandSpec, ParsedArgs } from '../../command-spec.js';
import { MCP_SERVER_NAME, installMcpServer } from '../../mcp-settings/mcp-servers.js';
import type { McpServerEntry } from '../../mcp-settings/mcp-servers.js';
import { shellQuote } from '../resume/shell-quote.js';
import { editSettings, loadSettings, saveSettings } from '../hook/settings-target.js';
import { MCP_SCOPES, mcpTargetOf } from './mcp-target.js';
import type { McpTarget } from './mcp-target.js';

/** Flags shared by `mcp install` and `mcp uninstall`. */
export const MCP_SCOPE_FLAGS = {
  scope: {
    type: 'string',
    choices: MCP_SCOPES,
    requiresArg: true,
    describe:
      'user (~/.claude.json), project (.mcp.json here) or local (~/.claude.json, this project only); default user',
  },
  'dry-run': { type: 'boolean', describe: 'Say what would change; write nothing' },
} as const;

/**
 * The server entry `mcp install` writes: `sessions-db mcp` (or `--command`), with `--store DIR`
 * when the store was chosen for this run (`--store`, `--root`, `SESSIONS_DB_ROOT`).
 *
 * @throws CliError (exit 2) on an empty `--command`.
 */
async function serverEntry(args: ParsedArgs, context: CommandContext): Promise<McpServerEntry> {
  const command = stringArg(args, 'command') ?? 'sessions-db';
  if (command.trim() === '') throw usageError('--command must not be empty');
  const store = await chosenStoreDir(context);
  return {
    type: 'stdio',
    command,
    args: store === null ? ['mcp'] : ['--store', store, 'mcp'],
    env: {},
  };
}

/** The `claude mcp add` command line that registers the same server. */
export function claudeMcpAddLine(target: Pick<McpTarget, 'scope'>, entry: McpServerEntry): string {
  return ['claude', 'mcp', 'add', '--scope', target.scope, MCP_SERVER_NAME, '--', entry.command]
    .concat(entry.args)
    .map(shellQuote)
    .join(' ');
}

/** `sessions-db mcp install [--scope user|project|local] [--command CMD] [--dry-run]`. */
export const mcpInstallCommand: CommandSpec = {
  command: 'install',
  describe: "Add the sessions-db MCP server to Claude Code's configuration (as claude mcp add)",
  builder: (yargs) =>
    yargs
      .options(MCP_SCOPE_FLAGS)
      .option('command', {
        type: 'string',
        requiresArg: true,
        describe: 'The program Claude Code starts (default: sessions-db, found on its PATH)',
      })
      .example('$0 mcp install', 'For every project of this user (~/.claude.json)')
      .example('$0 mcp install --scope project', 'For everyone working in this project (.mcp.json)')
      .example('$0 --store ~/sessions mcp install', 'Serving that store, whatever the env says'),
  async run(args, context) {
    const target = await mcpTargetOf(args, context);
    const entry = await serverEntry(args, context);
    const found = loadSettings(target.path);
    // A new .mcp.json is shared with the project (committed), as Claude Code creates it: 0644.
    const loaded = !found.exists && target.scope === 'project' ? { ...found, mode: 0o644 } : found;
    const installed = editSettings(target.path, () =>
      installMcpServer(loaded.value, target.serversPath, entry),
    );
    const claudeCommand = claudeMcpAddLine(target, entry);
    const base = {
      scope: target.scope,
      config_path: target.path,
      name: MCP_SERVER_NAME,
      server: entry,
      claude_command: claudeCommand,
    };
    const where = `${target.path} (${target.scope} scope)`;
    const commandLine = `  command: ${[entry.command, ...entry.args].map(shellQuote).join(' ')}`;
    if (booleanArg(args, 'dry-run')) {
      return {
        json: { ok: true, dry_run: true, action: installed.action, ...base },
        text:
          installed.action === 'unchanged'
            ? `[dry-run] the sessions-db MCP server is already in ${where}; nothing would change`
            : `[dry-run] would ${installed.action === 'installed' ? 'add' : 'update'} the sessions-db MCP server in ${where}\n${commandLine}\n  same as: ${claudeCommand}`,
      };
    }
    if (installed.action === 'unchanged') {
      return {
        json: { ok: true, action: 'unchanged', ...base, backup_path: null },
        text: `ok: the sessions-db MCP server is already in ${where}\n${commandLine}`,
      };
    }
    const backupPath = await saveSettings(context, target.path, loaded, installed.config);
    const lines = [`ok: ${installed.action} the sessions-db MCP server in ${where}`, commandLine];
    if (backupPath !== null) lines.push(`  backup:  ${backupPath}`);
    return {
      json: { ok: true, action: installed.action, ...base, backup_path: backupPath },
      text: lines.join('\n'),
    };
  },
};
